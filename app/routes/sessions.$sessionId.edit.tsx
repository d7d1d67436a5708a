import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SessionForm } from "~/features/boards/session-form";
import { scheduleEditable, SessionScheduleSchema } from "~/features/boards/board-schedule";
import { localDateTimeInZone } from "~/platform/time-zones";
import { activeConsultants } from "~/features/boards/board-store.server";
import { cancelBoardSession, mayScheduleSessions, requireSession, updateBoardSchedule } from "~/features/boards/board-scheduling.server";
import { getDb } from "~/platform/db.server";
import { requestMeta } from "~/platform/request-meta.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, session } = await requireSession(request, context, params.sessionId, mayScheduleSessions);
  if (!scheduleEditable(session.status)) throw redirect(`/sessions/${session.id}`);
  const db = getDb();
  const local = localDateTimeInZone(session.startsAt, session.timeZone);
  const physicianIds = session.invitees.filter((i) => i.kind === "PHYSICIAN").map((i) => i.userId);
  const physicians = await db.user.findMany({ where: { id: { in: physicianIds } }, select: { displayName: true, timeZone: true } });
  return {
    id: session.id,
    title: session.title,
    consultants: await activeConsultants(db),
    physicians: physicians.map((p) => ({ name: p.displayName, timeZone: p.timeZone })),
    viewerZone: user.timeZone,
    defaults: {
      title: session.title,
      date: local.date,
      time: local.time,
      timeZone: session.timeZone,
      durationMinutes: session.durationMinutes,
      chairId: session.chairId,
      consultantIds: session.invitees.filter((i) => i.kind === "CONSULTANT").map((i) => i.userId),
      videoUrl: session.videoUrl ?? "",
    },
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, session } = await requireSession(request, context, params.sessionId, mayScheduleSessions);
  const formData = await request.formData();
  const meta = requestMeta(request, context);
  if (formData.get("intent") === "cancelSession") {
    const cancelled = await cancelBoardSession(getDb(), user, session, meta);
    if (!cancelled.ok) return data({ result: undefined, cancelError: cancelled.formError ?? null }, { status: 400 });
    return redirect(`/sessions/${session.id}`);
  }
  const submission = parseWithZod(formData, { schema: SessionScheduleSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), cancelError: null }, { status: 400 });
  const saved = await updateBoardSchedule(getDb(), user, session, submission.value, meta);
  if (!saved.ok) {
    return data({ result: submission.reply({ fieldErrors: saved.fieldErrors, formErrors: saved.formError ? [saved.formError] : undefined }), cancelError: null }, { status: 400 });
  }
  return redirect(`/sessions/${session.id}`);
}

export default function EditSessionPage() {
  const { id, title, consultants, physicians, viewerZone, defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  return (
    <section aria-labelledby="edit-session-title" className="narrow">
      <h1 id="edit-session-title">{t("sessions:form.editTitle", { title })}</h1>
      <SessionForm mode="edit" defaults={defaults} consultants={consultants} physicians={physicians} viewerZone={viewerZone} cancelTo={`/sessions/${id}`} lastResult={actionData?.result} />
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
