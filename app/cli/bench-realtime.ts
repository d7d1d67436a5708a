/**
 * `npm run bench:realtime [followers] [events] [runs]`: one presenter and N followers
 * (default 200) in one live board room; the presenter sends viewer-state
 * events at 30 per second. The same clients then do the same in a bare
 * Socket.IO room (a server that only relays) as the baseline. The two
 * alternate over 5 runs (which goes first alternates too); prints p50/p99
 * presenter-to-follower latency for both per run, and the median p99 ratio
 * with its range; the last line is one JSON object with the figures. Goal:
 * our p99 within 1.5x of bare Socket.IO.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import { Server } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import { benchWorkspace, freePort, median, startOurServer } from "./bench-server";

const FOLLOWERS = Number(process.argv[2] ?? 200);
const EVENTS = Number(process.argv[3] ?? 300);
const RUNS = Number(process.argv[4] ?? 5);
const RATE_PER_SECOND = 30;
const GOAL_RATIO = 1.5;
const SETTLE_MS = 3000;

/** The baseline server: joins a room, relays a "view" to everyone else in it. Nothing else. */
function bareServer(port: number) {
  const io = new Server(createServer().listen(port, "127.0.0.1"), { serveClient: false });
  io.on("connection", (socket) => {
    socket.on("join", async (room: string, ack: () => void) => {
      await socket.join(room);
      ack();
    });
    socket.on("view", (payload: { room: string }) => void socket.to(payload.room).emit("view", payload));
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const figures = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: Number(percentile(sorted, 50).toFixed(2)), p99: Number(percentile(sorted, 99).toFixed(2)), samples: sorted.length };
};

function open(base: string, cookie?: string): Promise<Socket> {
  const socket = connect(base, { transports: ["websocket"], reconnection: false, extraHeaders: cookie ? { cookie } : {} });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

/** Sends `EVENTS` numbered views at the set rate; each follower notes when each number arrives. */
type NumberedView = { state: { slice: number } };

async function measure(followers: Socket[], send: (n: number) => void, event: string): Promise<number[]> {
  // Let the joins (and, on our server, the presence updates they send) settle: the figures are for a room in session.
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  for (const f of followers)
    f.on(event, (payload: NumberedView) => {
      const at = sentAt.get(payload.state.slice);
      if (at !== undefined) latencies.push(performance.now() - at);
    });
  for (let n = 1; n <= EVENTS; n++) {
    sentAt.set(n, performance.now());
    send(n);
    await new Promise((r) => setTimeout(r, 1000 / RATE_PER_SECOND));
  }
  await new Promise((r) => setTimeout(r, 1000));
  for (const f of followers) f.removeAllListeners(event);
  return latencies;
}

async function ours() {
  benchWorkspace("realtime");
  const server = await startOurServer();
  const { getDb } = await import("~/platform/db.server");
  const { createSession } = await import("~/features/identity/session.server");
  const { initialViewerState } = await import("~/features/imaging/viewer/viewer-state");
  const db = getDb();
  const chair = await db.user.findUniqueOrThrow({ where: { email: "consultant@demo.test" } });
  const coordinator = await db.user.findUniqueOrThrow({ where: { email: "coordinator@demo.test" } });
  const demoCase = await db.case.findFirstOrThrow({ where: { status: { not: "DRAFT" } } });
  await db.user.createMany({
    data: Array.from({ length: FOLLOWERS }, (_, i) => ({
      email: `bench-follower-${i}@bench.test`,
      displayName: `Follower ${i}`,
      passwordHash: "-",
      role: "CONSULTANT",
      timeZone: "America/Los_Angeles",
    })),
  });
  const followerUsers = await db.user.findMany({ where: { email: { endsWith: "@bench.test" } }, select: { id: true } });
  const session = await db.boardSession.create({
    data: {
      title: "Benchmark board",
      startsAt: new Date(),
      durationMinutes: 60,
      timeZone: "UTC",
      chairId: chair.id,
      createdById: coordinator.id,
      invitees: { create: [{ userId: chair.id, kind: "CHAIR" }, ...followerUsers.map((u) => ({ userId: u.id, kind: "CONSULTANT" }))] },
      agenda: { create: [{ caseId: demoCase.id, position: 0 }] },
    },
    include: { agenda: true },
  });
  const cookieOf = async (userId: string) =>
    (await createSession(db, userId, { ip: "127.0.0.1", userAgent: "bench", requestId: null })).setCookie.split(";")[0];
  const presenter = await open(server.base, await cookieOf(chair.id));
  const followers = await Promise.all(followerUsers.map(async (u) => open(server.base, await cookieOf(u.id))));
  for (const s of [presenter, ...followers]) {
    const reply = await s.emitWithAck("board:join", { sessionId: session.id, lastSeq: 0 });
    if (!reply.ok) throw new Error(`join failed: ${JSON.stringify(reply)}`);
  }
  const started = await presenter.emitWithAck("board:command", { sessionId: session.id, clientMessageId: "bench-start-0001", command: { type: "start" } });
  if (!started.ok) throw new Error(`start failed: ${JSON.stringify(started)}`);
  const agendaItemId = session.agenda[0].id;
  const state = initialViewerState("bench-series");
  const latencies = await measure(
    followers,
    (n) => presenter.emit("board:view", { sessionId: session.id, agendaItemId, state: { ...state, slice: n }, pointer: { x: n, y: n } }),
    "board:view",
  );
  for (const s of [presenter, ...followers]) s.close();
  server.process.kill();
  return latencies;
}

async function bare() {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "app/cli/bench-realtime.ts", "--bare-server", String(port)], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const probe = await open(base).catch(() => null);
    if (probe) {
      probe.close();
      break;
    }
    if (i > 100) throw new Error("bare server did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  const presenter = await open(base);
  const followers = await Promise.all(Array.from({ length: FOLLOWERS }, () => open(base)));
  for (const s of [presenter, ...followers]) await s.emitWithAck("join", "room");
  const latencies = await measure(followers, (n) => presenter.emit("view", { room: "room", state: { slice: n }, pointer: { x: n, y: n } }), "view");
  for (const s of [presenter, ...followers]) s.close();
  child.kill();
  return latencies;
}

async function main() {
  if (process.argv[2] === "--bare-server") return bareServer(Number(process.argv[3]));
  console.log(`${FOLLOWERS} followers, ${EVENTS} viewer-state events at ${RATE_PER_SECOND}/s, ${RUNS} alternating runs`);
  const boards: ReturnType<typeof figures>[] = [];
  const bares: ReturnType<typeof figures>[] = [];
  for (let run = 1; run <= RUNS; run++) {
    // Alternate which goes first, so a noisy moment on a shared machine does not always fall on the same side.
    for (const side of run % 2 === 1 ? (["board", "bare"] as const) : (["bare", "board"] as const)) {
      if (side === "board") boards.push(figures(await ours()));
      else bares.push(figures(await bare()));
    }
    const [board, baseline] = [boards.at(-1)!, bares.at(-1)!];
    console.log(
      `Run ${run}: tumor board room p50 ${board.p50} ms, p99 ${board.p99} ms; bare Socket.IO p50 ${baseline.p50} ms, p99 ${baseline.p99} ms; p99 ratio ${(board.p99 / baseline.p99).toFixed(2)}`,
    );
  }
  const ratios = boards.map((board, i) => board.p99 / bares[i].p99);
  const ratio = Number(median(ratios).toFixed(2));
  const summary = (runs: ReturnType<typeof figures>[]) => ({ p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)) });
  const [board, baseline] = [summary(boards), summary(bares)];
  console.log(`tumor board room, median of ${RUNS}: p50 ${board.p50} ms, p99 ${board.p99} ms`);
  console.log(`bare Socket.IO, median of ${RUNS}:   p50 ${baseline.p50} ms, p99 ${baseline.p99} ms`);
  const range = [Number(Math.min(...ratios).toFixed(2)), Number(Math.max(...ratios).toFixed(2))];
  console.log(`p99 ratio, median of ${RUNS}: ${ratio} (range ${range[0]}–${range[1]}; goal <= ${GOAL_RATIO})`);
  console.log(
    JSON.stringify({
      followers: FOLLOWERS,
      events: EVENTS,
      ratePerSecond: RATE_PER_SECOND,
      runs: RUNS,
      board,
      bare: baseline,
      p99Ratio: ratio,
      p99RatioRange: range,
      p99Ratios: ratios.map((r) => Number(r.toFixed(2))),
      goalRatio: GOAL_RATIO,
      goalMet: ratio <= GOAL_RATIO,
    }),
  );
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
