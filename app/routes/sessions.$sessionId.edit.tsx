/** /sessions/<id>/edit: the coordinator changes or cancels a scheduled board. */
import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SessionForm } from "~/features/boards/session-form";
import { SessionScheduleSchema } from "~/features/boards/board-schedule";
import { CancelSessionForm } from "~/features/boards/board-forms";
import { requireSession } from "~/features/boards/board-access.server";
import { cancelBoardSession, updateBoardSchedule } from "~/features/boards/board-scheduling.server";
import { loadScheduleForm } from "~/features/boards/session-page.server";
import { readForm } from "~/platform/request-body.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const caller = await requireSession(request, context, params.sessionId, "schedule");
  if (!caller.may.editSchedule) throw redirect(`/sessions/${caller.session.id}`);
  return loadScheduleForm(caller);
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const caller = await requireSession(request, context, params.sessionId, "schedule");
  const formData = await readForm(request);
  if (formData.get("intent") === "cancelSession") {
    const cancel = parseWithZod(formData, { schema: CancelSessionForm });
    const cancelled = cancel.status === "success" ? await cancelBoardSession(caller) : { ok: false as const, formError: "sessions:errors.unknownAction" };
    if (!cancelled.ok) return data({ result: undefined, cancelError: cancelled.formError ?? null }, { status: 400 });
    return redirect(`/sessions/${caller.session.id}`);
  }
  const submission = parseWithZod(formData, { schema: SessionScheduleSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), cancelError: null }, { status: 400 });
  const saved = await updateBoardSchedule({ ...caller, schedule: submission.value });
  if (!saved.ok) {
    return data(
      { result: submission.reply({ fieldErrors: saved.fieldErrors, formErrors: saved.formError ? [saved.formError] : undefined }), cancelError: null },
      { status: 400 },
    );
  }
  return redirect(`/sessions/${caller.session.id}`);
}

export default function EditSessionPage() {
  const { id, title, consultants, interpreters, physicians, treatingHospitalZones, viewerZone, defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  return (
    <section aria-labelledby="edit-session-title" className="narrow">
      <h1 id="edit-session-title">{t("sessions:form.editTitle", { title })}</h1>
      <SessionForm
        mode="edit"
        defaults={defaults}
        consultants={consultants}
        interpreters={interpreters}
        physicians={physicians}
        treatingHospitalZones={treatingHospitalZones}
        viewerZone={viewerZone}
        cancelTo={`/sessions/${id}`}
        lastResult={actionData?.result}
      />
      <section className="section" aria-labelledby="cancel-session-title">
        <h2 id="cancel-session-title">{t("sessions:detail.cancelTitle")}</h2>
        <p className="muted">{t("sessions:detail.cancelHint")}</p>
        {actionData?.cancelError && (
          <p className="alert alert-error" role="alert">
            {t(actionData.cancelError)}
          </p>
        )}
        <Form method="post">
          <button type="submit" name="intent" value="cancelSession" className="button-danger" disabled={navigation.state !== "idle"}>
            {t("sessions:detail.cancelSession")}
          </button>
        </Form>
      </section>
    </section>
  );
}
