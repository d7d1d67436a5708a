/** POST /gateway/studies: STOW-RS intake of instances an institution's on-premise gateway de-identified (gateway token only). */
import type { ActionFunctionArgs } from "@remix-run/node";
import { readStowParts } from "~/features/imaging/dicomweb.server";
import { gatewayHeaders, receiveFromGateway, requireGateway } from "~/features/imaging/gateway/gateway-intake.server";
import { requestMeta } from "~/platform/request-meta.server";

export async function action({ request, context }: ActionFunctionArgs) {
  const meta = requestMeta(request, context);
  const gateway = await requireGateway(request, meta);
  const headers = gatewayHeaders(request);
  if (!headers) return new Response("Malformed linkage hash or calling AE title header", { status: 400 });
  const parts = await readStowParts(request);
  if (parts instanceof Response) return parts;
  return receiveFromGateway({ gateway, meta, parts, ...headers, base: `${new URL(request.url).origin}/gateway` });
}

export const loader = () => new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
