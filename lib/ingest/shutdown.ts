import "server-only";
import type { AppContext } from "../context";

/**
 * On stop (docker stop, Ctrl+C), documents being processed go back to the
 * queue at once rather than when their lease lapses; nothing half-done was
 * committed, since a document's chunks commit in one transaction.
 */
export function handOverOnShutdown(context: AppContext): void {
  const shutdown = (signal: string) => {
    void context.worker.abandon().then(
      (count) => count > 0 && console.log(`pgrag: ${signal}: ${count} document(s) being processed went back to the queue`),
      (error: unknown) =>
        console.error(`pgrag: ${signal}: could not hand documents back (${String(error)}); they are retried when their lease lapses`),
    );
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}
