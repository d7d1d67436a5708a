/** How a study is named wherever it is listed (description, modalities, date), and the days between two studies. */
import type { TFunction } from "i18next";
import { formatDate } from "~/ui/format";

/** A DICOM date (DA, YYYYMMDD) as midnight UTC, or null when it is missing or no real date. */
export function dicomDate(value: string | null): Date | null {
  const parts = value ? /^(\d{4})(\d{2})(\d{2})$/.exec(value.trim()) : null;
  if (!parts) return null;
  const [year, month, day] = parts.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : null;
}

/** Whole days from one DICOM date to another, negative when `to` is earlier; null when either is no date. */
export function daysBetween(from: string | null, to: string | null): number | null {
  const [start, end] = [dicomDate(from), dicomDate(to)];
  return start && end ? Math.round((end.getTime() - start.getTime()) / 86_400_000) : null;
}

/** The modalities of a study's series, each once, in order: "CT/PT". */
export function studyModalities(series: { modality: string | null }[]): string {
  return [...new Set(series.flatMap((s) => (s.modality ? [s.modality] : [])))].join("/");
}

export function formatStudyDate(value: string | null, t: TFunction, locale: string): string {
  const date = dicomDate(value);
  return date ? formatDate(date, locale, "UTC") : t("imaging:studies.noDate");
}

export type LabelledStudy = { studyDate: string | null; description: string | null; series: { modality: string | null }[] };

/** "Chest with contrast · CT · 17 Apr 2003", in the reader's language. */
export function studyLabel(study: LabelledStudy, t: TFunction, locale: string): string {
  return t("imaging:studies.study", {
    description: study.description?.trim() || t("imaging:studies.noDescription"),
    modality: studyModalities(study.series) || "—",
    date: formatStudyDate(study.studyDate, t, locale),
  });
}
