import "server-only";
import { asBackgroundWork } from "../db/client";
import type { ProcessDependencies } from "./process";
import { processDocument } from "./process";
import { claim, failAbandoned, release, releaseDeferred, type Claim } from "./queue";

export interface IngestWorker {
  /** Look for work now rather than at the next poll. */
  wake(): void;
  /** Resolves when no document is being processed and none is waiting. */
  idle(): Promise<void>;
  stop(): Promise<void>;
  /**
   * For a server shutting down: stops claiming and puts the documents being
   * processed back in the queue at once, uncounted, so another instance (or
   * this one restarted) starts them over instead of waiting out the lease. The
   * abandoned work commits nothing: its claim is gone. Resolves to how many
   * documents went back.
   */
  abandon(): Promise<number>;
}

export interface WorkerOptions {
  /** Documents processed at once: more than one keeps the embedder busy while another document parses or commits. */
  concurrency: number;
  /** How often to look for work queued by other app instances. */
  pollMs: number;
  onError?: (error: unknown) => void;
}

/**
 * Processes queued documents in the background. Every app instance runs one;
 * the database hands each document to exactly one of them.
 */
export function startIngestWorker(
  dependencies: () => Promise<ProcessDependencies>,
  options: WorkerOptions,
): IngestWorker {
  let running = true;
  let busy = 0;
  /** Counts wakes, so a claim can tell whether one came while it ran. */
  let wakes = 0;
  /** Claims that found nothing since someone last asked for work or for idleness. */
  let foundNothing = 0;
  const idleWaiters: (() => void)[] = [];
  const sleepers = new Set<() => void>();
  const inFlight = new Map<Claim, ProcessDependencies["db"]>();

  // Timers are unref'd: an idle worker never keeps a command-line process alive.
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        sleepers.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      timer.unref();
      sleepers.add(finish);
    });
  const wakeAll = () => {
    wakes += 1;
    foundNothing = 0;
    for (const finish of [...sleepers]) finish();
  };

  const settleIdle = () => {
    if (busy === 0 && foundNothing >= options.concurrency) {
      for (const resolve of idleWaiters.splice(0)) resolve();
    }
  };

  async function slot() {
    while (running) {
      const wakesBefore = wakes;
      try {
        const deps = await dependencies();
        await releaseDeferred();
        await failAbandoned(deps.db);
        const claimed = await claim(deps.db);
        if (!claimed) {
          // A wake while this claim ran may be for a document it could not see
          // yet (queued after its snapshot): look again rather than count as idle
          // or sleep through it.
          if (wakes !== wakesBefore) continue;
          foundNothing += 1;
          settleIdle();
          await sleep(options.pollMs);
          continue;
        }
        foundNothing = 0;
        busy += 1;
        inFlight.set(claimed, deps.db);
        try {
          await asBackgroundWork(() => processDocument(deps, claimed));
        } finally {
          inFlight.delete(claimed);
          busy -= 1;
        }
      } catch (error) {
        // The database or the model is unreachable: the document's lease lapses
        // and it is claimed again once things are back.
        options.onError?.(error);
        foundNothing += 1;
        settleIdle();
        await sleep(options.pollMs * 5);
      }
    }
  }

  // Started a tick later, so a caller may pass dependencies that refer to the worker's owner.
  const slots = Array.from({ length: options.concurrency }, () => Promise.resolve().then(slot));

  return {
    wake: wakeAll,
    idle() {
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
        wakeAll();
      });
    },
    async stop() {
      running = false;
      wakeAll();
      await Promise.all(slots);
      for (const resolve of idleWaiters.splice(0)) resolve();
    },
    async abandon() {
      running = false;
      wakeAll();
      const claims = [...inFlight];
      await Promise.all(claims.map(([claimed, db]) => release(db, claimed, { refund: true })));
      return claims.length;
    },
  };
}
