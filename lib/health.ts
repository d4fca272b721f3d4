import "server-only";
import { sql } from "drizzle-orm";
import type { AppContext } from "./context";
import { databaseVersions, queryRows } from "./db/client";
import { reprocessProgress } from "./ingest/reprocess";
import type { ChatStatus } from "./providers/chat";

export interface Health {
  status: "ok" | "degraded";
  database: { engine: string; server: string; pgvector: string | null };
  embedder: {
    provider: string;
    model: string;
    dimensions: number | null;
    ready: boolean;
    error?: string;
  };
  /** The chat model is optional: an unreachable one is reported here, not an outage. */
  chat: ChatStatus;
  counts: { documents: number; chunks: number; embeddings: number };
  /** Every registered embedding model and its stored vectors; only the active one is searched. */
  models: { provider: string; name: string; dimensions: number; embeddings: number; active: boolean }[];
  /**
   * Set when the stored vectors come from another model than the configured
   * embedder: search keeps using the active model until every chunk has a
   * vector from the configured one.
   */
  reembed: { from: string; to: string; requested: boolean; embedded: number; total: number } | null;
  /**
   * Set while stored documents are being read again because the parser, the
   * chunker or the chunk settings changed: how many are done. Documents an
   * earlier version stored without their file (withoutFile) can only be
   * uploaded again.
   */
  reprocess: { current: number; total: number; withoutFile: number } | null;
}

export async function getHealth(context: AppContext): Promise<Health> {
  const { db, engine } = context.database;
  const chat = context.chat.status();
  const embedder = await embedderHealth(context);
  const versions = await databaseVersions(db);
  const [counts] = await queryRows<Health["counts"]>(db, sql`
    select (select count(*) from documents)::int as documents,
           (select chunks from keyword_corpus)::int as chunks,
           (select coalesce(sum(embeddings), 0) from embedding_models)::int as embeddings`);
  const models = await queryRows<{
    id: number;
    provider: string;
    name: string;
    dimensions: number;
    active: boolean;
    requested: boolean;
    embeddings: number;
  }>(
    db,
    sql`select m.id, m.provider, m.name, m.dimensions, m.active, m.reembed_requested_at is not null as requested,
               m.embeddings::int as embeddings
        from embedding_models m order by m.id`,
  );
  const reprocess = await reprocessProgress(db, { size: context.config.CHUNK_SIZE, overlap: context.config.CHUNK_OVERLAP });
  const active = models.find((m) => m.active);
  const configured = models.find((m) => m.id === embedder.modelId);
  const label = (m: { provider: string; name: string }) => `${m.provider}:${m.name}`;
  return {
    status: embedder.health.ready ? "ok" : "degraded",
    database: { engine, ...versions },
    embedder: embedder.health,
    chat: await chat,
    counts: { documents: Number(counts!.documents), chunks: Number(counts!.chunks), embeddings: Number(counts!.embeddings) },
    models: models.map(({ provider, name, dimensions, embeddings, active: isActive }) => ({
      provider,
      name,
      dimensions,
      embeddings: Number(embeddings),
      active: isActive,
    })),
    reembed:
      active && configured && active.id !== configured.id && Number(counts!.chunks) > 0
        ? {
            from: label(active),
            to: label(configured),
            requested: configured.requested,
            embedded: Number(configured.embeddings),
            total: Number(counts!.chunks),
          }
        : null,
    reprocess: reprocess.current + reprocess.withoutFile < reprocess.total ? reprocess : null,
  };
}

async function embedderHealth(context: AppContext): Promise<{ health: Health["embedder"]; modelId?: number }> {
  const { provider, model: name } = context.embedder;
  try {
    const model = await context.embeddingModel();
    await context.activeModel();
    return { health: { provider, model: name, dimensions: model.dimensions, ready: true }, modelId: model.id };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { health: { provider, model: name, dimensions: null, ready: false, error: message } };
  }
}
