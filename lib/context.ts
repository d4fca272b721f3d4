import "server-only";
import type { AnswerDependencies } from "./answer/answer";
import { countChatTokens } from "./answer/tokens";
import { getConfig, hnswGraph, type Config } from "./config";
import { describeForLog } from "./errors";
import { openDatabase, type DatabaseHandle } from "./db/client";
import { activeEmbeddingModel, ensureEmbeddingModel } from "./db/embedding-models";
import type { EmbeddingModel } from "./db/schema";
import { createChatModel, type ChatModel } from "./providers/chat";
import type { ProcessDependencies } from "./ingest/process";
import { startReembedWorker } from "./ingest/reembed";
import { startReprocessWorker } from "./ingest/reprocess";
import { createDocumentReader, type DocumentReader } from "./ingest/reader";
import { startIngestWorker, type IngestWorker } from "./ingest/worker";
import { startBackgroundLoop } from "./ingest/background-loop";
import { autovacuum } from "./db/vacuum";
import { createEmbedder, embedderForModel, type Embedder } from "./providers/embedding";
import { withQueryCache } from "./providers/embedding/query-cache";

/**
 * What every request needs, built once per process: the validated config, the
 * database (migrated) and the embedders. Models are resolved on first use,
 * since a remote server may be down at start and come up later.
 */
export interface AppContext {
  config: Config;
  database: DatabaseHandle;
  /** The embedder the configuration names. */
  embedder: Embedder;
  chat: ChatModel;
  /** Parses and chunks documents in worker threads. */
  reader: DocumentReader;
  /** Processes queued uploads in the background. */
  worker: IngestWorker;
  /** Fills in missing vectors and carries out a requested re-embed. */
  reembedWorker: { stop(): Promise<void> };
  /** Reads stored documents again when the parser, the chunker or the chunk settings changed. */
  reprocessWorker: { stop(): Promise<void> };
  /** PGlite only: vacuums the tables autovacuum would have (PGlite has none). */
  vacuumWorker?: { stop(): Promise<void> };
  /** Stops the background work (ingestion, re-embedding, re-reading) and leaves the database open. */
  stopWorkers(): Promise<void>;
  /** The configured embedder's model, registered in the database. */
  embeddingModel(): Promise<EmbeddingModel>;
  /** The model search and ingestion use now, with an embedder for it; it differs from the configured one until re-embedding finishes. */
  activeModel(): Promise<{ model: EmbeddingModel; embedder: Embedder }>;
  close(): Promise<void>;
}

/** How often a PGlite app looks for tables due a vacuum: soon after an import, rarely enough to cost nothing. */
const VACUUM_CHECK_MS = 30_000;

