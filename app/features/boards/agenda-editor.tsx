/** A board's agenda: the table invitees read, and the coordinator's editor (add, remove, reorder by drag or keyboard, minutes). */
import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { Form, Link, useActionData, useFetcher, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState, type DragEvent } from "react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { moveInOrder, type MoveDirection } from "~/features/boards/board-schedule";
import { AddCaseForm, ItemMinutesForm, type AgendaReply } from "~/features/boards/board-forms";
import type { DiagnosisFacts } from "~/features/cases/case-diagnosis";
import { CASE_STATUS_LABEL_KEYS, type CaseStatus } from "~/features/cases/case-lifecycle";
import { DiagnosisText } from "~/features/cases/diagnosis-text";
import { FieldErrors, FormErrors } from "~/ui/field-errors";
import { formatClock } from "~/ui/format";
import { TableScroll } from "~/ui/table-scroll";

type Institution = { nameEn: string; nameZh: string };
export type AgendaRow = {
  id: string;
  caseId: string;
  code: string;
  caseStatus: CaseStatus;
  institution: Institution;
  /** What the agenda says of the case: none for a reader who may not open it. */
  diagnosis: DiagnosisFacts | null;
  minutes: number;
  plannedAt: string;
  /** Whether the reader may open the case: its code is a link only then. */
  caseLink: boolean;
};
type Candidate = { id: string; code: string; status: CaseStatus; institution: Institution };

function useInstitutionName() {
  const { i18n } = useTranslation();
  return (institution: Institution) => (i18n.language === "zh-CN" ? institution.nameZh : institution.nameEn);
}

function AgendaColumns() {
  const { t } = useTranslation();
  return (
    <>
      {(["position", "case", "diagnosis", "institution", "caseStatus", "planned", "minutes"] as const).map((column) => (
        <th key={column} scope="col">
          {t(`sessions:detail.${column}`)}
        </th>
      ))}
    </>
  );
}

