/**
 * For end-to-end tests against a server of their own: on the database that
 * DATABASE_URL names (migrated and seeded by that server), schedules a board
 * on the demo Wuhan case with the corpus CT series (with `--interpreter`, the
 * demo interpreter invited; with `--two-cases`, the demo Hangzhou case second
 * on the agenda; with `--zoom`, the call a Zoom meeting ID and passcode; with `--report`, a length on the second slice
 * saved by the treating physician as a DICOM SR), and prints its ids and the cases' codes as JSON.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { disconnectDb, getDb } from "~/platform/db.server";
import { ingestDicom } from "~/features/imaging/imaging-ingest.server";
import { stopDicomWorkers } from "~/features/imaging/dicom-workers.server";
import { saveMeasurementReport } from "~/features/imaging/structured-reports.server";
import { getCaseFacts } from "~/features/cases/case-store.server";
import { sessionUserSelect } from "~/features/identity/session.server";
import { isRole } from "~/features/identity/roles";
import { initialViewerState } from "~/features/imaging/viewer/viewer-state";
import { scheduledBoard } from "./board";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const db = getDb();
const twoCases = process.argv.includes("--two-cases");
const board = await scheduledBoard(db, { wuhanOnly: !twoCases, interpreter: process.argv.includes("--interpreter") });
if (process.argv.includes("--zoom"))
  await db.boardSession.update({
    where: { id: board.session.id },
    data: { meetingProvider: "ZOOM", videoUrl: null, meetingId: "84512345678", meetingPasscode: "tb2026" },
  });
for (const f of ["ct-3slice-01.dcm", "ct-3slice-02.dcm", "ct-3slice-03.dcm"])
  await ingestDicom(db, board.wuhan.id, readFileSync(path.join(CORPUS, "ct-series", f)), f);
if (process.argv.includes("--report")) {
  const series = await db.imagingSeries.findFirstOrThrow({ where: { study: { caseId: board.wuhan.id }, modality: "CT" } });
  const physician = await db.user.findUniqueOrThrow({ where: { email: "physician@demo.test" }, select: sessionUserSelect });
  if (!isRole(physician.role)) throw new Error("the demo physician has no role");
  const annotations = [{ kind: "length", slice: 1, start: { x: 100, y: 200 }, end: { x: 300, y: 200 } }];
  const saved = await saveMeasurementReport({
    db,
    user: { ...physician, role: physician.role },
    facts: (await getCaseFacts(db, board.wuhan.id))!,
    meta: { ip: null, userAgent: "create-board", requestId: null },
    seriesId: series.id,
    viewState: JSON.stringify({ ...initialViewerState(series.id), annotations }),
  });
  if (!saved?.ok) throw new Error(`measurement report not saved: ${JSON.stringify(saved)}`);
}
console.log(
  JSON.stringify({
    sessionId: board.session.id,
    caseId: board.wuhan.id,
    caseCode: board.wuhan.code,
    ...(twoCases ? { secondCaseCode: board.hangzhou.code } : {}),
  }),
);
await stopDicomWorkers();
await disconnectDb();
