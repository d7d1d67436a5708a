/** The hash-chained audit log: appending events, verifying the chain, and the admin's audit log page (itself audited). */
import { checkChainLink, GENESIS_HASH, hashAuditEvent, type AuditFields, type ChainBreak } from "~/features/audit/audit-chain";
import { AUDIT_LOG_PAGE_SIZE, auditLogQuery } from "~/features/audit/audit-log-filter";
import type { AuditOutcome } from "~/features/audit/audit-outcomes";
import type { CurrentUser } from "~/features/identity/auth.server";
import { getDb, isUniqueViolation, type Db } from "~/platform/db.server";
import { parseQuery } from "~/platform/query-params";
import type { RequestMeta } from "~/platform/request-meta.server";

export type AuditActor = { id: string; role: string } | null;

export type AuditInput = {
  actor: AuditActor;
  action: string;
  outcome: AuditOutcome;
  entityType?: string | null;
  entityId?: string | null;
  details?: Record<string, unknown>;
  meta?: RequestMeta;
};

let queue: Promise<unknown> = Promise.resolve();

/**
 * Appends one event to the hash chain. Writers in this process queue up; a
 * writer in another process that wins the race makes our insert fail on the
 * unique prevHash, and we retry on top of its event.
 */
export function recordAudit(db: Db, input: AuditInput): Promise<void> {
  const run = queue.then(() => appendWithRetry(db, input));
  queue = run.catch(() => undefined);
  return run;
}

async function appendWithRetry(db: Db, input: AuditInput): Promise<void> {
  const { requestId, ...metaRest } = input.meta ?? { ip: null, userAgent: null, requestId: null };
  const fields: AuditFields = {
    occurredAt: new Date(),
    actorId: input.actor?.id ?? null,
    actorRole: input.actor?.role ?? null,
    action: input.action,
    entityType: input.entityType ?? null,
    entityId: input.entityId ?? null,
    outcome: input.outcome,
    ip: metaRest.ip,
    userAgent: metaRest.userAgent,
    details: JSON.stringify({ ...(input.details ?? {}), ...(requestId ? { requestId } : {}) }),
  };
  for (let attempt = 0; ; attempt++) {
    const prevHash = (attempt === 0 ? lastAppended.get(db) : undefined) ?? (await chainHead(db));
    const hash = hashAuditEvent(prevHash, fields);
    try {
      await insertEvent(db, fields, prevHash, hash);
      lastAppended.set(db, hash);
      return;
    } catch (error) {
      lastAppended.delete(db);
      if (!isUniqueViolation(error) || attempt >= 20) throw error;
    }
  }
}

/** One plain statement: nearly every request appends an event, and the query builder costs several times what the statement does. */
async function insertEvent(db: Db, f: AuditFields, prevHash: string, hash: string): Promise<void> {
  await db.$executeRaw`
    INSERT INTO "AuditEvent" ("occurredAt", "actorId", "actorRole", "action", "entityType", "entityId", "outcome", "ip", "userAgent", "details", "prevHash", "hash")
    VALUES (${f.occurredAt}, ${f.actorId}, ${f.actorRole}, ${f.action}, ${f.entityType}, ${f.entityId}, ${f.outcome}, ${f.ip}, ${f.userAgent}, ${f.details}, ${prevHash}, ${hash})`;
}

/**
 * The hash of the last event appended through each client (a transaction is a client of its own). The next event
 * links to it without reading the chain's head back: if anyone appended since, the unique prevHash refuses the
 * insert and the head is read. A rolled-back transaction's events are never remembered for the outer client.
 */
const lastAppended = new WeakMap<Db, string>();

async function chainHead(db: Db): Promise<string> {
  const last = await db.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
  return last?.hash ?? GENESIS_HASH;
}

export type ChainVerification = { ok: true; count: number } | { ok: false; count: number; break: ChainBreak };

/** Walks the whole chain in id order and reports the first event that does not fit. */
export async function verifyAuditChain(db: Db, batchSize = 1000): Promise<ChainVerification> {
  let expectedPrevHash = GENESIS_HASH;
  let count = 0;
  let afterId = 0;
  for (;;) {
    const batch = await db.auditEvent.findMany({ where: { id: { gt: afterId } }, orderBy: { id: "asc" }, take: batchSize });
    for (const event of batch) {
      const broken = checkChainLink(expectedPrevHash, event);
      if (broken) return { ok: false, count, break: broken };
      expectedPrevHash = event.hash;
      count++;
    }
    if (batch.length < batchSize) return { ok: true, count };
    afterId = batch[batch.length - 1].id;
  }
}

export type AuditFilter = {
  actor?: string;
  action?: string;
  outcome?: string;
  entityType?: string;
  from?: Date;
  to?: Date;
};

export async function listAuditEvents({ filter, page, pageSize, db = getDb() }: { filter: AuditFilter; page: number; pageSize: number; db?: Db }) {
  const actorIds = filter.actor
    ? (await db.user.findMany({ where: { email: { contains: filter.actor.toLowerCase() } }, select: { id: true } })).map((u) => u.id)
    : undefined;
  const where = {
    ...(actorIds ? { actorId: { in: actorIds } } : {}),
    ...(filter.action ? { action: { startsWith: filter.action } } : {}),
    ...(filter.outcome ? { outcome: filter.outcome } : {}),
    ...(filter.entityType ? { entityType: filter.entityType } : {}),
    ...(filter.from || filter.to ? { occurredAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {}),
  };
  const [events, total] = await Promise.all([
    db.auditEvent.findMany({ where, orderBy: { id: "desc" }, skip: (page - 1) * pageSize, take: pageSize }),
    db.auditEvent.count({ where }),
  ]);
  const actors = await db.user.findMany({
    where: { id: { in: [...new Set(events.map((e) => e.actorId).filter((id): id is string => id !== null))] } },
    select: { id: true, email: true },
  });
  const emailById = new Map(actors.map((a) => [a.id, a.email]));
  return { events: events.map((e) => ({ ...e, actorEmail: e.actorId ? (emailById.get(e.actorId) ?? null) : null })), total };
}

/** One page of the audit log, filtered by the URL in the reader's time zone; reading the log is itself recorded. */
export async function loadAuditLog({
  user,
  meta,
  searchParams,
  db = getDb(),
}: {
  user: CurrentUser;
  meta: RequestMeta;
  searchParams: URLSearchParams;
  db?: Db;
}) {
  const { page, ...filter } = parseQuery(searchParams, auditLogQuery(user.timeZone));
  const { events, total } = await listAuditEvents({ filter, page, pageSize: AUDIT_LOG_PAGE_SIZE, db });
  await recordAudit(db, {
    actor: user,
    action: "audit.read",
    outcome: "success",
    entityType: "AuditEvent",
    details: { filter: Object.fromEntries(searchParams), page },
    meta,
  });
  return { events, total, page, pageCount: Math.max(1, Math.ceil(total / AUDIT_LOG_PAGE_SIZE)), timeZone: user.timeZone };
}
