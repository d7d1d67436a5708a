/** What server.ts hands every loader and action besides the request: request id, client address, CSP nonce. */
import "@remix-run/node";

/** What server.ts hands every loader and action besides the request. */
export type RequestContext = {
  requestId: string;
  clientIp: string | null;
  cspNonce: string;
};

declare module "@remix-run/node" {
  interface AppLoadContext extends RequestContext {}
}
