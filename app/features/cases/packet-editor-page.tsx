/**
 * The packet editor page, for a new packet (/cases/new) and for a case's packet (/cases/<id>/edit). Both routes export this
 * very component, so when a new packet's first save creates its case and the page moves to the case's address, React keeps
 * the form and whatever is being typed; another case, or a new packet opened again, gets a fresh form.
 */
import { Link, useActionData, useLoaderData, useLocation, type ShouldRevalidateFunction } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AttachmentsPanel } from "~/features/cases/attachments-panel";
import { CasePacketForm, type PacketFormState, type PacketReference, type SaveReply } from "~/features/cases/case-packet-form";
import { imagingUploadPath, slideUploadPath } from "~/features/imaging/imaging-sections";
import type { TranslatedText } from "~/features/translation/translated-text";
import { TranslatedTextView } from "~/features/translation/translated-text-view";

export type PacketEditorView = {
  caseId: string | null;
  code: string | null;
  status: string;
  returnReason: TranslatedText | null;
  timeZone: string;
  version: number;
  defaults: Record<string, unknown>;
  reference: PacketReference;
  attachments: { id: string; fileName: string; kind: string; size: number; mimeType: string }[];
  canUpload: boolean;
  imaging: { addImaging: boolean; queryPacs: boolean };
};

/** An autosave changes nothing the page loaded that its form does not hold already (the form keeps the version each save answers). */
export const shouldRevalidatePacketEditor: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "autosave" ? false : defaultShouldRevalidate;

export function PacketEditorPage() {
  const loaded = useLoaderData<PacketEditorView>();
  const reply = useActionData<SaveReply>();
  const location = useLocation();
  const { t } = useTranslation();
  const formKey = (location.state as PacketFormState | null)?.packetForm ?? loaded.caseId ?? location.key;
  return (
    <section aria-labelledby="case-title">
      <div className="page-heading">
        <h1 id="case-title">{loaded.code ? t("cases:form.title", { code: loaded.code }) : t("cases:form.newTitle")}</h1>
        {loaded.caseId && (
          // A whole-page load, so the browser asks before unsaved changes are left behind.
          <Link to={`/cases/${loaded.caseId}`} reloadDocument>
            {t("cases:form.viewCase")}
          </Link>
        )}
      </div>
      {loaded.status === "RETURNED" && loaded.returnReason && (
        <div className="alert alert-warning" role="note" aria-label={t("cases:view.returnedBecause")}>
          <strong>{t("cases:view.returnedBecause")}</strong>
          <TranslatedTextView text={loaded.returnReason} timeZone={loaded.timeZone} />
        </div>
      )}
      {loaded.caseId ? (
        <>
          <AttachmentsPanel caseId={loaded.caseId} attachments={loaded.attachments} canUpload={loaded.canUpload} />
          <ImagingLinks caseId={loaded.caseId} may={loaded.imaging} />
        </>
      ) : (
        <p className="hint">{t("cases:form.newIntro")}</p>
      )}
      <CasePacketForm
        key={formKey}
        caseId={loaded.caseId}
        formKey={formKey}
        defaults={loaded.defaults}
        version={loaded.version}
        reference={loaded.reference}
        lastReply={reply}
      />
    </section>
  );
}

/** The case's DICOM and slide uploads live on the case page, where they are de-identified in the browser; the packet links there. */
function ImagingLinks({ caseId, may }: { caseId: string; may: PacketEditorView["imaging"] }) {
  const { t } = useTranslation();
  if (!may.addImaging) return null;
  return (
    <section className="section" aria-labelledby="packet-imaging-title">
      <h2 id="packet-imaging-title">{t("cases:form.imaging")}</h2>
      <p className="hint">{t("cases:form.imagingIntro")}</p>
      <ul>
        <li>
          <Link to={imagingUploadPath(caseId)} reloadDocument>
            {t("cases:form.imagingUpload")}
          </Link>
        </li>
        <li>
          <Link to={slideUploadPath(caseId)} reloadDocument>
            {t("cases:form.slidesUpload")}
          </Link>
        </li>
        {may.queryPacs && (
          <li>
            <Link to={`/cases/${caseId}/pacs`} reloadDocument>
              {t("imaging:pacs.link")}
            </Link>
          </li>
        )}
      </ul>
    </section>
  );
}
