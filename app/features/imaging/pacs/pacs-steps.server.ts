/**
 * Query and retrieve from the institution's PACS on a case: the page, the search, a study's series, and the pull, which runs in
 * the background through the one ingest path (`ingestDicom`: de-identified in memory with the case's context, then stored and
 * indexed) while a PacsPull row counts its progress for the page. Each step asks `imagingAbilities(...).queryPacs` again and is
 * audited; what is identifiable and where it may go is written down in pacs-query.ts.
 */
import { auditCase, type CaseCaller } from "~/features/cases/case-access.server";
import { getDb, type Db } from "~/platform/db.server";
import { log } from "~/platform/logger.server";
import { caseDeidContext } from "../deid-context.server";
import { imagingAbilities } from "../imaging-access";
import { ingestDicom } from "../imaging-ingest.server";
import { notAllowed, type Refusal } from "../imaging-access";
import { STORE_REFUSED, STORE_SUCCESS } from "../store-scp.server";
import { DEFAULT_CALLING_AE, pacsFind, pacsGet, type PacsAddress, type PacsTimeouts } from "./pacs-client.server";
import {
  caseUid,
  instanceQuery,
  mapSeries,
  mapStudy,
  MAX_INSTANCES_PER_SERIES,
  MAX_SERIES,
  MAX_STUDIES,
  PACS_ERRORS,
  pullPlan,
  pullTargets,
  PULL_STATUS,
  searchCriteria,
  seriesQuery,
  sortStudies,
  studyQuery,
  text,
  type PacsErrorKey,
  type PacsSearch,
  type PacsSeries,
  type PacsStudy,
  type PullTarget,
} from "./pacs-query";

type PacsCaller = CaseCaller & { timeouts?: Partial<PacsTimeouts> };
type Failure = { ok: false; status: 502; errorKey: PacsErrorKey };
const failure = (errorKey: PacsErrorKey): Failure => ({ ok: false, status: 502, errorKey });

/** The PACS the case's institution recorded, or null. */
async function institutionPacs(db: Db, institutionId: string): Promise<PacsAddress | null> {
  const i = await db.institution.findUnique({
    where: { id: institutionId },
    select: { pacsHost: true, pacsPort: true, pacsAeTitle: true, pacsCallingAeTitle: true },
  });
  if (!i?.pacsHost || !i.pacsPort || !i.pacsAeTitle) return null;
  return { host: i.pacsHost, port: i.pacsPort, calledAeTitle: i.pacsAeTitle, callingAeTitle: i.pacsCallingAeTitle || DEFAULT_CALLING_AE };
}

const PULL_FIELDS = {
  id: true,
  status: true,
  studies: true,
  series: true,
  expected: true,
  skipped: true,
  stored: true,
  duplicate: true,
  rejected: true,
  unrequested: true,
  failed: true,
  errorKey: true,
  createdAt: true,
  finishedAt: true,
} as const;

/** The case's recent pulls, newest first: counts only. */
function recentPulls(db: Db, caseId: string) {
  return db.pacsPull.findMany({ where: { caseId }, orderBy: { createdAt: "desc" }, take: 10, select: PULL_FIELDS });
}

/**
 * The PACS page: whether the institution has a PACS, and the case's recent pulls. `poll` is the page asking for progress while a
 * pull runs: it returns the pulls' counts alone and is not audited again.
 */
export async function loadPacsPage(caller: CaseCaller & { poll?: boolean }) {
  const { user, facts, meta, db = getDb() } = caller;
  if (!imagingAbilities(user, facts).queryPacs) return notAllowed;
  const pulls = await recentPulls(db, facts.id);
  if (caller.poll) return { ok: true as const, pulls };
  const pacs = await institutionPacs(db, facts.institutionId);
  await auditCase({ db, user, meta, caseId: facts.id, action: "pacs.view", details: { pulls: pulls.length } });
  return {
    ok: true as const,
    caseId: facts.id,
    caseCode: facts.code,
    pacs: pacs && { aeTitle: pacs.calledAeTitle, host: pacs.host, port: pacs.port },
    pulls,
  };
}

