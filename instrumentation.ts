/**
 * Runs once when the server starts: opens the database and applies migrations
 * before the first request, and says plainly what is wrong if that fails.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getAppContext } = await import("./lib/context");
  const { handOverOnShutdown } = await import("./lib/ingest/shutdown");
  try {
    const context = await getAppContext();
    console.log(
      `pgrag: ${context.database.engine} database ready; embeddings by ${context.embedder.provider}:${context.embedder.model}`,
    );
    handOverOnShutdown(context);
  } catch (error) {
    console.error(`pgrag: ${error instanceof Error ? error.message : String(error)}`);
  }
}
