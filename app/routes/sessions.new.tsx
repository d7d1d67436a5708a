/** /sessions/new: the coordinator schedules a board. */
import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SessionForm } from "~/features/boards/session-form";
import { SessionScheduleSchema } from "~/features/boards/board-schedule";
import { requirePermission } from "~/features/identity/auth.server";
import { createBoardSession } from "~/features/boards/board-scheduling.server";
import { loadNewSessionForm } from "~/features/boards/session-page.server";
import { requestMeta } from "~/platform/request-meta.server";
import { readForm } from "~/platform/request-body.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  return loadNewSessionForm({ user: await requirePermission(request, context, "sessions.schedule") });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "sessions.schedule");
  const submission = parseWithZod(await readForm(request), { schema: SessionScheduleSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const created = await createBoardSession({ user, meta: requestMeta(request, context), schedule: submission.value });
  if (!created.ok)
    return data(
      { result: submission.reply({ fieldErrors: created.fieldErrors, formErrors: created.formError ? [created.formError] : undefined }) },
      { status: 400 },
    );
  return redirect(`/sessions/${created.sessionId}`);
}

export default function NewSessionPage() {
  const { consultants, interpreters, treatingHospitalZones, viewerZone, defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <section aria-labelledby="new-session-title" className="narrow">
      <h1 id="new-session-title">{t("sessions:form.newTitle")}</h1>
      <SessionForm
        mode="create"
        defaults={defaults}
        consultants={consultants}
        interpreters={interpreters}
        physicians={[]}
        treatingHospitalZones={treatingHospitalZones}
        viewerZone={viewerZone}
        cancelTo="/sessions"
        lastResult={actionData?.result}
      />
    </section>
  );
}