/** Which of these original UIDs the case already holds, as studies or instances (asked by their case UIDs). */
async function presentInCase(db: Db, caseId: string, originals: string[], kind: "study" | "instance"): Promise<Set<string>> {
  if (originals.length === 0) return new Set();
  const ctx = await caseDeidContext(db, caseId);
  const byCaseUid = new Map(originals.map((o) => [caseUid(o, ctx), o]));
  const present = new Set<string>();
  const keys = [...byCaseUid.keys()];
  for (let i = 0; i < keys.length; i += 500) {
    const chunk = keys.slice(i, i + 500);
    const rows =
      kind === "study"
        ? (await db.imagingStudy.findMany({ where: { caseId, studyInstanceUid: { in: chunk } }, select: { studyInstanceUid: true } })).map(
            (r) => r.studyInstanceUid,
          )
        : (
            await db.imagingInstance.findMany({
              where: { sopInstanceUid: { in: chunk }, series: { study: { caseId } } },
              select: { sopInstanceUid: true },
            })
          ).map((r) => r.sopInstanceUid);
    for (const r of rows) present.add(byCaseUid.get(r)!);
  }
  return present;
}

export type FoundStudy = PacsStudy & { inCase: boolean };

/**
 * Searches the institution's PACS by patient ID, accession number and/or study date range. The answer (with the hospital's
 * patient names and IDs) goes to the physician only; the audit records the kinds of criteria and the number of studies.
 */
export async function searchPacs(
  caller: PacsCaller & { search: PacsSearch },
): Promise<{ ok: true; studies: FoundStudy[]; truncated: boolean } | Refusal | Failure | { ok: false; status: 409; errorKey: PacsErrorKey }> {
  const { user, facts, meta, db = getDb() } = caller;
  if (!imagingAbilities(user, facts).queryPacs) return notAllowed;
  const pacs = await institutionPacs(db, facts.institutionId);
  if (!pacs) return { ok: false, status: 409, errorKey: PACS_ERRORS.notConfigured };
  const criteria = searchCriteria(caller.search);
  const found = await pacsFind(pacs, "study", studyQuery(caller.search), { limit: MAX_STUDIES, timeouts: caller.timeouts });
  if (!found.ok) {
    await auditCase({ db, user, meta, caseId: facts.id, action: "pacs.search", outcome: "failure", details: { criteria, error: found.errorKey } });
    return failure(found.errorKey);
  }
  const studies = sortStudies(found.found.map(mapStudy).filter((s): s is PacsStudy => s !== null));
  const present = await presentInCase(
    db,
    facts.id,
    studies.map((s) => s.studyUid),
    "study",
  );
  await auditCase({
    db,
    user,
    meta,
    caseId: facts.id,
    action: "pacs.search",
    details: { criteria, studies: studies.length, truncated: found.truncated, inCase: present.size },
  });
  return { ok: true, studies: studies.map((s) => ({ ...s, inCase: present.has(s.studyUid) })), truncated: found.truncated };
}

/** The series of one PACS study, for the physician to choose from. Audited with the study's case UID and the number of series. */
export async function listPacsSeries(
  caller: PacsCaller & { studyUid: string },
): Promise<{ ok: true; studyUid: string; series: PacsSeries[] } | Refusal | Failure | { ok: false; status: 409; errorKey: PacsErrorKey }> {
  const { user, facts, meta, db = getDb() } = caller;
  if (!imagingAbilities(user, facts).queryPacs) return notAllowed;
  const pacs = await institutionPacs(db, facts.institutionId);
  if (!pacs) return { ok: false, status: 409, errorKey: PACS_ERRORS.notConfigured };
  const ctx = await caseDeidContext(db, facts.id);
  const study = caseUid(caller.studyUid, ctx);
  const found = await pacsFind(pacs, "series", seriesQuery(caller.studyUid), { limit: MAX_SERIES, timeouts: caller.timeouts });
  if (!found.ok) {
    await auditCase({ db, user, meta, caseId: facts.id, action: "pacs.series", outcome: "failure", details: { study, error: found.errorKey } });
    return failure(found.errorKey);
  }
  const series = found.found
    .map(mapSeries)
    .filter((s): s is PacsSeries => s !== null)
    .sort((a, b) => (a.seriesNumber ?? 1e9) - (b.seriesNumber ?? 1e9));
  await auditCase({ db, user, meta, caseId: facts.id, action: "pacs.series", details: { study, series: series.length } });
  return { ok: true, studyUid: caller.studyUid, series };
}

