/**
 * QIDO-RS for one case (PS3.18 10.6), answered from the index: the case's visible studies, series or instances as
 * records (`dicom/qido-match.ts` filters, pages and projects them). Consultants never see series flagged for possible
 * burned-in text: a study whose every series is flagged does not exist for them.
 */
import dcmjs from "dcmjs";
import { answerQido, parseQidoQuery, RETRIEVE_URL, type QidoAnswer, type QidoLevel, type QidoRecord } from "~/features/imaging/dicom/qido-match";
import { visibleSeries } from "~/features/imaging/imaging-store.server";
import type { Db } from "~/platform/db.server";

const nameMap = dcmjs.data.DicomMetaDictionary.nameMap;
const lookupKeyword = (keyword: string) => (Object.hasOwn(nameMap, keyword) ? nameMap[keyword].tag : undefined);

export type QidoScope = { caseId: string; caseCode: string; seeFlaggedSeries: boolean; base: string; studyUid?: string; seriesUid?: string };

/** The answer, or a 400's message, or null when the study or series in the path is not one the reader may see. */
export type QidoResult = { ok: true; answer: QidoAnswer } | { ok: false; error: string } | null;

const value = (v: string | number | null | undefined) => (v === null || v === undefined || v === "" ? [] : [v]);

async function visibleStudies(db: Db, scope: QidoScope) {
  const studies = await db.imagingStudy.findMany({
    where: { caseId: scope.caseId, ...(scope.studyUid ? { studyInstanceUid: scope.studyUid } : {}) },
    select: {
      studyInstanceUid: true,
      studyDate: true,
      description: true,
      series: {
        where: { ...visibleSeries(scope.seeFlaggedSeries), ...(scope.seriesUid ? { seriesInstanceUid: scope.seriesUid } : {}) },
        select: {
          id: true,
          seriesInstanceUid: true,
          modality: true,
          seriesNumber: true,
          description: true,
          bodyPart: true,
          _count: { select: { instances: true } },
        },
        orderBy: [{ seriesNumber: "asc" }, { createdAt: "asc" }],
      },
    },
    orderBy: { createdAt: "asc" },
  });
  return studies.filter((s) => s.series.length > 0);
}

type StudyRow = Awaited<ReturnType<typeof visibleStudies>>[number];
type SeriesRow = StudyRow["series"][number];

function studyRecord(study: StudyRow, scope: QidoScope, allSeriesCounts: { series: number; instances: number; modalities: string[] }): QidoRecord {
  return new Map<string, (string | number)[]>([
    ["00080020", value(study.studyDate)],
    ["00080050", []],
    ["00080061", allSeriesCounts.modalities],
    ["00081030", value(study.description)],
    ["00100010", [scope.caseCode]],
    ["00100020", [scope.caseCode]],
    ["0020000D", [study.studyInstanceUid]],
    ["00201206", [allSeriesCounts.series]],
    ["00201208", [allSeriesCounts.instances]],
    [RETRIEVE_URL, [`${scope.base}/studies/${study.studyInstanceUid}`]],
  ]);
}

function seriesRecord(study: QidoRecord, studyUid: string, series: SeriesRow, base: string): QidoRecord {
  const record = new Map(study);
  record.set("00080060", value(series.modality));
  record.set("0008103E", value(series.description));
  record.set("00180015", value(series.bodyPart));
  record.set("0020000E", [series.seriesInstanceUid]);
  record.set("00200011", value(series.seriesNumber));
  record.set("00201209", [series._count.instances]);
  record.set(RETRIEVE_URL, [`${base}/studies/${studyUid}/series/${series.seriesInstanceUid}`]);
  return record;
}

const counts = (study: StudyRow) => ({
  series: study.series.length,
  instances: study.series.reduce((n, s) => n + s._count.instances, 0),
  modalities: [...new Set(study.series.map((s) => s.modality).filter((m): m is string => Boolean(m)))],
});

/**
 * A QIDO-RS search at `level` within `scope` (the study and series UIDs of the path). At the root, series and instances
 * carry their study's default attributes too, and instances their series' (PS3.18 Table 10.6.3-3 and -4).
 */
export async function qido(db: Db, level: QidoLevel, scope: QidoScope, params: URLSearchParams): Promise<QidoResult> {
  const parsed = parseQidoQuery(params, level, lookupKeyword);
  if (!parsed.ok) return parsed;
  // Counts and ModalitiesInStudy describe the whole visible study even when the path names one series.
  const studies = await visibleStudies(db, { ...scope, seriesUid: undefined });
  if (scope.studyUid && studies.length === 0) return null;
  const parents: QidoLevel[] = [];
  if (level !== "study" && !scope.studyUid) parents.push("study");
  if (level === "instance" && !scope.seriesUid) parents.push("series");

  const studyRecords = studies.map((s) => ({ study: s, record: studyRecord(s, scope, counts(s)) }));
  if (level === "study")
    return {
      ok: true,
      answer: answerQido(
        studyRecords.map((s) => s.record),
        parsed.query,
        parents,
      ),
    };

  const seriesRecords = studyRecords.flatMap(({ study, record }) =>
    study.series
      .filter((s) => !scope.seriesUid || s.seriesInstanceUid === scope.seriesUid)
      .map((s) => ({
        id: s.id,
        uid: s.seriesInstanceUid,
        studyUid: study.studyInstanceUid,
        record: seriesRecord(record, study.studyInstanceUid, s, scope.base),
      })),
  );
  if (scope.seriesUid && seriesRecords.length === 0) return null;
  if (level === "series")
    return {
      ok: true,
      answer: answerQido(
        seriesRecords.map((s) => s.record),
        parsed.query,
        parents,
      ),
    };

  const instances = await db.imagingInstance.findMany({
    where: { seriesId: { in: seriesRecords.map((s) => s.id) } },
    select: {
      seriesId: true,
      sopInstanceUid: true,
      sopClassUid: true,
      instanceNumber: true,
      frames: true,
      rows: true,
      columns: true,
      bitsAllocated: true,
      photometricInterpretation: true,
    },
    orderBy: [{ instanceNumber: "asc" }, { sopInstanceUid: "asc" }],
  });
  const bySeries = new Map<string, typeof instances>();
  for (const i of instances) {
    const list = bySeries.get(i.seriesId);
    if (list) list.push(i);
    else bySeries.set(i.seriesId, [i]);
  }
  const records = seriesRecords.flatMap((series) =>
    (bySeries.get(series.id) ?? []).map((i) => {
      const record = new Map(series.record);
      record.set("00080016", value(i.sopClassUid));
      record.set("00080018", [i.sopInstanceUid]);
      record.set("00200013", value(i.instanceNumber));
      record.set("00280004", value(i.photometricInterpretation));
      record.set("00280008", [i.frames]);
      record.set("00280010", value(i.rows));
      record.set("00280011", value(i.columns));
      record.set("00280100", value(i.bitsAllocated));
      record.set(RETRIEVE_URL, [`${scope.base}/studies/${series.studyUid}/series/${series.uid}/instances/${i.sopInstanceUid}`]);
      return record;
    }),
  );
  return { ok: true, answer: answerQido(records, parsed.query, parents) };
}
