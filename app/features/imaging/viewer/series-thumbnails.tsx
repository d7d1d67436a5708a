/**
 * The case's studies, each named, and a thumbnail button per series that shows it in the active viewport; a DICOM SEG
 * series is a badge on the series it lies over, not a series of its own.
 */
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { studyLabel } from "~/features/imaging/study-label";
import { isSegmentation, sliceCount, thumbnailUrl, type ViewerStudy } from "./workspace-state";

type Props = {
  studies: ViewerStudy[];
  /** Each SEG series' source series (null: none in the case); undefined while they are being read. */
  segmentationSources: Map<string, string | null> | undefined;
  activeSeriesId: string | null;
  onChoose: (seriesId: string) => void;
};

export function SeriesThumbnails({ studies, segmentationSources, activeSeriesId, onChoose }: Props) {
  const { t, i18n } = useTranslation();
  const id = useId();
  return (
    <section className="viewer-series" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("imaging:workspace.seriesList")}</h2>
      <p className="viewer-hint">{t("imaging:workspace.chooseHint")}</p>
      {studies.map((study) => (
        <section key={study.id} aria-labelledby={`${id}-${study.id}`}>
          <h3 id={`${id}-${study.id}`}>{studyLabel({ ...study, series: study.series.map((s) => s.series) }, t, i18n.language)}</h3>
          <ul>
            {study.series.map((s) => {
              if (isSegmentation(s))
                return segmentationSources?.get(s.series.id) === null ? (
                  <li key={s.series.id} className="viewer-hint">
                    {t("imaging:workspace.segmentationNoSource", { number: s.series.number ?? "—", description: s.series.description ?? "" })}
                  </li>
                ) : null;
              const thumbnail = thumbnailUrl(s);
              const overlays = studies
                .flatMap((other) => other.series)
                .filter((seg) => segmentationSources?.get(seg.series.id) === s.series.id)
                .map((seg) => t("imaging:workspace.overlayBadge", { description: seg.series.description || seg.series.modality }));
              const lines = [
                t("imaging:workspace.thumbnailSeries", { number: s.series.number ?? "—", modality: s.series.modality ?? "—" }),
                s.series.description || t("imaging:workspace.noDescription"),
                t("imaging:workspace.slices", { count: sliceCount(s) }),
                ...overlays,
              ];
              return (
                <li key={s.series.id}>
                  <button
                    type="button"
                    className="viewer-thumbnail"
                    aria-label={lines.join(", ")}
                    aria-current={s.series.id === activeSeriesId || undefined}
                    onClick={() => onChoose(s.series.id)}
                  >
                    {thumbnail ? (
                      <img src={thumbnail} alt="" width={64} height={64} loading="lazy" decoding="async" />
                    ) : (
                      <span className="viewer-thumbnail-blank" />
                    )}
                    <span className="viewer-thumbnail-text">
                      {lines.map((line, i) =>
                        i === 0 ? (
                          <strong key={i}>{line}</strong>
                        ) : (
                          <span key={i} className={i > 2 ? "viewer-thumbnail-badge" : undefined}>
                            {line}
                          </span>
                        ),
                      )}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </section>
  );
}