/** Pulls running in this process, by id: their promise, for shutdown and tests. */
const running = new Map<string, Promise<void>>();
/** Cases with a pull running in this process (the database row tells other servers). */
const busyCases = new Set<string>();

/** Waits for a pull started here to finish (immediately when it is not running here). */
export async function pacsPullSettled(pullId: string): Promise<void> {
  await running.get(pullId);
}

/**
 * Starts pulling the chosen studies and series into the case; answers at once with the pull's id while it runs. A second pull
 * of the same case waits until the first has finished.
 */
export async function startPacsPull(
  caller: PacsCaller & { picks: string[] },
): Promise<{ ok: true; pullId: string } | Refusal | { ok: false; status: 409; errorKey: PacsErrorKey }> {
  const { user, facts, meta, db = getDb() } = caller;
  if (!imagingAbilities(user, facts).queryPacs) return notAllowed;
  const pacs = await institutionPacs(db, facts.institutionId);
  if (!pacs) return { ok: false, status: 409, errorKey: PACS_ERRORS.notConfigured };
  if (busyCases.has(facts.id) || (await db.pacsPull.count({ where: { caseId: facts.id, status: PULL_STATUS.running } })) > 0)
    return { ok: false, status: 409, errorKey: PACS_ERRORS.pullRunning };
  const targets = pullTargets(caller.picks);
  const ctx = await caseDeidContext(db, facts.id);
  busyCases.add(facts.id);
  try {
    const pull = await db.pacsPull.create({
      data: {
        caseId: facts.id,
        requestedById: user.id,
        status: PULL_STATUS.running,
        studies: targets.length,
        series: targets.reduce((n, t) => n + t.seriesUids.length, 0),
      },
      select: { id: true },
    });
    await auditCase({
      db,
      user,
      meta,
      caseId: facts.id,
      action: "pacs.pull",
      details: {
        pullId: pull.id,
        studies: targets.map((t) => caseUid(t.studyUid, ctx)),
        series: targets.reduce((n, t) => n + t.seriesUids.length, 0),
      },
    });
    const done = runPull({ ...caller, db, pacs, pullId: pull.id, targets })
      .catch(async (error: unknown) => {
        log("error", "PACS pull failed", { pullId: pull.id, error: String(error) });
        // Never left RUNNING: that would block the case's next pull until a restart.
        await db.pacsPull
          .updateMany({
            where: { id: pull.id, status: PULL_STATUS.running },
            data: { status: PULL_STATUS.failed, errorKey: PACS_ERRORS.connectionLost, finishedAt: new Date() },
          })
          .catch((e: unknown) => log("error", "PACS pull could not be marked failed", { pullId: pull.id, error: String(e) }));
      })
      .finally(() => {
        running.delete(pull.id);
        busyCases.delete(facts.id);
      });
    running.set(pull.id, done);
    return { ok: true, pullId: pull.id };
  } catch (error) {
    busyCases.delete(facts.id);
    throw error;
  }
}

type Counter = "stored" | "duplicate" | "rejected";

