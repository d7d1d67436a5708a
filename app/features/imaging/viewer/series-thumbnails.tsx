/** The case's studies, each named, and a thumbnail button per series that shows it in the active viewport. */
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { studyLabel } from "~/features/imaging/study-label";
import { sliceCount, thumbnailUrl, type ViewerStudy } from "./workspace-state";

type Props = { studies: ViewerStudy[]; activeSeriesId: string | null; onChoose: (seriesId: string) => void };

export function SeriesThumbnails({ studies, activeSeriesId, onChoose }: Props) {
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
              const thumbnail = thumbnailUrl(s);
              const lines = [
                t("imaging:workspace.thumbnailSeries", { number: s.series.number ?? "—", modality: s.series.modality ?? "—" }),
                s.series.description || t("imaging:workspace.noDescription"),
                t("imaging:workspace.slices", { count: sliceCount(s) }),
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
                      {lines.map((line, i) => (i === 0 ? <strong key={i}>{line}</strong> : <span key={i}>{line}</span>))}
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
