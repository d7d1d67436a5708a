/** The shared sweep timer: one run at a time, ticks during a long run skipped rather than queued into a burst. */
import { describe, expect, it, vi } from "vitest";
import { startSweep } from "~/platform/periodic-sweep.server";

describe("a periodic sweep", () => {
  it("skips the ticks that come while a run is still under way, instead of running them all once it ends", async () => {
    let calls = 0;
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const sweep = startSweep(
      "test sweep",
      async () => {
        calls++;
        await gate;
        return 0;
      },
      1,
    );
    // Let the 1 ms timer tick many times while the first run waits.
    let ticks = 0;
    const counter = setInterval(() => ticks++, 1);
    await vi.waitFor(() => expect(ticks).toBeGreaterThanOrEqual(30), { timeout: 5_000, interval: 5 });
    clearInterval(counter);
    release();
    await sweep.stop();
    expect(calls).toBe(1);
  });

  it("keeps sweeping after a run that throws", async () => {
    let calls = 0;
    const sweep = startSweep(
      "test sweep",
      async () => {
        calls++;
        throw new Error("database unreachable");
      },
      1,
    );
    await vi.waitFor(() => expect(calls).toBeGreaterThanOrEqual(3), { timeout: 5_000, interval: 5 });
    await sweep.stop();
  });
});
