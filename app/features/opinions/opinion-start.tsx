/** No opinion yet: consultants start one from the board's summary or from scratch. */
import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint } from "@conform-to/zod";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { FormErrors } from "~/ui/field-errors";
import { lastResultOf, StartForm, type OpinionActionReply } from "./opinion-forms";

/** No opinion yet: consultants start one from the board's summary or from scratch; everyone else reads that none exists. */
export function OpinionStart({ may, hasBoardSummary }: { may: boolean; hasBoardSummary: boolean }) {
  const { t } = useTranslation();
  const lastResult = lastResultOf(useActionData<OpinionActionReply>(), "start");
  const busy = useNavigation().state !== "idle";
  const [form, fields] = useForm<z.input<typeof StartForm>>({ id: "opinion-start", lastResult, constraint: getZodConstraint(StartForm) });
  if (!may) return <p className="muted">{t("opinions:page.none")}</p>;
  return (
    <Form method="post" className="opinion-start" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="start" />
      <p>{t("opinions:start.explain")}</p>
      <FormErrors errors={form.errors} />
      <div className="button-row">
        {hasBoardSummary && (
          <button type="submit" className="button-primary" name={fields.origin.name} value="BOARD" disabled={busy}>
            {t("opinions:start.fromBoard")}
          </button>
        )}
        <button type="submit" name={fields.origin.name} value="SCRATCH" className={hasBoardSummary ? "button-secondary" : "button-primary"} disabled={busy}>
          {t("opinions:start.fromScratch")}
        </button>
      </div>
    </Form>
  );
}
