/** A case's key images (slices and slide regions), each link reopening the exact view. */
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { regionParam, type SlideRegion } from "~/features/imaging/slides/slide-region";
import { formatDateTime } from "~/ui/format";
import { sliceNumber } from "~/features/imaging/viewer/viewer-state";

export type KeyImageItem = {
  id: string;
  seriesId: string;
  seriesNumber: number | null;
  modality: string | null;
  slice: number;
  viewState: string;
  note: string;
  author: string | null;
  createdAt: string | Date;
};
export type SlideKeyRegionItem = {
  id: string;
  slideId: string;
  slideName: string;
  region: SlideRegion;
  note: string;
  author: string | null;
  createdAt: string | Date;
};

/** The case's key images (slices and slide regions), each reopening the exact view it was marked in. */
export function KeyImageList({
  caseId,
  keyImages,
  slideRegions,
  timeZone,
}: {
  caseId: string;
  keyImages: KeyImageItem[];
  slideRegions: SlideKeyRegionItem[];
  timeZone: string;
}) {
  const { t, i18n } = useTranslation();
  return (
    <section className="section" aria-labelledby="key-images-title">
      <h2 id="key-images-title">{t("imaging:keyImages.title")}</h2>
      {keyImages.length + slideRegions.length === 0 ? (
        <p className="muted">{t("imaging:keyImages.none")}</p>
      ) : (
        <ul className="key-images">
          {keyImages.map((k) => (
            <li key={k.id}>
              <Link to={`/cases/${caseId}/series/${k.seriesId}?view=${encodeURIComponent(k.viewState)}`}>
                {t("imaging:keyImages.item", { series: k.seriesNumber ?? "—", modality: k.modality ?? "", slice: sliceNumber(k.slice) })}
              </Link>{" "}
              — {k.note}
              <span className="muted small">
                {" "}
                ({k.author ?? "—"}, {formatDateTime(k.createdAt, i18n.language, timeZone)})
              </span>
            </li>
          ))}
          {slideRegions.map((k) => (
            <li key={k.id}>
              <Link to={`/cases/${caseId}/slides/${k.slideId}?region=${regionParam(k.region)}`}>
                {t("imaging:keyImages.slideItem", { name: k.slideName, ...k.region })}
              </Link>{" "}
              — {k.note}
              <span className="muted small">
                {" "}
                ({k.author ?? "—"}, {formatDateTime(k.createdAt, i18n.language, timeZone)})
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
