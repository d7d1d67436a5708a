/**
 * With REDIS_URL set, Socket.IO rooms span every server process through the
 * Redis adapter (pub/sub). That adapter cannot recover connection state, so
 * reconnecting clients then catch up from the database by sequence number.
 */
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";

export async function connectRedisAdapter(url: string) {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  for (const client of [pub, sub]) client.on("error", () => undefined);
  await Promise.all([pub.connect(), sub.connect()]);
  return {
    adapter: createAdapter(pub, sub),
    close: async () => {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
