/** The request facts an audit event records: client address, user agent, request id. */
import type { AppLoadContext } from "@remix-run/node";

export type RequestMeta = { ip: string | null; userAgent: string | null; requestId: string | null };

export function requestMeta(request: Request, context: Partial<AppLoadContext> | undefined): RequestMeta {
  return {
    ip: context?.clientIp ?? null,
    userAgent: request.headers.get("user-agent")?.slice(0, 400) ?? null,
    requestId: context?.requestId ?? null,
  };
}
