/**
 * One process, one http.Server: Express serves /healthz, static assets and the
 * Remix request handler; Socket.IO shares the same server for live rooms.
 *
 *   npm start      production build (built first when missing or stale)
 *   npm run dev    Vite in middleware mode with hot reload
 */
import "~/platform/check-env.server";
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server as HttpServer } from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import { createReadableStreamFromReadable, writeReadableStreamToWritable, type ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import { sameHost } from "~/platform/same-origin";
import type { RequestContext } from "~/load-context";
import { attachRealtime } from "~/realtime/socket.server";
import { setIo } from "~/realtime/io.server";
import { boardLeavesSettled, registerBoardRoom } from "~/features/boards/room/board-room.server";
import { registerCaseWatch } from "~/features/cases/case-watch.server";
import { registerDraftPresence } from "~/features/opinions/draft-presence.server";
import { connectRedisAdapter } from "~/realtime/redis-adapter.server";
import { disconnectDb, getDb, pingDatabase, type Db } from "~/platform/db.server";
import { env } from "~/platform/env.server";
import { log } from "~/platform/logger.server";
import { precompressedAssets } from "~/platform/precompressed-assets.server";
import { prepareDatabase } from "~/platform/startup.server";
import { failInterruptedSlides, maxSlideBytes } from "~/features/imaging/slides/slides.server";
import { resumeBurnedInOcr, stopBurnedInOcr } from "~/features/imaging/burned-in/burned-in-ocr.server";
import { failInterruptedPulls } from "~/features/imaging/pacs/pacs-steps.server";
import { cleanTemporaryFiles } from "~/platform/storage.server";
import { startDicomScp } from "~/features/imaging/dicom-scp.server";
import { maxAttachmentBytes } from "~/features/cases/attachments.server";
import { maxDicomFileBytes } from "~/features/imaging/imaging-ingest.server";
import { UPLOAD_BATCH } from "~/features/imaging/upload-batch";
import { FORM_LIMITS } from "~/platform/form-limits";
import { refuseOversizedBodies } from "~/platform/request-limits.server";
import { startSessionReminders } from "~/features/boards/session-reminders.server";
import { startDueNotices } from "~/features/cases/case-due-notices.server";
import { startAuditAnchoring } from "~/features/audit/audit-anchor.server";
import { flushRefusals } from "~/features/audit/audit-refusals.server";
import { startDicomWorkers, stopDicomWorkers } from "~/features/imaging/dicom-workers.server";
import { ohifViewer } from "~/features/imaging/ohif/ohif.server";

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const HEALTH_TIMEOUT_MS = 3_000;
const SHUTDOWN_GRACE_MS = 10_000;

export type UiMode = "build" | "vite" | "none";
export type StartOptions = { port: number; host?: string; ui: UiMode };
export type RunningServer = { httpServer: HttpServer; port: number; close: () => Promise<void> };

declare module "express-serve-static-core" {
  interface Locals {
    requestId: string;
    cspNonce: string;
  }
}

function requestContext(req: Request, res: Response): RequestContext {
  return { requestId: res.locals.requestId, cspNonce: res.locals.cspNonce, clientIp: req.ip ?? null };
}

/** The Express app: everything but the listening socket and Socket.IO. */
export async function createHttpApp({ ui, db, httpServer }: { ui: UiMode; db: () => Db; httpServer: HttpServer }) {
  const app = express();
  app.disable("x-powered-by");
  const trustProxy = env("TRUST_PROXY");
  if (trustProxy !== undefined) app.set("trust proxy", trustProxy);

  app.use((req, res, next) => {
    const incoming = req.get("x-request-id");
    res.locals.requestId = incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    res.locals.cspNonce = randomBytes(16).toString("base64");
    res.setHeader("X-Request-Id", res.locals.requestId);
    const started = process.hrtime.bigint();
    const requestPath = req.path;
    res.on("finish", () => {
      log("info", "request", {
        requestId: res.locals.requestId,
        method: req.method,
        path: requestPath,
        status: res.statusCode,
        ms: Number((process.hrtime.bigint() - started) / 1_000_000n),
      });
    });
    next();
  });

  const viteServer =
    ui === "vite"
      ? await (
          await import("vite")
        ).createServer({ configFile: path.join(ROOT, "app/vite.config.ts"), server: { middlewareMode: true, hmr: { server: httpServer } } })
      : null;
  const builtApp = ui === "build" ? ((await import(pathToFileURL(path.join(ROOT, "build", "server/index.js")).href)) as ServerBuild) : null;
  const loadBuild = viteServer
    ? () => viteServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>
    : builtApp
      ? () => Promise.resolve(builtApp)
      : null;

  // DICOMweb is an API for machines: its route module answers directly, without the page router or the page headers.
  // Only its JSON (QIDO results, metadata: repetitive text) is compressed; pixel data is coded by transfer syntax instead.
  if (loadBuild)
    app.use(
      "/dicomweb/cases/:caseId",
      rejectCrossSiteWrites,
      refuseOversizedBodies(bodyCapFor),
      apiHeaders,
      compression({ filter: (_req, res) => /^application\/(dicom\+)?json/i.test(String(res.getHeader("Content-Type") ?? "")) }),
      dicomwebRoute(loadBuild),
    );

  app.use(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(ui) },
      crossOriginEmbedderPolicy: false,
      // No referrer leaves the site (case URLs stay private), and a same-origin form post still carries its real Origin:
      // under no-referrer, browsers send `Origin: null`, which rejectCrossSiteWrites refuses.
      referrerPolicy: { policy: "same-origin" },
    }),
  );
  app.use(compression());
  app.use(rejectCrossSiteWrites);
  app.use(refuseOversizedBodies(bodyCapFor));
  // OHIF Viewer as a DICOMweb client of the case service, for signed-in users, when installed (ohif.server.ts).
  app.use(ohifViewer());

  app.get("/healthz", async (_req, res) => {
    const body = { status: "ok", db: "ok", uptimeSeconds: Math.round(process.uptime()), version: env("npm_package_version") ?? null };
    try {
      await withTimeout(pingDatabase(db()), HEALTH_TIMEOUT_MS);
      res.status(200).json(body);
    } catch (error) {
      log("warn", "health check failed", { error: String(error) });
      res.status(503).json({ ...body, status: "error", db: "unreachable" });
    }
  });

  if (viteServer) {
    app.use(viteServer.middlewares);
    app.all("*", (req, res, next) =>
      createRequestHandler({
        build: () => viteServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>,
        getLoadContext: requestContext,
        mode: "development",
      })(req, res, next),
    );
  } else if (builtApp) {
    const buildDir = path.join(ROOT, "build");
    const assets = path.join(buildDir, "client/assets");
    app.use("/assets", precompressedAssets(assets, "1y"), express.static(assets, { immutable: true, maxAge: "1y" }));
    app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h" }));
    app.all("*", createRequestHandler({ build: builtApp, getLoadContext: requestContext, mode: "production" }));
  } else {
    app.use((_req, res) => res.status(404).json({ error: "not found" }));
  }

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    log("error", "unhandled error", { requestId: res.locals.requestId, path: req.path, error: String(error) });
    if (!res.headersSent) res.status(500).send("Internal Server Error");
  });
  return app;
}

