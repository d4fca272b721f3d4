import "server-only";
import { getConfig, type Config } from "./config";
import { openDatabase, type DatabaseHandle } from "./db/client";
import { ensureEmbeddingModel } from "./db/embedding-models";
import type { EmbeddingModel } from "./db/schema";
import { createChatModel, type ChatModel } from "./providers/chat";
import type { ProcessDependencies } from "./ingest/process";
import { startIngestWorker, type IngestWorker } from "./ingest/worker";
import { createEmbedder, type Embedder } from "./providers/embedding";

/**
 * What every request needs, built once per process: the validated config, the
 * database (migrated) and the embedder. The embedding model is resolved on
 * first use, since a remote server may be down at start and come up later.
 */
export interface AppContext {
  config: Config;
  database: DatabaseHandle;
  embedder: Embedder;
  chat: ChatModel;
  /** Processes queued uploads in the background. */
  worker: IngestWorker;
  embeddingModel(): Promise<EmbeddingModel>;
  close(): Promise<void>;
}

export async function createAppContext(
  config: Config,
  parts: { database?: DatabaseHandle; embedder?: Embedder; chat?: ChatModel } = {},
): Promise<AppContext> {
  const database =
    parts.database ??
    (await openDatabase({ url: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR, migrationsDir: config.MIGRATIONS_DIR }));
  const embedder = parts.embedder ?? createEmbedder(config);
  let model: Promise<EmbeddingModel> | undefined;
  const embeddingModel = () => {
    model ??= embedder
      .dimensions()
      .then((dimensions) =>
        ensureEmbeddingModel(database.db, { provider: embedder.provider, name: embedder.model, dimensions }),
      )
      .catch((error: unknown) => {
        model = undefined;
        throw error;
      });
    return model;
  };
  const context: AppContext = {
    config,
    database,
    embedder,
    chat: parts.chat ?? createChatModel(config),
    worker: startIngestWorker(() => ingestDependencies(context), {
      concurrency: config.INGEST_CONCURRENCY,
      pollMs: 1000,
      onError: (error) => console.error(`pgrag ingest worker: ${error instanceof Error ? error.message : String(error)}`),
    }),
    embeddingModel,
    async close() {
      await context.worker.stop();
      await embedder.close();
      await database.close();
    },
  };
  return context;
}

// Next.js may evaluate this module more than once (route bundles, dev reloads);
// one database handle per process lives on globalThis.
const holder = globalThis as typeof globalThis & { __pgragContext?: Promise<AppContext> };

export function getAppContext(): Promise<AppContext> {
  holder.__pgragContext ??= Promise.resolve()
    .then(() => createAppContext(getConfig()))
    .catch((error: unknown) => {
      holder.__pgragContext = undefined;
      throw error;
    });
  return holder.__pgragContext;
}

/** The database, embedder and resolved model: what retrieval functions take. */
export async function modelDependencies(context: AppContext) {
  return { db: context.database.db, embedder: context.embedder, model: await context.embeddingModel() };
}

export async function ingestDependencies(context: AppContext): Promise<ProcessDependencies> {
  return {
    ...(await modelDependencies(context)),
    chunking: { size: context.config.CHUNK_SIZE, overlap: context.config.CHUNK_OVERLAP },
  };
}

/** Installs a context built elsewhere (tests, scripts) as the one route handlers use. */
export function provideAppContext(context: Promise<AppContext>): void {
  holder.__pgragContext = context;
}