/** The agenda as the invitees read it. */
export function AgendaTable({ items, viewerZone }: { items: AgendaRow[]; viewerZone: string }) {
  const { t, i18n } = useTranslation();
  const institutionName = useInstitutionName();
  return (
    <TableScroll label={t("sessions:detail.agenda")}>
      <table className="data-table agenda-table">
        <thead>
          <tr>
            <AgendaColumns />
          </tr>
        </thead>
        <tbody>
          {items.map((item, index) => (
            <tr key={item.id}>
              <td>{index + 1}</td>
              <td>{item.caseLink ? <Link to={`/cases/${item.caseId}`}>{item.code}</Link> : item.code}</td>
              <td>{item.diagnosis && <DiagnosisText diagnosis={item.diagnosis} />}</td>
              <td>{institutionName(item.institution)}</td>
              <td>{t(CASE_STATUS_LABEL_KEYS[item.caseStatus])}</td>
              <td>{formatClock(item.plannedAt, i18n.language, viewerZone)}</td>
              <td>{item.minutes}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/**
 * The coordinator's agenda: add and remove cases, minutes per case, and order
 * by dragging rows or with each row's move buttons (keyboard and screen
 * readers); focus stays on the moved case's button.
 */
export function AgendaEditor({ items, candidates, viewerZone }: { items: AgendaRow[]; candidates: Candidate[]; viewerZone: string }) {
  const { t, i18n } = useTranslation();
  const institutionName = useInstitutionName();
  const navigation = useNavigation();
  const reorder = useFetcher<AgendaReply>({ key: "agenda-reorder" });
  const reply = useActionData<AgendaReply>();
  const [addForm, addFields] = useForm<z.input<typeof AddCaseForm>>({
    id: "agenda-add",
    lastResult: reply?.intent === "addCase" ? reply.result : undefined,
    constraint: getZodConstraint(AddCaseForm),
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: AddCaseForm }),
  });
  const [dragged, setDragged] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const refocus = useRef<{ itemId: string; direction: MoveDirection; submitted: boolean } | null>(null);

  const pending = reorder.formData;
  const pendingIntent = pending?.get("intent");
  let order = items.map((i) => i.id);
  if (pendingIntent === "reorder") order = pending!.getAll("order").map(String);
  else if (pendingIntent === "moveUp" || pendingIntent === "moveDown")
    order = moveInOrder(order, String(pending!.get("itemId")), pendingIntent === "moveUp" ? "up" : "down");
  const byId = new Map(items.map((i) => [i.id, i]));
  const rows = order.map((id) => byId.get(id)).filter((row): row is AgendaRow => row !== undefined);

  useEffect(() => {
    const target = refocus.current;
    if (!target) return;
    const button = (dir: MoveDirection) => document.querySelector<HTMLButtonElement>(`[data-move="${target.itemId}:${dir}"]`);
    const preferred = button(target.direction);
    (preferred && !preferred.disabled ? preferred : button(target.direction === "up" ? "down" : "up"))?.focus();
    if (reorder.state !== "idle") target.submitted = true;
    else if (target.submitted) refocus.current = null;
  });

  /** Before the move is submitted: where focus goes back to, and what screen readers hear. */
  const moved = (row: AgendaRow, direction: MoveDirection) => {
    const next = moveInOrder(order, row.id, direction);
    refocus.current = { itemId: row.id, direction, submitted: false };
    setAnnouncement(t("sessions:detail.moved", { code: row.code, position: next.indexOf(row.id) + 1, count: next.length }));
  };

  const drop = (event: DragEvent, targetId: string) => {
    event.preventDefault();
    if (!dragged || dragged === targetId) return setDragged(null);
    const next = order.filter((id) => id !== dragged);
    next.splice(order.indexOf(targetId), 0, dragged);
    const row = byId.get(dragged)!;
    setAnnouncement(t("sessions:detail.moved", { code: row.code, position: next.indexOf(dragged) + 1, count: next.length }));
    setDragged(null);
    const form = new FormData();
    form.set("intent", "reorder");
    for (const id of next) form.append("order", id);
    reorder.submit(form, { method: "post" });
  };

  const busy = navigation.state !== "idle";
  return (
    <div className="agenda-editor">
      <p className="hint">{t("sessions:detail.reorderHint")}</p>
      {reorder.data?.error && (
        <p className="alert alert-error" role="alert">
          {t(reorder.data.error)}
        </p>
      )}
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      {rows.length === 0 ? (
        <p className="empty-state">{t("sessions:detail.noAgenda")}</p>
      ) : (
        <TableScroll label={t("sessions:detail.agenda")}>
          <table className="data-table agenda-table">
            <thead>
              <tr>
                <AgendaColumns />
                <th scope="col">{t("sessions:detail.order")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => (
                <tr
                  key={row.id}
                  draggable
                  className={dragged === row.id ? "agenda-row dragging" : "agenda-row"}
                  data-agenda-item={row.id}
                  onDragStart={(event) => {
                    event.dataTransfer.effectAllowed = "move";
                    event.dataTransfer.setData("text/plain", row.id);
                    setDragged(row.id);
                  }}
                  onDragEnd={() => setDragged(null)}
                  onDragOver={(event) => {
                    event.preventDefault();
                    event.dataTransfer.dropEffect = "move";
                  }}
                  onDrop={(event) => drop(event, row.id)}
                >
                  <td>
                    <span className="drag-handle" aria-hidden="true">
                      ⠿
                    </span>{" "}
                    {index + 1}
                  </td>
                  <td>
                    <Link to={`/cases/${row.caseId}`}>{row.code}</Link>
                  </td>
                  <td>{row.diagnosis && <DiagnosisText diagnosis={row.diagnosis} />}</td>
                  <td>{institutionName(row.institution)}</td>
                  <td>{t(CASE_STATUS_LABEL_KEYS[row.caseStatus])}</td>
                  <td>{formatClock(row.plannedAt, i18n.language, viewerZone)}</td>
                  <td>
                    {/* A new form when the stored minutes change, so it shows them. */}
                    <MinutesForm key={row.minutes} row={row} />
                  </td>
                  <td className="agenda-actions">
                    <reorder.Form method="post" className="inline">
                      <input type="hidden" name="itemId" value={row.id} />
                      <button
                        type="submit"
                        name="intent"
                        value="moveUp"
                        className="button-secondary"
                        data-move={`${row.id}:up`}
                        aria-label={t("sessions:detail.moveUp", { code: row.code })}
                        disabled={index === 0}
                        onClick={() => moved(row, "up")}
                      >
                        ↑ {t("sessions:detail.up")}
                      </button>
                      <button
                        type="submit"
                        name="intent"
                        value="moveDown"
                        className="button-secondary"
                        data-move={`${row.id}:down`}
                        aria-label={t("sessions:detail.moveDown", { code: row.code })}
                        disabled={index === rows.length - 1}
                        onClick={() => moved(row, "down")}
                      >
                        ↓ {t("sessions:detail.down")}
                      </button>
                    </reorder.Form>
                    <Form method="post" className="inline">
                      <input type="hidden" name="itemId" value={row.id} />
                      <button
                        type="submit"
                        name="intent"
                        value="removeItem"
                        className="button-danger"
                        aria-label={t("sessions:detail.remove", { code: row.code })}
                        disabled={busy}
                      >
                        {t("sessions:detail.removeShort")}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <Form method="post" className="inline-form add-case" {...getFormProps(addForm)}>
        <input type="hidden" name="intent" value="addCase" />
        <div className="field">
          <label htmlFor="agenda-case">{t("sessions:detail.caseToAdd")}</label>
          {candidates.length === 0 ? (
            <p className="muted" id="agenda-case">
              {t("sessions:detail.noSchedulable")}
            </p>
          ) : (
            <select {...getSelectProps(addFields.caseId)} id="agenda-case">
              {candidates.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.code} · {institutionName(c.institution)} · {t(CASE_STATUS_LABEL_KEYS[c.status])}
                </option>
              ))}
            </select>
          )}
          <FieldErrors field={addFields.caseId} />
        </div>
        {candidates.length > 0 && (
          <button type="submit" className="button-primary" disabled={busy}>
            {t("sessions:detail.add")}
          </button>
        )}
        <FormErrors errors={addForm.errors} />
      </Form>
    </div>
  );
}

function MinutesForm({ row }: { row: AgendaRow }) {
  const { t } = useTranslation();
  const fetcher = useFetcher<AgendaReply>();
  const [form, fields] = useForm<z.input<typeof ItemMinutesForm>>({
    id: `minutes-${row.id}`,
    lastResult: fetcher.data?.result,
    constraint: getZodConstraint(ItemMinutesForm),
    defaultValue: { minutes: row.minutes },
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ItemMinutesForm }),
  });
  return (
    <fetcher.Form method="post" className="inline-form minutes-form" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="setMinutes" />
      <input type="hidden" name="itemId" value={row.id} />
      <label htmlFor={fields.minutes.id} className="visually-hidden">
        {t("sessions:detail.minutesFor", { code: row.code })}
      </label>
      <input {...getInputProps(fields.minutes, { type: "number" })} step={1} />
      <button type="submit" className="button-secondary" aria-label={t("sessions:detail.saveMinutes", { code: row.code })} disabled={fetcher.state !== "idle"}>
        {t("sessions:detail.save")}
      </button>
      <FieldErrors field={fields.minutes} />
      <FormErrors errors={form.errors} />
    </fetcher.Form>
  );
}
