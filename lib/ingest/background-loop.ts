import "server-only";
import { asBackgroundWork } from "../db/client";

/**
 * A background job every app instance runs: `step` does one piece of work as
 * background work (requests go first on PGlite) and says whether there was
 * any; with none it waits `pollMs`, after a failure five times as long. Stop
 * ends the wait at once and resolves when the step under way has finished.
 */
export function startBackgroundLoop(
  step: () => Promise<boolean>,
  options: { pollMs: number; onError?: (error: unknown) => void },
): { stop(): Promise<void> } {
  let running = true;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      // Stopped while the step ran: no wait, since nothing would end it (the timer does not hold the process open).
      if (!running) return resolve();
      const timer = setTimeout(resolve, ms);
      timer.unref();
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const loop = async () => {
    while (running) {
      try {
        if (await asBackgroundWork(step)) continue;
        await sleep(options.pollMs);
      } catch (error) {
        options.onError?.(error);
        await sleep(options.pollMs * 5);
      }
    }
  };
  // Started a tick later, so the step may refer to the loop's owner.
  const done = Promise.resolve().then(loop);
  return {
    async stop() {
      running = false;
      wake?.();
      await done;
    },
  };
}
