import "server-only";
import { sql } from "drizzle-orm";
import type { AppContext } from "./context";
import type { ChatStatus } from "./providers/chat";
import { databaseVersions, queryRows } from "./db/client";

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
}

export async function getHealth(context: AppContext): Promise<Health> {
  const { db, engine } = context.database;
  const chat = context.chat.status();
  const versions = await databaseVersions(db);
  const [row] = await queryRows<{ documents: number; chunks: number; embeddings: number }>(db, sql`
    select (select count(*) from documents)::int as documents,
           (select count(*) from chunks)::int as chunks,
           (select count(*) from chunk_embeddings)::int as embeddings`);
  const embedder = { provider: context.embedder.provider, model: context.embedder.model };
  let embedderHealth: Health["embedder"];
  try {
    const model = await context.embeddingModel();
    embedderHealth = { ...embedder, dimensions: model.dimensions, ready: true };
  } catch (error) {
    embedderHealth = {
      ...embedder,
      dimensions: null,
      ready: false,
      error: error instanceof Error ? error.message : String(error),
    };
  }
  return {
    status: embedderHealth.ready ? "ok" : "degraded",
    database: { engine, ...versions },
    embedder: embedderHealth,
    chat: await chat,
    counts: { documents: Number(row!.documents), chunks: Number(row!.chunks), embeddings: Number(row!.embeddings) },
  };
}
