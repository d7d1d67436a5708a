/**
 * A task every process runs on a timer (reminders and notices that must go out
 * once): the first run at once, then one run at a time. A tick that comes while
 * a run is still under way (a slow database, a long backlog) is skipped, so runs
 * never pile up behind it and burst once it ends. The task itself makes its
 * work happen once across processes, by claiming each item with a conditional
 * update.
 */
import { log } from "~/platform/logger.server";

/** Starts the sweep; `stop` ends it and waits for a run under way. `task` returns how many items it handled, logged under `name`. */
export function startSweep(name: string, task: () => Promise<number>, intervalMs: number): { stop: () => Promise<void> } {
  let running: Promise<void> | null = null;
  const sweep = () => {
    if (running) return;
    running = Promise.resolve()
      .then(task)
      .then((count) => {
        if (count > 0) log("info", `${name} sent`, { count });
      })
      .catch((error) => log("error", `${name} sweep failed`, { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        running = null;
      });
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
