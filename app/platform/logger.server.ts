/** One JSON object per line on stdout, so operators can ship logs as they are. */
import { env } from "./env.server";

type Level = "info" | "warn" | "error";
const RANK: Record<Level, number> = { info: 0, warn: 1, error: 2 };

export function log(level: Level, message: string, fields: Record<string, unknown> = {}) {
  const threshold = RANK[env("LOG_LEVEL")];
  if (RANK[level] < threshold) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...fields });
  if (level === "error") console.error(line);
  else console.log(line);
}