const DICOMWEB_ROUTE = "routes/dicomweb.cases.$caseId.$";

/** An answer of known length up to this size is written in one piece instead of through a stream. */
const WHOLE_ANSWER_BYTES = 64 * 1024;

/** The DICOMweb route module's loader (GET, HEAD, OPTIONS) or action, called as Remix would, for every /dicomweb/cases/<id> request. */
function dicomwebRoute(loadBuild: () => Promise<ServerBuild>) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const route = (await loadBuild()).routes[DICOMWEB_ROUTE]?.module;
      if (!route?.loader || !route.action) throw new Error(`${DICOMWEB_ROUTE} is missing from the build`);
      const args = {
        request: fetchRequest(req, res),
        context: requestContext(req, res),
        params: { caseId: req.params.caseId, "*": req.path.replace(/^\/+/, "") },
      };
      const handler = ["GET", "HEAD", "OPTIONS"].includes(req.method) ? route.loader : route.action;
      let answer: unknown;
      try {
        answer = await handler(args);
      } catch (thrown) {
        if (!(thrown instanceof globalThis.Response)) throw thrown;
        answer = thrown;
      }
      if (!(answer instanceof globalThis.Response)) throw new Error("the DICOMweb route answered without a Response");
      res.status(answer.status);
      for (const [name, value] of answer.headers) res.append(name, value);
      const length = answer.headers.get("Content-Length");
      if (!answer.body || req.method === "HEAD") res.end();
      else if (length !== null && Number(length) <= WHOLE_ANSWER_BYTES) res.end(Buffer.from(await answer.arrayBuffer()));
      else await writeReadableStreamToWritable(answer.body, res);
    } catch (error) {
      next(error);
    }
  };
}

