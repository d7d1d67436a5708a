/**
 * `npm run gateway`: the on-premise DICOM gateway, run inside the hospital network (see gateway/gateway.server.ts and the
 * README). Configured by GATEWAY_PLATFORM_URL, GATEWAY_TOKEN (from `npm run token:create -- --gateway`), GATEWAY_PORT,
 * GATEWAY_QUEUE_DIR and GATEWAY_CALLING_AE_TITLES.
 */
import { GatewayTokenRefused, startGateway } from "~/features/imaging/gateway/gateway.server";
import { EnvError, validateGatewayEnv } from "~/platform/env.server";

let config;
try {
  config = validateGatewayEnv();
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

try {
  const gateway = await startGateway({
    platformUrl: config.GATEWAY_PLATFORM_URL,
    token: config.GATEWAY_TOKEN,
    port: config.GATEWAY_PORT,
    queueDir: config.GATEWAY_QUEUE_DIR,
    callingAeTitles: config.GATEWAY_CALLING_AE_TITLES,
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void gateway.close().then(() => process.exit(0)));
  }
} catch (error) {
  if (!(error instanceof GatewayTokenRefused)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
