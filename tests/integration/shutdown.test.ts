import { describe, expect, it } from "vitest";
import { io as connect } from "socket.io-client";
import { startServer } from "../../server";
import { getDb } from "~/platform/db.server";
import { signIn } from "../support/remix";

describe("graceful shutdown", () => {
  it("finishes requests in flight, disconnects sockets, stops accepting and closes the database", async () => {
    const server = await startServer({ port: 0, host: "127.0.0.1", ui: "none" });
    const base = `http://127.0.0.1:${server.port}`;
    const socket = connect(base, { transports: ["websocket"], reconnection: false, extraHeaders: { cookie: await signIn("consultant@demo.test") } });
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    const disconnected = new Promise((resolve) => socket.once("disconnect", resolve));

    // Shut down the moment the request arrives, while /healthz still awaits the database.
    const closing = new Promise<void>((resolve) => server.httpServer.once("request", () => resolve(server.close())));
    const inFlight = await fetch(`${base}/healthz`);
    expect(inFlight.status).toBe(200);
    await closing;
    await disconnected;

    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    expect(server.httpServer.listening).toBe(false);
    // The next user of the database gets a fresh connection pool.
    expect(await getDb().user.count()).toBeGreaterThan(0);
  });
});
