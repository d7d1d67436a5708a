/** GET /gateway/context: an institution's on-premise gateway fetches the inbox context it de-identifies with (gateway token only). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { loadGatewayContext, requireGateway } from "~/features/imaging/gateway/gateway-intake.server";
import { requestMeta } from "~/platform/request-meta.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const meta = requestMeta(request, context);
  const gateway = await requireGateway(request, meta);
  return Response.json(await loadGatewayContext({ gateway, meta }), { headers: { "Cache-Control": "no-store" } });
}
