/**
 * `npm run bench:load [-- --requests 300 --runs 3]`: one signed-in session fires N parallel requests for a signed
 * opinion's PDF at a server in its own process, while /healthz is asked every 50 ms. Prints, per run, the health
 * check's median and worst latency during the burst and how the burst was answered (200 rendered, 429 told to wait),
 * then the medians over the runs; the last line is one JSON object. Goal: /healthz answers within 1 s throughout.
 */
import { parseArgs } from "node:util";
import { benchWorkspace, median, startOurServer } from "./bench-server";

const { values } = parseArgs({ options: { requests: { type: "string", default: "300" }, runs: { type: "string", default: "3" } } });
const REQUESTS = Number(values.requests);
const RUNS = Number(values.runs);
const PROBE_EVERY_MS = 50;
const GOAL_MS = 1000;

benchWorkspace("load");

const { base, process: server } = await startOurServer();
try {
  const { getDb } = await import("~/platform/db.server");
  const { emptyOpinion } = await import("~/features/opinions/opinion-content");
  const { opinionContentHash } = await import("~/features/opinions/opinion-hash");
  const { canonicalJson } = await import("~/platform/canonical-json");
  const { DEMO_PASSWORD } = await import("~/seed/seed.server");
  const db = getDb();
  // A signed opinion on a demo case, as a consultant's signature leaves it; the coordinator may read it.
  const target = await db.case.findFirstOrThrow({ where: { status: { notIn: ["DRAFT"] }, opinions: { none: {} } }, orderBy: { createdAt: "asc" } });
  const consultant = await db.user.findUniqueOrThrow({ where: { email: "consultant@demo.test" } });
  const content = emptyOpinion([]);
  content.plan.en = { items: [], summary: "First-line osimertinib; palliative radiotherapy for painful bone lesions. ".repeat(20) };
  const opinion = await db.opinion.create({
    data: {
      caseId: target.id,
      version: 1,
      status: "SIGNED",
      origin: "SCRATCH",
      signedContent: canonicalJson(content),
      contentHash: opinionContentHash(content),
      signedById: consultant.id,
      signedAt: new Date(),
      createdById: consultant.id,
    },
  });
  await db.$disconnect();

  const login = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: "coordinator@demo.test", password: DEMO_PASSWORD }),
  });
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
  if (!cookie.startsWith("tb_session=")) throw new Error(`sign-in failed (${login.status})`);
  const pdfUrl = `${base}/cases/${target.id}/opinions/${opinion.id}/pdf`;
  const single = await fetch(pdfUrl, { headers: { cookie } });
  if (single.status !== 200) throw new Error(`the PDF answered ${single.status}`);
  await single.arrayBuffer();

  const results: { healthMedianMs: number; healthMaxMs: number; probes: number; rendered: number; toldToWait: number; other: number; burstMs: number }[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const health: number[] = [];
    let bursting = true;
    const probing = (async () => {
      while (bursting) {
        const started = performance.now();
        await fetch(`${base}/healthz`).then((r) => r.arrayBuffer());
        health.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
      }
    })();
    const started = performance.now();
    const statuses = await Promise.all(
      Array.from({ length: REQUESTS }, () =>
        fetch(pdfUrl, { headers: { cookie } }).then(
          async (r) => (await r.arrayBuffer(), r.status),
          () => 0,
        ),
      ),
    );
    const burstMs = performance.now() - started;
    bursting = false;
    await probing;
    const figures = {
      healthMedianMs: Math.round(median(health)),
      healthMaxMs: Math.round(Math.max(...health)),
      probes: health.length,
      rendered: statuses.filter((s) => s === 200).length,
      toldToWait: statuses.filter((s) => s === 429).length,
      other: statuses.filter((s) => s !== 200 && s !== 429).length,
      burstMs: Math.round(burstMs),
    };
    results.push(figures);
    console.log(
      `run ${run}: /healthz median ${figures.healthMedianMs} ms, worst ${figures.healthMaxMs} ms over ${figures.probes} probes; ` +
        `${REQUESTS} PDF requests in ${figures.burstMs} ms: ${figures.rendered} rendered, ${figures.toldToWait} told to wait (429), ${figures.other} other`,
    );
  }
  const summary = {
    requests: REQUESTS,
    runs: RUNS,
    healthMedianMs: median(results.map((r) => r.healthMedianMs)),
    healthWorstMs: median(results.map((r) => r.healthMaxMs)),
    rendered: median(results.map((r) => r.rendered)),
    toldToWait: median(results.map((r) => r.toldToWait)),
    goalMs: GOAL_MS,
    goalMet: median(results.map((r) => r.healthMaxMs)) < GOAL_MS,
  };
  console.log(
    `medians: /healthz ${summary.healthMedianMs} ms, worst ${summary.healthWorstMs} ms (goal: under ${GOAL_MS} ms) ${summary.goalMet ? "met" : "NOT met"}`,
  );
  console.log(JSON.stringify(summary));
} finally {
  server.kill();
}
