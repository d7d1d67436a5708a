/**
 * OHIF Viewer v3, a DICOMweb client we did not write, served under the app's own origin at `/ohif/`, so it reaches a case's
 * DICOMweb service with the reader's session cookie (no token in the browser, no CORS).
 *
 *   /ohif/cases/<caseId>/                the study list of that case (OHIF's router basename is the case's path)
 *   /ohif/cases/<caseId>/viewer?...      OHIF's viewer
 *   /ohif/cases/<caseId>/app-config.js   OHIF's configuration: one data source, the case's DICOMweb root
 *   /ohif/<file>                         OHIF's own static files (bundles, WebAssembly, fonts)
 *
 * Everything under /ohif/ needs a signed-in session (others are sent to sign in); what OHIF then reads, the DICOMweb
 * service checks as for any other client (case access, series held back for burned-in text). It is a conformance proof,
 * not a product feature: no page links to it, and it answers 404 unless `npm run ohif:prepare` has put OHIF's published
 * build in OHIF_DIR (the e2e run does). The published build is for the site root; the prepare step moves it under /ohif/.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { NextFunction, Request, Response } from "express";
import { getOptionalUser } from "~/features/identity/auth.server";
import { OHIF_BASE, OHIF_DIR } from "./ohif-build.server";

const CASE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * OHIF's own policy, in place of the app's: WebAssembly codecs ('wasm-unsafe-eval'), workers from its files and from blobs,
 * and inline styles (its components set them); scripts only from the site and the page's nonce. Framing stays refused.
 */
function contentSecurityPolicy(nonce: string) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self' data: blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** OHIF's configuration for one case: its DICOMweb root as the only data source, on this origin, with the session's cookie. */
export function ohifConfig(caseId: string): string {
  const config = {
    routerBasename: `${OHIF_BASE}cases/${caseId}`,
    extensions: [],
    modes: [],
    customizationService: {},
    showStudyList: true,
    maxNumberOfWebWorkers: 2,
    showWarningMessageForCrossOrigin: false,
    showCPUFallbackMessage: false,
    showLoadingIndicator: true,
    strictZSpacingForVolumeViewport: true,
    investigationalUseDialog: { option: "never" },
    maxNumRequests: { interaction: 20, thumbnail: 4, prefetch: 8 },
    showErrorDetails: "always",
    defaultDataSourceName: "case",
    dataSources: [
      {
        namespace: "@ohif/extension-default.dataSourcesModule.dicomweb",
        sourceName: "case",
        configuration: {
          friendlyName: "Case DICOMweb",
          name: "case",
          qidoRoot: "__ROOT__",
          wadoRoot: "__ROOT__",
          wadoUriRoot: "__ROOT__",
          qidoSupportsIncludeField: false,
          supportsReject: false,
          supportsStow: false,
          imageRendering: "wadors",
          thumbnailRendering: "wadors",
          enableStudyLazyLoad: true,
          supportsFuzzyMatching: false,
          supportsWildcard: false,
          staticWado: false,
          singlepart: "bulkdata,video",
          omitQuotationForMultipartRequest: true,
          bulkDataURI: { enabled: true, relativeResolution: "studies" },
          // Same origin: the browser sends the session cookie with every request OHIF makes.
          requestOptions: { requestFromBrowser: true },
        },
      },
    ],
  };
  const root = `window.location.origin + ${JSON.stringify(`/dicomweb/cases/${caseId}`)}`;
  return `window.config = ${JSON.stringify(config, null, 2).replaceAll('"__ROOT__"', root)};\n`;
}

let indexHtml: string | undefined;

/** OHIF's page for one case: its inline scripts carry this response's nonce, its configuration is the case's. */
function casePage(caseId: string, nonce: string): string {
  indexHtml ??= readFileSync(path.join(OHIF_DIR, "index.html"), "utf8");
  return indexHtml
    .replaceAll("<script>", `<script nonce="${nonce}">`)
    .replace(`src="${OHIF_BASE}app-config.js"`, `src="${OHIF_BASE}cases/${caseId}/app-config.js"`);
}

const installed = () => existsSync(path.join(OHIF_DIR, "index.html"));

/**
 * Express middleware answering under /ohif/ (used after the app's security headers, whose CSP it replaces with OHIF's).
 * Not mounted at a path, so the request log keeps the full path.
 */
export function ohifViewer() {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.path !== "/ohif" && !req.path.startsWith(OHIF_BASE)) return next();
    try {
      if (req.method !== "GET" && req.method !== "HEAD") return void res.status(405).set("Allow", "GET, HEAD").send("Method Not Allowed");
      if (!installed()) return void res.status(404).type("text/plain").send("OHIF is not installed on this server (npm run ohif:prepare)");
      const cookie = req.get("cookie");
      const user = cookie ? await getOptionalUser(new Request(`http://localhost${req.originalUrl}`, { headers: { cookie } })) : null;
      if (!user) {
        const back = req.originalUrl.length <= 1_000 ? `?${new URLSearchParams({ redirectTo: req.originalUrl })}` : "";
        return void res.redirect(303, `/login${back}`);
      }
      const nonce = randomBytes(16).toString("base64");
      res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce));
      const [, casesWord, caseId, tail] = /^\/ohif\/(cases)\/([^/]+)(?:\/(.*))?$/.exec(req.path) ?? [];
      if (casesWord) {
        if (!CASE_ID.test(caseId)) return void res.status(404).type("text/plain").send("Not found");
        res.setHeader("Cache-Control", "no-store");
        if (tail === "app-config.js") return void res.type("text/javascript").send(ohifConfig(caseId));
        // Every other path under the case is one of OHIF's own routes (study list, viewer): its single page.
        return void res.type("text/html").send(casePage(caseId, nonce));
      }
      if (!req.path.startsWith(OHIF_BASE) || req.path === OHIF_BASE || req.path === `${OHIF_BASE}index.html`)
        return void res.status(404).type("text/plain").send("Open OHIF at /ohif/cases/<case id>/");
      // OHIF's own files (send refuses paths that climb out of the root, and dotfiles such as the prepared marker).
      res.sendFile(req.path.slice(OHIF_BASE.length), { root: OHIF_DIR, maxAge: "1h", dotfiles: "deny" }, (error) => {
        if (error && !res.headersSent) res.status(404).type("text/plain").send("Not found");
      });
    } catch (error) {
      next(error);
    }
  };
}
