import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { FilterSelect } from "~/ui/filter-select";
import { canViewCase } from "~/features/cases/case-access";
import { isCalendarDate } from "~/features/cases/case-packet";
import type { Actor } from "~/features/identity/permissions";
import { isSpecialty, SPECIALTIES, SPECIALTY_LABEL_KEYS } from "~/features/identity/specialties";
import { defaultDueDate } from "~/features/cases/turnaround";
import { startOfDayInZone } from "~/platform/time-zones";
import { assignConsultants, caseDueDays, requireCase } from "~/features/cases/case-workflow.server";
import { getDb } from "~/platform/db.server";
import { requestMeta } from "~/platform/request-meta.server";

const coordinatorOnly = (actor: Actor, facts: Parameters<typeof canViewCase>[1]) => actor.role === "COORDINATOR" && canViewCase(actor, facts);

const AssignSchema = z.object({
  primaryId: z.string({ required_error: "cases:assign.primaryRequired" }).min(1, "cases:assign.primaryRequired"),
  secondaryIds: z.array(z.string()).default([]),
  dueDate: z.string().refine(isCalendarDate, "cases:errors.dateInvalid"),
});

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, facts } = await requireCase(request, context, params.caseId, coordinatorOnly);
  const db = getDb();
  const detail = await db.case.findUniqueOrThrow({ where: { id: facts.id }, select: { id: true, code: true, requestedSpecialties: true, submittedAt: true, dueAt: true } });
  const requested = (JSON.parse(detail.requestedSpecialties) as string[]).filter(isSpecialty);
  const param = new URL(request.url).searchParams.get("specialty");
  const specialty = param === "" ? null : isSpecialty(param) ? param : (requested[0] ?? null);
  const consultants = await db.user.findMany({
    where: { role: "CONSULTANT", active: true, ...(specialty ? { specialties: { some: { specialty } } } : {}) },
    select: { id: true, displayName: true, timeZone: true, specialties: { select: { specialty: true } }, institution: { select: { nameEn: true, nameZh: true } } },
    orderBy: { displayName: "asc" },
  });
  const due = detail.dueAt ?? defaultDueDate(detail.submittedAt ?? new Date(), caseDueDays());
  const dueDay = new Intl.DateTimeFormat("en-CA", { timeZone: user.timeZone }).format(due);
  return { detail: { id: detail.id, code: detail.code }, requested, specialty, consultants, dueDay };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, facts } = await requireCase(request, context, params.caseId, coordinatorOnly);
  const form = await request.formData();
  const parsed = AssignSchema.safeParse({ primaryId: form.get("primaryId") ?? undefined, secondaryIds: form.getAll("secondaryIds"), dueDate: form.get("dueDate") });
  if (!parsed.success) return data({ error: parsed.error.issues[0].message }, { status: 400 });
  // Due at the end of the chosen day in the coordinator's zone.
  const dueStart = startOfDayInZone(parsed.data.dueDate, user.timeZone)!;
  const result = await assignConsultants(
    getDb(),
    user,
    facts,
    { primaryId: parsed.data.primaryId, secondaryIds: parsed.data.secondaryIds, dueDate: new Date(dueStart.getTime() + 86_400_000 - 1) },
    requestMeta(request, context),
  );
  if (!result.ok) return data({ error: result.formError ?? result.fieldErrors?.primaryId?.[0] ?? "cases:errors.actionNotAllowed" }, { status: 400 });
  throw redirect(`/cases/${facts.id}`);
}

export default function AssignPage() {
  const { detail, requested, specialty, consultants, dueDay } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  return (
    <section aria-labelledby="assign-title" className="narrow">
      <h1 id="assign-title">{t("cases:assign.title", { code: detail.code })}</h1>
      <p>
        <Link to={`/cases/${detail.id}`}>{t("cases:assign.back")}</Link>
      </p>
      <p className="muted">
        {t("cases:assign.requested")}: {requested.map((s) => t(SPECIALTY_LABEL_KEYS[s])).join(", ") || "—"}
      </p>
      <Form method="get" className="filters">
        <FilterSelect
          name="specialty"
          label={t("cases:assign.filter")}
          value={specialty ?? ""}
          anyLabel={t("cases:assign.allSpecialties")}
          options={SPECIALTIES.map((s) => ({ value: s, label: t(SPECIALTY_LABEL_KEYS[s]) }))}
        />
        <button type="submit" className="button-secondary">
          {t("cases:list.apply")}
        </button>
      </Form>
      {result?.error && (
        <p className="alert alert-error" role="alert">
          {t(result.error)}
        </p>
      )}
      {consultants.length === 0 ? (
        <p className="empty-state">{t("cases:assign.noConsultants")}</p>
      ) : (
        <Form method="post" className="stack">
          <fieldset className="field">
            <legend>{t("cases:assign.primary")}</legend>
            {consultants.map((c) => (
              <label key={c.id} className="checkbox">
                <input type="radio" name="primaryId" value={c.id} required />
                {c.displayName} — {c.specialties.map((s) => (isSpecialty(s.specialty) ? t(SPECIALTY_LABEL_KEYS[s.specialty]) : s.specialty)).join(", ")}
                {c.institution && ` · ${i18n.language === "zh-CN" ? c.institution.nameZh : c.institution.nameEn}`}
              </label>
            ))}
          </fieldset>
          <fieldset className="field">
            <legend>{t("cases:assign.secondary")}</legend>
            {consultants.map((c) => (
              <label key={c.id} className="checkbox">
                <input type="checkbox" name="secondaryIds" value={c.id} />
                {c.displayName}
              </label>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor="dueDate">{t("cases:assign.dueDate")}</label>
            <input id="dueDate" name="dueDate" type="date" defaultValue={dueDay} required />
          </div>
          <button type="submit" className="button-primary">
            {t("cases:assign.submit")}
          </button>
        </Form>
      )}
    </section>
  );
}
