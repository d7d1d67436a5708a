/** A version's facts: state, signer and time on both clocks, hash, recipients, and for an amendment its reason and changes. */
import { useTranslation } from "react-i18next";
import type { OpinionChange } from "~/features/opinions/opinion-changes";
import { formatDateTime, formatStartOnClocks } from "~/ui/format";
import { SECTION_TITLE_KEYS } from "./opinion-view";
import { TableScroll } from "~/ui/table-scroll";

type Version = {
  id: string;
  version: number;
  status: string;
  amendmentReason: string | null;
  previousVersion: number | null;
  changes: OpinionChange[];
  contentHash: string | null;
  signedBy: { displayName: string; timeZone: string } | null;
  signedAt: Date | string | null;
  deliveredAt: Date | string | null;
  recipients: { name: string; acknowledgedAt: Date | string | null }[];
};

const OPINION_STATUS_KEYS: Record<string, string> = {
  DRAFT: "opinions:status.DRAFT",
  SIGNED: "opinions:status.SIGNED",
  DELIVERED: "opinions:status.DELIVERED",
  SUPERSEDED: "opinions:status.SUPERSEDED",
};

/** A version's facts: its state, who signed it and when (on the signer's clock and Beijing's), its hash, its recipients, and for an amendment the reason and what changed. */
export function OpinionVersionHeader({ version: v, timeZone, caseId }: { version: Version; timeZone: string; caseId: string }) {
  const { t, i18n } = useTranslation();
  const when = (value: Date | string, zone: string) => formatDateTime(value, i18n.language, zone);
  const zones = [...new Set([v.signedBy?.timeZone ?? timeZone, "Asia/Shanghai"])];
  return (
    <section aria-label={t("opinions:page.versionN", { n: v.version })} className="version-header">
      <p>
        <strong>{t("opinions:page.versionN", { n: v.version })}</strong> · {t(OPINION_STATUS_KEYS[v.status] ?? "opinions:status.DRAFT")}
      </p>
      {v.amendmentReason && (
        <div className="amendment">
          <p>
            <strong>{t("opinions:amend.of", { n: v.previousVersion ?? v.version - 1 })}</strong> {t("opinions:amend.reasonShown")}{" "}
            <span className="pre-wrap">{v.amendmentReason}</span>
          </p>
          {v.changes.length > 0 && (
            <TableScroll label={t("opinions:amend.changes")}>
              <table>
                <caption>{t("opinions:amend.changes")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("opinions:amend.section")}</th>
                    <th scope="col">{t("opinions:amend.before")}</th>
                    <th scope="col">{t("opinions:amend.after")}</th>
                  </tr>
                </thead>
                <tbody>
                  {v.changes.map((c) => (
                    <tr key={`${c.section}-${c.language}-${c.path}`}>
                      <td>
                        {t(SECTION_TITLE_KEYS[c.section])} ({c.language === "en" ? "EN" : "中文"})
                      </td>
                      <td lang={c.language === "en" ? "en" : "zh-CN"} className="pre-wrap">
                        {c.before ? <del>{c.before}</del> : "—"}
                      </td>
                      <td lang={c.language === "en" ? "en" : "zh-CN"} className="pre-wrap">
                        {c.after ? <ins>{c.after}</ins> : "—"}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
        </div>
      )}
      {v.signedBy && v.signedAt && (
        <p>
          {t("opinions:page.signedBy", { name: v.signedBy.displayName })} · {formatStartOnClocks(t, v.signedAt, i18n.language, zones)}
        </p>
      )}
      {v.contentHash && (
        <p className="small">
          {t("opinions:page.hash")} <code className="hash">{v.contentHash}</code>
        </p>
      )}
      {v.deliveredAt && (
        <p className="small">
          {t("opinions:page.deliveredTo", {
            names: v.recipients
              .map((r) => (r.acknowledgedAt ? t("opinions:page.acknowledgedName", { name: r.name, time: when(r.acknowledgedAt, timeZone) }) : r.name))
              .join(", "),
            time: when(v.deliveredAt, timeZone),
          })}
        </p>
      )}
      {v.contentHash && (
        <p className="button-row">
          <a className="button-secondary" href={`/cases/${caseId}/opinions/${v.id}/pdf`} download>
            {t("opinions:page.downloadPdf", { n: v.version })}
          </a>
          {v.deliveredAt && (
            <a className="button-secondary" href={`/cases/${caseId}/opinions/${v.id}/fhir`}>
              {t("opinions:page.downloadFhir", { n: v.version })}
            </a>
          )}
        </p>
      )}
    </section>
  );
}
