/**
 * `npm run bench:lists`: times the case lists on a fresh database holding
 * 10,000 cases (override with --cases), for each role's scope and the usual
 * filters. Prints the median and worst of several runs; the last line is JSON.
 */
import "~/platform/check-env.server";
import { parseArgs } from "node:util";
import { benchDatabase } from "./bench-database";
import { caseScope } from "~/features/cases/case-access";
import { isRole } from "~/features/identity/roles";
import { listCases, type CaseListFilter, type CaseListSort } from "~/features/cases/case-store.server";

const { values } = parseArgs({ options: { cases: { type: "string", default: "10000" }, runs: { type: "string", default: "15" } } });
const { db, total, database, close } = await benchDatabase("lists", Number(values.cases));

const actorOf = async (email: string) => {
  const user = await db.user.findUniqueOrThrow({ where: { email } });
  if (!isRole(user.role)) throw new Error("bad role");
  return { ...user, role: user.role };
};
const scenarios: { name: string; email: string; filter: CaseListFilter; sort: CaseListSort; page: number }[] = [
  { name: "physician first page", email: "physician@demo.test", filter: {}, sort: "updated", page: 1 },
  { name: "physician page 100", email: "physician@demo.test", filter: {}, sort: "updated", page: 100 },
  { name: "consultant queue", email: "consultant@demo.test", filter: {}, sort: "due", page: 1 },
  { name: "coordinator triage queue", email: "coordinator@demo.test", filter: { status: "SUBMITTED" }, sort: "updated", page: 1 },
  { name: "coordinator overdue", email: "coordinator@demo.test", filter: { due: "overdue" }, sort: "due", page: 1 },
  { name: "coordinator search", email: "coordinator@demo.test", filter: { q: "C34" }, sort: "updated", page: 1 },
  {
    name: "coordinator by type and institution",
    email: "coordinator@demo.test",
    filter: { cancerType: "LYMPHOMA", institutionId: "demo-wuhan" },
    sort: "submitted",
    page: 3,
  },
];

const results: Record<string, { medianMs: number; maxMs: number; rows: number; total: number }> = {};
for (const s of scenarios) {
  const scope = caseScope(await actorOf(s.email));
  const times: number[] = [];
  let last = { rows: [] as unknown[], total: 0 };
  for (let i = 0; i < Number(values.runs); i++) {
    const started = performance.now();
    last = await listCases(db, scope, s.filter, s.sort, s.page, 25);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  results[s.name] = {
    medianMs: +times[Math.floor(times.length / 2)].toFixed(2),
    maxMs: +times[times.length - 1].toFixed(2),
    rows: last.rows.length,
    total: last.total,
  };
  console.log(
    `${s.name.padEnd(38)} median ${results[s.name].medianMs.toFixed(2).padStart(7)} ms   max ${results[s.name].maxMs.toFixed(2).padStart(7)} ms   ${last.total} matching`,
  );
}
await close();
console.log(JSON.stringify({ benchmark: "case-lists", database, cases: total, pageSize: 25, results }));
