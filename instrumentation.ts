/**
 * Runs once when the server starts: opens the database and applies migrations
 * before the first request, and says plainly what is wrong if that fails.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getAppContext } = await import("./lib/context");
  try {
    const context = await getAppContext();
    console.log(
      `pgrag: ${context.database.engine} database ready; embeddings by ${context.embedder.provider}:${context.embedder.model}`,
    );
    // On stop (docker stop, Ctrl+C), documents being processed go back to the
    // queue at once rather than when their lease lapses; nothing half-done was
    // committed, since a document's chunks commit in one transaction.
    const shutdown = (signal: string) => {
      void context.worker.abandon().then(
        (count) => count > 0 && console.log(`pgrag: ${signal}: ${count} document(s) being processed went back to the queue`),
        (error: unknown) => console.error(`pgrag: ${signal}: could not hand documents back (${String(error)}); they are retried when their lease lapses`),
      );
    };
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
  } catch (error) {
    console.error(`pgrag: ${error instanceof Error ? error.message : String(error)}`);
  }
}
