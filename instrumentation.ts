/**
 * Runs once when the server starts: opens the database and applies migrations
 * before the first request, and says plainly what is wrong if that fails.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { watchArrivals } = await import("./lib/access/arrival");
  const { getConfig } = await import("./lib/config");
  // First, so the rate limit never counts by a header a client wrote; a
  // misconfigured server refuses the API anyway (proxy.ts), so 0 is safe there.
  watchArrivals(trustedProxies(getConfig));
  const { getAppContext } = await import("./lib/context");
  const { handOverOnShutdown } = await import("./lib/ingest/shutdown");
  try {
    const context = await getAppContext();
    console.log(
      `pgrag: ${context.database.engine} database ready; embeddings by ${context.embedder.provider}:${context.embedder.model}`,
    );
    handOverOnShutdown(context);
    // The configured model loads as the context opens (lib/context.ts); while
    // re-embedding, search still uses the previous model: load that one too,
    // not when the first person asks (the first search waited 6.7 s for it).
    void context
      .activeModel()
      .then(({ embedder }) => embedder.embedQuery("warm-up"))
      .catch(() => {});
  } catch (error) {
    console.error(`pgrag: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function trustedProxies(getConfig: () => { TRUST_PROXY: number }): number {
  try {
    return getConfig().TRUST_PROXY;
  } catch {
    return 0;
  }
}