/** The Fetch Request a route module expects, as Remix builds it: the public URL (proxy headers as trusted), aborted when the client goes. */
function fetchRequest(req: Request, res: Response): globalThis.Request {
  const port = /:(\d+)$/.exec(req.get("x-forwarded-host") ?? req.get("host") ?? "")?.[1];
  const url = `${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`;
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
  }
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new globalThis.Request(url, {
    method: req.method,
    headers,
    signal: controller.signal,
    ...(hasBody ? { body: createReadableStreamFromReadable(req), duplex: "half" } : {}),
  } as RequestInit);
}

/** The headers every API answer carries (what helmet gives pages, with a policy that loads nothing). */
function apiHeaders(_req: Request, res: Response, next: NextFunction) {
  for (const [name, value] of API_HEADERS) res.setHeader(name, value);
  next();
}
const API_HEADERS = [
  ["Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
  ["Cross-Origin-Resource-Policy", "same-origin"],
  ["Referrer-Policy", "same-origin"],
  ["Strict-Transport-Security", "max-age=31536000; includeSubDomains"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-Frame-Options", "DENY"],
] as const;

function contentSecurityPolicy(ui: UiMode) {
  const nonce = (_req: unknown, res: unknown) => `'nonce-${(res as Response).locals.cspNonce}'`;
  const dev = ui === "vite";
  return {
    defaultSrc: ["'self'"],
    scriptSrc: dev ? ["'self'", "'unsafe-inline'", "'unsafe-eval'"] : ["'self'", nonce],
    // The one stylesheet OpenSeadragon injects (a focus-outline rule for touch screens), allowed by its hash.
    styleSrc: dev ? ["'self'", "'unsafe-inline'"] : ["'self'", "'sha256-9xTiqzfwFaL2SGb1rmr8gysEwVVjIvqWAgmZgqFqpEE='"],
    imgSrc: ["'self'", "data:", "blob:"],
    fontSrc: ["'self'", "data:"],
    connectSrc: ["'self'", "ws:", "wss:"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  };
}

const PART_HEADERS_BYTES = 64 * 1024;

/** The largest body each endpoint accepts: uploads their file limit (plus the multipart framing), STOW-RS a case's imaging quota, forms 2 MB. */
function bodyCapFor(_method: string, path: string): number {
  if (/^\/cases\/[^/]+\/attachments\/?$/.test(path)) return maxAttachmentBytes() + PART_HEADERS_BYTES;
  if (/^\/cases\/[^/]+\/slides\/?$/.test(path)) return maxSlideBytes() + PART_HEADERS_BYTES;
  if (/^\/cases\/[^/]+\/imaging\/?$/.test(path)) return Math.max(maxDicomFileBytes(), UPLOAD_BATCH.bytes) + UPLOAD_BATCH.files * PART_HEADERS_BYTES;
  if (path.startsWith("/dicomweb/") || path === "/gateway/studies") return env("IMAGING_QUOTA_MB") * 1024 * 1024 + PART_HEADERS_BYTES;
  return FORM_LIMITS.bytes + PART_HEADERS_BYTES;
}

/**
 * A browser write whose Origin is another site, or `null` (an opaque origin: a sandboxed frame, a cross-site redirect of a
 * post, a data: URL), is refused (defence in depth beside SameSite cookies). Integrations send no Origin at all.
 */
function rejectCrossSiteWrites(req: Request, res: Response, next: NextFunction) {
  if (["GET", "HEAD", "OPTIONS"].includes(req.method)) return next();
  const origin = req.get("origin");
  if (origin !== undefined && !sameHost(origin, req.get("host"))) {
    res.status(403).send("Cross-site request refused");
    return;
  }
  next();
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

export async function startServer({ port, host, ui }: StartOptions): Promise<RunningServer> {
  const workersStarted = startDicomWorkers();
  await prepareDatabase();
  const leftovers = await cleanTemporaryFiles();
  if (leftovers > 0) log("warn", "removed unfinished uploads", { files: leftovers });
  const interrupted = await failInterruptedSlides(getDb());
  if (interrupted > 0) log("warn", "slide processing was interrupted by a restart", { slides: interrupted });
  const cutPulls = await failInterruptedPulls(getDb());
  if (cutPulls > 0) log("warn", "PACS pulls were interrupted by a restart", { pulls: cutPulls });
  const resumedOcr = await resumeBurnedInOcr(getDb());
  if (resumedOcr > 0) log("info", "burned-in OCR resumed after a restart", { instances: resumedOcr });
  const httpServer = createServer();
  const app = await createHttpApp({ ui, db: getDb, httpServer });
  httpServer.on("request", app);
  const redisUrl = env("REDIS_URL");
  const redis = redisUrl ? await connectRedisAdapter(redisUrl) : null;
  const io = attachRealtime(httpServer, { adapter: redis?.adapter, features: [registerBoardRoom, registerDraftPresence, registerCaseWatch] });
  await workersStarted;
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(port, host, () => resolve());
  });
  const dicomPort = env("DICOM_PORT");
  const dicom = dicomPort ? startDicomScp(dicomPort) : null;
  const reminders = startSessionReminders();
  const dueNotices = startDueNotices();
  const anchoring = startAuditAnchoring();
  const address = httpServer.address();
  const actualPort = typeof address === "object" && address ? address.port : port;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      dicom?.close();
      stopBurnedInOcr();
      await reminders.stop();
      await dueNotices.stop();
      const forced = setTimeout(() => httpServer.closeAllConnections(), SHUTDOWN_GRACE_MS);
      // io.close() disconnects every socket, then closes the http server, which
      // waits for requests in flight; idle keep-alive connections go at once.
      const closed = new Promise<void>((resolve) => io.close(() => resolve()));
      httpServer.closeIdleConnections();
      await closed;
      clearTimeout(forced);
      setIo(undefined);
      await boardLeavesSettled();
      await flushRefusals();
      await anchoring.stop();
      await redis?.close();
      await stopDicomWorkers();
      await disconnectDb();
    })());
  return { httpServer, port: actualPort, close };
}

/**
 * A promise rejected with nobody to handle it would stop Node; the server logs it and keeps serving everyone else.
 * (Request and socket handlers catch their own errors; this is the last line.)
 */
export function keepServingOnUnhandledRejection() {
  process.on("unhandledRejection", (reason) => {
    log("error", "unhandled rejection", { error: reason instanceof Error ? (reason.stack ?? reason.message) : String(reason) });
  });
}

async function main() {
  keepServingOnUnhandledRejection();
  const ui: UiMode = process.argv.includes("--dev") ? "vite" : "build";
  // tsx turns on source-mapped stack traces. The built app carries no source map, and Node 20 parses a map again for every
  // stack it formats: Node's own web streams format one each time a body reader is released, that is, on every request.
  if (ui === "build") process.setSourceMapsEnabled(false);
  const port = env("PORT");
  const server = await startServer({ port, host: env("HOST"), ui });
  log("info", "server listening", { url: `http://localhost:${server.port}`, ui, nodeEnv: env("NODE_ENV") ?? "development" });
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, async () => {
      log("info", "shutting down", { signal });
      await server.close();
      log("info", "stopped");
      process.exit(0);
    });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    log("error", "server failed to start", { error: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  });
}
