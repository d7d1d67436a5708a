/**
 * Request bodies in Express, before any route sees them: a body whose declared length is over its route's cap is refused
 * at once, unread. (A body without a declared length is read under the same caps by the route: readForm, receiveFilePart,
 * the STOW-RS part reader; one a route refuses without reading is not read at all.)
 */
import type { NextFunction, Request, Response } from "express";

/** How long a refused client may keep sending before its connection is closed. */
const REFUSED_BODY_GRACE_MS = 5_000;

export type BodyCap = (method: string, path: string) => number;

export function refuseOversizedBodies(capFor: BodyCap) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (["GET", "HEAD", "OPTIONS"].includes(req.method)) return next();
    const declared = Number(req.get("content-length"));
    const cap = capFor(req.method, req.baseUrl + req.path);
    if (!Number.isFinite(declared) || declared <= cap) return next();
    res.set("Connection", "close");
    res.status(413).type("text/plain").send(`Request body larger than this endpoint accepts (${cap} bytes)`);
    req.resume();
    setTimeout(() => req.destroy(), REFUSED_BODY_GRACE_MS).unref();
  };
}
