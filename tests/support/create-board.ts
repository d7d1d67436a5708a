/**
 * For end-to-end tests against a server of their own: on the database that
 * DATABASE_URL names (migrated and seeded by that server), schedules a board
 * on the demo Wuhan case with the corpus CT series (with `--interpreter`, the
 * demo interpreter invited), and prints its ids and the case's code as JSON.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { disconnectDb, getDb } from "~/platform/db.server";
import { ingestDicom } from "~/features/imaging/imaging-ingest.server";
import { stopDicomWorkers } from "~/features/imaging/dicom-workers.server";
import { scheduledBoard } from "./board";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const db = getDb();
const board = await scheduledBoard(db, { wuhanOnly: true, interpreter: process.argv.includes("--interpreter") });
for (const f of ["ct-3slice-01.dcm", "ct-3slice-02.dcm", "ct-3slice-03.dcm"])
  await ingestDicom(db, board.wuhan.id, readFileSync(path.join(CORPUS, "ct-series", f)), f);
console.log(JSON.stringify({ sessionId: board.session.id, caseId: board.wuhan.id, caseCode: board.wuhan.code }));
await stopDicomWorkers();
await disconnectDb();
