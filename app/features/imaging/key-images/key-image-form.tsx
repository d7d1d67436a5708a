import { useFetcher } from "@remix-run/react";
import { useEffect, useId, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { ViewerState } from "~/features/imaging/viewer/viewer-state";

/** The note and the button of a key image, posted with what identifies the view (`children`, hidden fields); the form clears once saved. */
export function KeyImageNoteForm({ submitLabel, children }: { submitLabel: string; children: ReactNode }) {
  const { t } = useTranslation();
  const fetcher = useFetcher<{ error: string | null; saved?: boolean }>();
  const form = useRef<HTMLFormElement>(null);
  const id = useId();
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.saved) form.current?.reset();
  }, [fetcher.state, fetcher.data]);
  return (
    <fetcher.Form method="post" ref={form} className="key-image-form">
      {children}
      <div className="field">
        <label htmlFor={`${id}-note`}>{t("imaging:keyImages.note")}</label>
        <textarea id={`${id}-note`} name="note" rows={2} maxLength={1000} required />
      </div>
      <button type="submit" disabled={fetcher.state !== "idle"}>
        {submitLabel}
      </button>
      {fetcher.data?.error && (
        <p className="alert alert-error" role="alert">
          {t(fetcher.data.error)}
        </p>
      )}
      {fetcher.state === "idle" && fetcher.data?.saved && <p role="status">{t("imaging:keyImages.saved")}</p>}
    </fetcher.Form>
  );
}

/** Marks the slice on screen as a key image; the note and the exact view are kept with it. */
export function KeyImageForm({ state, sopInstanceUid, frame }: { state: ViewerState; sopInstanceUid: string; frame: number }) {
  const { t } = useTranslation();
  return (
    <KeyImageNoteForm submitLabel={t("imaging:keyImages.mark", { slice: state.slice + 1 })}>
      <input type="hidden" name="sopInstanceUid" value={sopInstanceUid} />
      <input type="hidden" name="frame" value={frame} />
      <input type="hidden" name="viewState" value={JSON.stringify(state)} />
    </KeyImageNoteForm>
  );
}
