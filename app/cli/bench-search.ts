/**
 * `npm run bench:search`: on a fresh database of 10,000 cases (override with
 * --cases), times building the search index, then searches in English and
 * Chinese for each role's scope, with and without filters. Prints the median
 * and worst of several runs; the last line is JSON. DATABASE_URL may name a
 * PostgreSQL database instead.
 */
import "~/platform/check-env.server";
import { parseArgs } from "node:util";
import { benchDatabase } from "./bench-database";
import { isRole } from "~/features/identity/roles";
import { reindexAll, searchArchive, type SearchFilters } from "~/features/search-reports/search.server";

const { values } = parseArgs({ options: { cases: { type: "string", default: "10000" }, runs: { type: "string", default: "15" } } });
const { db, total, database, close } = await benchDatabase("search", Number(values.cases));
const indexStarted = performance.now();
await reindexAll(db);
const indexSeconds = +((performance.now() - indexStarted) / 1000).toFixed(1);
console.log(`index of ${total} cases built in ${indexSeconds} s`);

const actorOf = async (email: string) => {
  const user = await db.user.findUniqueOrThrow({ where: { email } });
  if (!isRole(user.role)) throw new Error("bad role");
  return { ...user, role: user.role };
};
const scenarios: { name: string; email: string; q: string; filters?: SearchFilters }[] = [
  { name: "coordinator, two Chinese characters", email: "coordinator@demo.test", q: "支气" },
  { name: "coordinator, Chinese phrase", email: "coordinator@demo.test", q: "鳞状细胞癌" },
  { name: "coordinator, one Chinese character", email: "coordinator@demo.test", q: "肺" },
  { name: "coordinator, English word", email: "coordinator@demo.test", q: "adenocarcinoma" },
  { name: "coordinator, English prefix", email: "coordinator@demo.test", q: "bronch" },
  { name: "coordinator, Chinese + type filter", email: "coordinator@demo.test", q: "腺癌", filters: { cancerType: "LYMPHOMA" } },
  { name: "physician, Chinese phrase", email: "physician@demo.test", q: "鳞状细胞癌" },
  { name: "consultant, English word", email: "consultant@demo.test", q: "squamous" },
  { name: "coordinator, no match", email: "coordinator@demo.test", q: "胶质母细胞瘤" },
];

const results: Record<string, { medianMs: number; maxMs: number; total: number }> = {};
for (const s of scenarios) {
  const actor = await actorOf(s.email);
  const times: number[] = [];
  let found = 0;
  for (let i = 0; i < Number(values.runs); i++) {
    const started = performance.now();
    found = (await searchArchive({ user: actor, query: s.q, filters: s.filters ?? {}, page: 1, db })).total;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  results[s.name] = { medianMs: +times[Math.floor(times.length / 2)].toFixed(2), maxMs: +times[times.length - 1].toFixed(2), total: found };
  console.log(
    `${s.name.padEnd(40)} median ${results[s.name].medianMs.toFixed(2).padStart(8)} ms   max ${results[s.name].maxMs.toFixed(2).padStart(8)} ms   ${found} matching`,
  );
}
await close();
console.log(JSON.stringify({ benchmark: "search", database, cases: total, indexSeconds, results }));
