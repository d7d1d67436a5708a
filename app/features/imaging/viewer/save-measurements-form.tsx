/** The button that saves the viewer's measurements of the series into the case as a DICOM SR measurement report. */
import { useFetcher } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { ViewerState } from "./viewer-state";

export function SaveMeasurementsButton({ action, state }: { action: string; state: ViewerState }) {
  const { t } = useTranslation();
  const fetcher = useFetcher<{ error: string | null; saved?: boolean; measurements?: number }>();
  return (
    <fetcher.Form method="post" action={action} className="save-measurements-form">
      <input type="hidden" name="intent" value="saveMeasurements" />
      <input type="hidden" name="viewState" value={JSON.stringify(state)} />
      <button type="submit" disabled={fetcher.state !== "idle"}>
        {t("imaging:reports.save")}
      </button>
      {fetcher.state === "idle" && fetcher.data?.error && (
        <p className="alert alert-error" role="alert">
          {t(fetcher.data.error)}
        </p>
      )}
      {fetcher.state === "idle" && fetcher.data?.saved && <p role="status">{t("imaging:reports.saved", { count: fetcher.data.measurements ?? 0 })}</p>}
    </fetcher.Form>
  );
}
