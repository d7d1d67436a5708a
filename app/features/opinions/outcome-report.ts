/**
 * What delivered opinions changed, as the treating physician reports it: the
 * form's vocabulary and schema, and the coordinator's report by cancer type.
 *
 * An opinion "changed care" when the physician reports that it changed the
 * diagnosis or the treatment, YES or PARTLY; "changed care definitely" counts
 * only YES (diagnosis or treatment). Shares are of the reported outcomes; the
 * response rate is reported outcomes over delivered opinions.
 */
import { z } from "zod";
import { CANCER_TYPES } from "~/features/cases/clinical-vocabulary";

export const OUTCOME_CHANGES = ["YES", "PARTLY", "NO"] as const;
export type OutcomeChange = (typeof OUTCOME_CHANGES)[number];

export const OUTCOME_CHANGE_LABEL_KEYS: Record<OutcomeChange, string> = {
  YES: "reports:changes.YES",
  PARTLY: "reports:changes.PARTLY",
  NO: "reports:changes.NO",
};

export const ACTION_TAKEN_MAX = 4000;

const change = z.enum(OUTCOME_CHANGES, { errorMap: () => ({ message: "reports:errors.changeRequired" }) });

/** The physician's outcome report. What was done is required once anything changed. Messages are i18n keys. */
export const OutcomeReportSchema = z
  .object({
    changedDiagnosis: change,
    changedTreatment: change,
    actionTaken: z.string().trim().max(ACTION_TAKEN_MAX, "reports:errors.actionTakenTooLong").default(""),
  })
  .superRefine((value, ctx) => {
    if (changedCare(value) && value.actionTaken === "")
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["actionTaken"], message: "reports:errors.actionTakenRequired" });
  });
export type OutcomeReportInput = z.infer<typeof OutcomeReportSchema>;

type Changes = { changedDiagnosis: string; changedTreatment: string };

export function changedCare(o: Changes): boolean {
  return [o.changedDiagnosis, o.changedTreatment].some((c) => c === "YES" || c === "PARTLY");
}

export function changedCareDefinitely(o: Changes): boolean {
  return o.changedDiagnosis === "YES" || o.changedTreatment === "YES";
}

/** A case whose opinion was delivered, with the physician's outcome report if there is one yet. */
export type DeliveredOutcome = { cancerType: string | null; outcome: Changes | null };

export type OutcomeGroup = {
  /** null: no cancer type recorded. */
  cancerType: string | null;
  delivered: number;
  reported: number;
  /** Delivered opinions without an outcome report yet. */
  awaiting: number;
  /** reported / delivered, or null when nothing was delivered. */
  responseRate: number | null;
  changedCare: number;
  changedCareDefinitely: number;
  /** Shares of the reported outcomes (0..1), or null when none was reported. */
  changedCareShare: number | null;
  changedCareDefinitelyShare: number | null;
  diagnosis: Record<OutcomeChange, number>;
  treatment: Record<OutcomeChange, number>;
};

export type OutcomeReport = { groups: OutcomeGroup[]; total: OutcomeGroup };

/** Groups by cancer type in vocabulary order, other recorded types after them alphabetically, unrecorded last. */
export function outcomeReport(cases: readonly DeliveredOutcome[]): OutcomeReport {
  const byType = new Map<string | null, DeliveredOutcome[]>();
  for (const c of cases) byType.set(c.cancerType, [...(byType.get(c.cancerType) ?? []), c]);
  const groups = [...byType.keys()].sort(cancerTypeOrder).map((type) => summarise(type, byType.get(type)!));
  return { groups, total: summarise(null, cases) };
}

function summarise(cancerType: string | null, cases: readonly DeliveredOutcome[]): OutcomeGroup {
  const outcomes = cases.flatMap((c) => (c.outcome ? [c.outcome] : []));
  const tally = (pick: (o: Changes) => string) =>
    Object.fromEntries(OUTCOME_CHANGES.map((value) => [value, outcomes.filter((o) => pick(o) === value).length])) as Record<OutcomeChange, number>;
  const changed = outcomes.filter(changedCare).length;
  const definitely = outcomes.filter(changedCareDefinitely).length;
  const share = (count: number) => (outcomes.length === 0 ? null : count / outcomes.length);
  return {
    cancerType,
    delivered: cases.length,
    reported: outcomes.length,
    awaiting: cases.length - outcomes.length,
    responseRate: cases.length === 0 ? null : outcomes.length / cases.length,
    changedCare: changed,
    changedCareDefinitely: definitely,
    changedCareShare: share(changed),
    changedCareDefinitelyShare: share(definitely),
    diagnosis: tally((o) => o.changedDiagnosis),
    treatment: tally((o) => o.changedTreatment),
  };
}

function cancerTypeOrder(a: string | null, b: string | null): number {
  const rank = (t: string | null) =>
    t === null
      ? Number.MAX_SAFE_INTEGER
      : (CANCER_TYPES as readonly string[]).indexOf(t) >= 0
        ? (CANCER_TYPES as readonly string[]).indexOf(t)
        : CANCER_TYPES.length;
  return rank(a) - rank(b) || (a ?? "").localeCompare(b ?? "");
}
