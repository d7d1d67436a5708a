/** Stores password failures per account, per address and per signer, so the throttle holds across server processes. */
import { afterFailure, lockRemainingMs, throttleKey, type ThrottleKind } from "~/features/identity/login-throttle";
import type { Db } from "~/platform/db.server";

type Subject = { kind: ThrottleKind; value: string };

/** Longest remaining lock among the subjects, in ms (0 = may try). */
export async function throttleRemainingMs(db: Db, subjects: Subject[], now = new Date()): Promise<number> {
  const rows = await db.loginThrottle.findMany({ where: { key: { in: subjects.map((s) => throttleKey(s.kind, s.value)) } } });
  return Math.max(0, ...rows.map((row) => lockRemainingMs(row, now)));
}

export async function recordLoginFailure(db: Db, subjects: Subject[], now = new Date()): Promise<void> {
  for (const subject of subjects) {
    const key = throttleKey(subject.kind, subject.value);
    const current = await db.loginThrottle.findUnique({ where: { key } });
    const next = afterFailure(subject.kind, current, now);
    await db.loginThrottle.upsert({ where: { key }, create: { key, ...next }, update: next });
  }
}

/** A success: the count starts again. */
export async function clearLoginFailures(db: Db, subjects: Subject[]): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key: { in: subjects.map((s) => throttleKey(s.kind, s.value)) } } });
}
