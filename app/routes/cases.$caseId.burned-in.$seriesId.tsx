/** /cases/<id>/burned-in/<series id>: the review of a series flagged for burned-in text, with the OCR boxes over each image; a coordinator clears it here. */
import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BurnedInReview } from "~/features/imaging/burned-in/burned-in-review";
import {
  addBurnedInBox,
  clearBurnedInSeries,
  loadBurnedInReview,
  removeBurnedInBox,
  retryBurnedInOcr,
} from "~/features/imaging/burned-in/burned-in-review.server";
import { BurnedInReviewForm } from "~/features/imaging/imaging-forms";
import { requireCaseImaging } from "~/features/imaging/imaging-steps.server";
import { denyAccess } from "~/features/identity/auth.server";
import { readForm } from "~/platform/request-body.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const caller = await requireCaseImaging(request, context, params.caseId, "seeFlaggedSeries");
  const review = await loadBurnedInReview({ ...caller, seriesId: params.seriesId ?? "" });
  if (!review) throw await denyAccess(request, context, caller.user, { caseId: caller.facts.id, seriesId: params.seriesId ?? null }, 404);
  return review;
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const caller = await requireCaseImaging(request, context, params.caseId, "clearBurnedIn");
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema: BurnedInReviewForm });
  const formId = String(formData.get("instanceId") ?? "");
  if (submission.status !== "success") return data({ error: "imaging:burnedIn.boxInvalid", formId, result: submission.reply() }, { status: 400 });
  const input = submission.value;
  const target = { ...caller, seriesId: params.seriesId ?? "" };
  const done =
    input.intent === "clearBurnedIn"
      ? await clearBurnedInSeries(target)
      : input.intent === "retryOcr"
        ? await retryBurnedInOcr(target)
        : input.intent === "addBox"
          ? await addBurnedInBox({ ...target, box: input })
          : await removeBurnedInBox({ ...target, boxId: input.boxId });
  if (!done.ok) return data({ error: done.errorKey, formId, result: submission.reply({ formErrors: [done.errorKey] }) }, { status: done.status });
  throw redirect(`/cases/${caller.facts.id}/burned-in/${params.seriesId ?? ""}`);
}

export default function BurnedInReviewPage() {
  const review = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <article aria-labelledby="burned-in-title">
      <p>
        <Link to={`/cases/${review.caseId}`}>{t("imaging:burnedIn.back", { code: review.caseCode })}</Link>
      </p>
      <h1 id="burned-in-title">{t("imaging:burnedIn.title", { number: review.series.seriesNumber ?? "—" })}</h1>
      <BurnedInReview
        caseId={review.caseId}
        seriesId={review.series.id}
        canClear={review.canClear}
        cleared={review.series.burnedInClearedAt !== null}
        pending={review.pending}
        failed={review.failed}
        boxCount={review.boxCount}
        instances={review.instances}
        error={result && !result.formId ? result.error : null}
        boxFormResult={result?.formId ? { formId: result.formId, result: result.result } : null}
      />
    </article>
  );
}
