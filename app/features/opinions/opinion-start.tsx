import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** No opinion yet: consultants start one from the board's summary or from scratch; everyone else reads that none exists. */
export function OpinionStart({ may, hasBoardSummary }: { may: boolean; hasBoardSummary: boolean }) {
  const { t } = useTranslation();
  const result = useActionData<{ intent?: string; formError?: string | null }>();
  const busy = useNavigation().state !== "idle";
  if (!may) return <p className="muted">{t("opinions:page.none")}</p>;
  return (
    <Form method="post" className="opinion-start">
      <input type="hidden" name="intent" value="start" />
      <p>{t("opinions:start.explain")}</p>
      {result?.intent === "start" && result.formError && (
        <p className="field-errors" role="alert">
          {t(result.formError)}
        </p>
      )}
      <div className="button-row">
        {hasBoardSummary && (
          <button type="submit" className="button-primary" name="origin" value="BOARD" disabled={busy}>
            {t("opinions:start.fromBoard")}
          </button>
        )}
        <button type="submit" name="origin" value="SCRATCH" className={hasBoardSummary ? "button-secondary" : "button-primary"} disabled={busy}>
          {t("opinions:start.fromScratch")}
        </button>
      </div>
    </Form>
  );
}
