/** /cases/<id>/burned-in/<series id>: the review of a series flagged for burned-in text, with the OCR boxes over each image; a coordinator clears it here. */
import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BurnedInReview } from "~/features/imaging/burned-in/burned-in-review";
import { clearBurnedInSeries, loadBurnedInReview, retryBurnedInOcr } from "~/features/imaging/burned-in/burned-in-review.server";
import { BurnedInReviewForm } from "~/features/imaging/imaging-forms";
import { requireCaseImaging } from "~/features/imaging/imaging-steps.server";
import { denyAccess } from "~/features/identity/auth.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const caller = await requireCaseImaging(request, context, params.caseId, "seeFlaggedSeries");
  const review = await loadBurnedInReview({ ...caller, seriesId: params.seriesId ?? "" });
  if (!review) throw await denyAccess(request, context, caller.user, { caseId: caller.facts.id, seriesId: params.seriesId ?? null }, 404);
  return review;
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const caller = await requireCaseImaging(request, context, params.caseId, "clearBurnedIn");
  const submission = parseWithZod(await request.formData(), { schema: BurnedInReviewForm });
  if (submission.status !== "success") return data({ error: "cases:errors.actionNotAllowed" }, { status: 400 });
  const step = submission.value.intent === "clearBurnedIn" ? clearBurnedInSeries : retryBurnedInOcr;
  const done = await step({ ...caller, seriesId: params.seriesId ?? "" });
  if (!done.ok) return data({ error: done.errorKey }, { status: done.status });
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
        error={result?.error ?? null}
      />
    </article>
  );
}
