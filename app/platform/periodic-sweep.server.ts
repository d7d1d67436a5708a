/**
 * A task every process runs on a timer (reminders and notices that must go out
 * once): the first run at once, then one run at a time. The task itself makes
 * its work happen once across processes, by claiming each item with a
 * conditional update.
 */
import { log } from "~/platform/logger.server";

/** Starts the sweep; `stop` ends it and waits for a run under way. `task` returns how many items it handled, logged under `name`. */
export function startSweep(name: string, task: () => Promise<number>, intervalMs: number): { stop: () => Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const sweep = () => {
    running = running
      .then(task)
      .then((count) => {
        if (count > 0) log("info", `${name} sent`, { count });
      })
      .catch((error) => log("error", `${name} sweep failed`, { error: error instanceof Error ? error.message : String(error) }));
  };
  sweep();
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