async function runPull(input: PacsCaller & { db: Db; pacs: PacsAddress; pullId: string; targets: PullTarget[] }): Promise<void> {
  const { user, facts, meta, db, pacs, pullId, targets, timeouts } = input;
  const counts = { stored: 0, duplicate: 0, rejected: 0, unrequested: 0, failed: 0, expected: 0, skipped: 0 };
  const finish = async (errorKey: PacsErrorKey | null) => {
    const failedPull = errorKey !== null && errorKey !== PACS_ERRORS.someFailed;
    await db.pacsPull.update({
      where: { id: pullId },
      data: {
        status: failedPull ? PULL_STATUS.failed : PULL_STATUS.done,
        errorKey,
        failed: counts.failed,
        unrequested: counts.unrequested,
        finishedAt: new Date(),
      },
    });
    await auditCase({
      db,
      user,
      meta,
      caseId: facts.id,
      action: "pacs.pullDone",
      outcome: failedPull ? "failure" : "success",
      details: { pullId, ...counts, error: errorKey },
    });
  };

  // A listing that ran out of time ends the pull as stalled: the search's wording would not fit.
  const findFailure = (errorKey: PacsErrorKey) => finish(errorKey === PACS_ERRORS.searchDeadline ? PACS_ERRORS.pullStalled : errorKey);
  // What the PACS holds for each chosen series (the whole study's series when none was chosen).
  const series: { studyUid: string; seriesUid: string; sopInstanceUids: string[] }[] = [];
  for (const target of targets) {
    let seriesUids = target.seriesUids;
    if (seriesUids.length === 0) {
      const found = await pacsFind(pacs, "series", seriesQuery(target.studyUid), { limit: MAX_SERIES, timeouts });
      if (!found.ok) return findFailure(found.errorKey);
      seriesUids = found.found.map((f) => mapSeries(f)?.seriesUid).filter((u): u is string => Boolean(u));
    }
    for (const seriesUid of seriesUids) {
      const found = await pacsFind(pacs, "image", instanceQuery(target.studyUid, seriesUid), { limit: MAX_INSTANCES_PER_SERIES, timeouts });
      if (!found.ok) return findFailure(found.errorKey);
      // Only what was listed is accepted: a series longer than the listing cannot be pulled whole.
      if (found.truncated) return finish(PACS_ERRORS.seriesTooLarge);
      const sopInstanceUids = [...new Set(found.found.map((f) => text(f.SOPInstanceUID)).filter((u) => /^[0-9.]{1,64}$/.test(u)))];
      series.push({ studyUid: target.studyUid, seriesUid, sopInstanceUids });
    }
  }
  const present = await presentInCase(
    db,
    facts.id,
    series.flatMap((s) => s.sopInstanceUids),
    "instance",
  );
  const plan = pullPlan(series, (uid) => present.has(uid));
  counts.expected = plan.expected;
  counts.skipped = plan.skipped;
  await db.pacsPull.update({ where: { id: pullId }, data: { expected: plan.expected, skipped: plan.skipped, series: series.length } });

  let received = 0;
  const outcome = await pacsGet(
    pacs,
    plan.requests,
    async (bytes) => {
      // Reached only for an instance the plan asked for (checked on its original UIDs in pacsGet).
      received++;
      // The file name is ours: the original's UIDs never reach a result, a log line or the audit.
      const result = await ingestDicom(db, facts.id, bytes, `pacs-${pullId}-${received}`);
      const counter: Counter = result.status;
      counts[counter]++;
      await db.pacsPull.update({ where: { id: pullId }, data: { [counter]: { increment: 1 } } });
      if (result.status === "rejected") return STORE_REFUSED;
      return STORE_SUCCESS;
    },
    {
      timeouts,
      onUnrequested: async () => {
        counts.unrequested++;
        await db.pacsPull.update({ where: { id: pullId }, data: { unrequested: { increment: 1 } } });
      },
    },
  ).catch((error: unknown) => {
    log("error", "PACS retrieve failed", { pullId, error: String(error) });
    return { ok: false as const, errorKey: PACS_ERRORS.connectionLost, failed: 0, unrequested: 0 };
  });
  // Sub-operations the PACS counts as failed include the instances we refused (ingest's refusals and instances not asked
  // for); only the others are the PACS's failures.
  counts.failed = Math.max(0, outcome.failed - counts.rejected - counts.unrequested);
  // A C-GET that "failed" only because we refused every instance it sent is not the PACS refusing to send.
  const onlyOurRefusals = !outcome.ok && outcome.errorKey === PACS_ERRORS.retrieveFailed && outcome.failed > 0 && counts.failed === 0;
  if (!outcome.ok && !onlyOurRefusals) return finish(outcome.errorKey);
  return finish(counts.failed > 0 ? PACS_ERRORS.someFailed : null);
}

/** At start-up: pulls that were running when the process stopped are failed, so the page says so; pulling again continues them. */
export async function failInterruptedPulls(db: Db = getDb()): Promise<number> {
  const { count } = await db.pacsPull.updateMany({
    where: { status: PULL_STATUS.running },
    data: { status: PULL_STATUS.failed, errorKey: PACS_ERRORS.interrupted, finishedAt: new Date() },
  });
  return count;
}