export async function createAppContext(
  config: Config,
  parts: { database?: DatabaseHandle; embedder?: Embedder; chat?: ChatModel; warmEmbedder?: boolean } = {},
): Promise<AppContext> {
  const embedder = withQueryCache(parts.embedder ?? createEmbedder(config));
  // The model loads while the database opens, not after: a search sent as soon
  // as the server answered waited 0.8 s for the rest of the loading. A model
  // server that is down is reported by the health check and the first search.
  if (parts.warmEmbedder) void embedder.embedQuery("warm-up").catch(() => {});
  const database =
    parts.database ??
    (await openDatabase({
      url: config.DATABASE_URL,
      readUrls: config.DATABASE_READ_URL,
      pgliteDir: config.PGLITE_DIR,
      migrationsDir: config.MIGRATIONS_DIR,
    }).catch(async (error: unknown) => {
      // The next request tries again with a new embedder: this one must not linger.
      await embedder.close();
      throw error;
    }));
  let model: Promise<EmbeddingModel> | undefined;
  const embeddingModel = () => {
    model ??= embedder
      .dimensions()
      .then((dimensions) =>
        ensureEmbeddingModel(database.db, {
          provider: embedder.provider,
          name: embedder.model,
          dimensions,
          settings: embedder.settings,
          indexType: config.VECTOR_INDEX_TYPE,
          graph: hnswGraph(config),
        }),
      )
      .catch((error: unknown) => {
        model = undefined;
        throw error;
      });
    return model;
  };
  const embedders = new Map<number, Embedder>();
  const activeModel = async () => {
    const model = await activeEmbeddingModel(database.db, await embeddingModel());
    let forModel = embedders.get(model.id);
    if (!forModel) {
      forModel = embedderForModel(model, config, embedder);
      embedders.set(model.id, forModel);
    }
    return { model, embedder: forModel };
  };
  const context: AppContext = {
    config,
    database,
    embedder,
    chat: parts.chat ?? createChatModel(config),
    reader: createDocumentReader({
      threads: config.INGEST_CONCURRENCY,
      memoryMb: config.MAX_READ_MEMORY_MB,
      timeoutMs: config.MAX_READ_SECONDS * 1000,
    }),
    worker: startIngestWorker(() => ingestDependencies(context), {
      concurrency: config.INGEST_CONCURRENCY,
      pollMs: 1000,
      onError: (error) => console.error(`pgrag ingest worker: ${describeForLog(error)}`),
    }),
    reembedWorker: startReembedWorker(
      async () => ({
        db: database.db,
        active: await activeModel(),
        configured: { model: await embeddingModel(), embedder },
      }),
      { pollMs: 5000, onError: (error) => console.error(`pgrag re-embedding: ${describeForLog(error)}`) },
    ),
    reprocessWorker: startReprocessWorker(() => ingestDependencies(context), {
      pollMs: 5000,
      onError: (error) => console.error(`pgrag re-reading documents: ${describeForLog(error)}`),
    }),
    vacuumWorker:
      database.engine === "pglite"
        ? startBackgroundLoop(
            async () => {
              await autovacuum(database.db);
              return false;
            },
            {
              pollMs: VACUUM_CHECK_MS,
              onError: (error) => console.error(`pgrag vacuum: ${describeForLog(error)}`),
            },
          )
        : undefined,
    embeddingModel,
    activeModel,
    async stopWorkers() {
      await Promise.all([context.worker.stop(), context.reembedWorker.stop(), context.reprocessWorker.stop(), context.vacuumWorker?.stop()]);
    },
    async close() {
      await context.stopWorkers();
      await context.reader.close();
      await Promise.all([...new Set([embedder, ...embedders.values()])].map((e) => e.close()));
      await database.close();
    },
  };
  return context;
}

/** The error and what caused it: a failed query's message alone does not say why. */
// Next.js may evaluate this module more than once (route bundles, dev reloads);
// one database handle per process lives on globalThis.
const holder = globalThis as typeof globalThis & { __pgragContext?: Promise<AppContext> };

export function getAppContext(): Promise<AppContext> {
  holder.__pgragContext ??= Promise.resolve()
    .then(() => createAppContext(getConfig(), { warmEmbedder: true }))
    .catch((error: unknown) => {
      holder.__pgragContext = undefined;
      throw error;
    });
  return holder.__pgragContext;
}

/** What answering takes: retrieval's dependencies, the chat model and its token counter. */
export async function answerDependencies(context: AppContext): Promise<AnswerDependencies> {
  return { ...(await modelDependencies(context)), chat: context.chat, countTokens: countChatTokens };
}

/** Retrieval's dependencies with a replica to read from when one is current (lib/db/replicas.ts). */
export async function searchDependencies(context: AppContext) {
  return { ...(await modelDependencies(context)), db: await context.database.reader() };
}

/** The database and the active model with its embedder: what retrieval and ingestion take. */
export async function modelDependencies(context: AppContext) {
  return { db: context.database.db, ...(await context.activeModel()) };
}

export async function ingestDependencies(context: AppContext): Promise<ProcessDependencies> {
  return {
    ...(await modelDependencies(context)),
    chunking: { size: context.config.CHUNK_SIZE, overlap: context.config.CHUNK_OVERLAP },
    reader: context.reader,
  };
}

/** Installs a context built elsewhere (tests, scripts) as the one route handlers use. */
export function provideAppContext(context: Promise<AppContext>): void {
  holder.__pgragContext = context;
}
