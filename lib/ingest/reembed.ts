import "server-only";
import { and, eq, isNotNull, sql } from "drizzle-orm";
import { queryRows, type Database } from "../db/client";
import { hasErrorCode } from "../db/errors";
import { assertVectorDimensions } from "../db/embedding-models";
import { chunkEmbeddings, embeddingModels, type EmbeddingModel } from "../db/schema";
import type { Embedder } from "../providers/embedding";
import { startBackgroundLoop } from "./background-loop";
import { embeddingInput } from "./chunk";

/**
 * Changing the embedding model without a wipe: every chunk is embedded with the
 * new model in the background, beside the old vectors, while search keeps using
 * the old model; when no chunk is missing, one transaction makes the new model
 * the active one. The same backfill also repairs the active model: a document
 * that committed while the switch happened gets its missing vectors here.
 */

export interface ReembedProgress {
  model: Pick<EmbeddingModel, "id" | "provider" | "name" | "dimensions">;
  embedded: number;
  total: number;
}

/** Chunks embedded per step: small enough to report progress often and yield to searches. */
const BACKFILL_BATCH = 32;

export async function requestReembed(db: Database, target: EmbeddingModel): Promise<void> {
  if (target.active) return;
  await db
    .update(embeddingModels)
    .set({ reembedRequestedAt: sql`coalesce(${embeddingModels.reembedRequestedAt}, now())` })
    .where(eq(embeddingModels.id, target.id));
}

/** The model being re-embedded towards, if a re-embed was asked for. */
export async function pendingReembed(db: Database): Promise<EmbeddingModel | undefined> {
  const [model] = await db
    .select()
    .from(embeddingModels)
    .where(and(isNotNull(embeddingModels.reembedRequestedAt), eq(embeddingModels.active, false)));
  return model;
}

export async function reembedProgress(db: Database, model: EmbeddingModel): Promise<ReembedProgress> {
  const [row] = await queryRows<{ total: number; embedded: number }>(db, sql`
    select (select chunks from keyword_corpus)::int as total,
           (select embeddings from embedding_models where id = ${model.id})::int as embedded`);
  const { id, provider, name, dimensions } = model;
  return { model: { id, provider, name, dimensions }, embedded: Number(row!.embedded), total: Number(row!.total) };
}

/** Chunks without this model's vector, from the counts triggers keep (a vector per chunk and model at most). */
async function missingVectors(db: Database, model: EmbeddingModel): Promise<number> {
  const progress = await reembedProgress(db, model);
  return progress.total - progress.embedded;
}

/** Embeds one batch of chunks that have no vector from this model; returns how many it did. */
export async function backfillBatch(db: Database, model: EmbeddingModel, embedder: Embedder): Promise<number> {
  // The kept counts answer "anything missing?" without reading every chunk, which on
  // PGlite held the server's thread for a second every poll once the library grew.
  if ((await missingVectors(db, model)) <= 0) return 0;
  const missing = await queryRows<{ id: number; content: string; metadata: { headings?: string[] } }>(db, sql`
    select c.id, c.content, c.metadata from chunks c
    where not exists (select 1 from chunk_embeddings e where e.chunk_id = c.id and e.model_id = ${model.id})
    order by c.id limit ${BACKFILL_BATCH}`);
  if (missing.length === 0) return 0;
  const vectors = await embedder.embedDocuments(
    missing.map((c) => embeddingInput({ content: c.content, headings: c.metadata?.headings ?? [] })),
  );
  for (const vector of vectors) assertVectorDimensions(vector, model);
  try {
    await db
      .insert(chunkEmbeddings)
      .values(missing.map((chunk, i) => ({ chunkId: chunk.id, modelId: model.id, embedding: vectors[i]! })))
      .onConflictDoNothing();
  } catch (error) {
    // A chunk deleted while it was being embedded: the next batch no longer sees it.
    if (!hasErrorCode(error, "23503")) throw error;
  }
  return missing.length;
}

/**
 * Makes the target the active model if no chunk lacks its vector. Locking the
 * models first means a document committing at this moment either finished
 * before the count (and was counted) or lands after the switch (and the
 * backfill of the active model picks it up).
 */
export async function switchIfComplete(db: Database, target: EmbeddingModel): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select id from embedding_models for update`);
    if ((await missingVectors(tx, target)) > 0) return false;
    await tx.update(embeddingModels).set({ active: false }).where(eq(embeddingModels.active, true));
    await tx
      .update(embeddingModels)
      .set({ active: true, reembedRequestedAt: null })
      .where(eq(embeddingModels.id, target.id));
    return true;
  });
}

export interface ReembedWorkerDependencies {
  db: Database;
  active: { model: EmbeddingModel; embedder: Embedder };
  configured: { model: EmbeddingModel; embedder: Embedder };
}

/**
 * The background half: fills in the active model's missing vectors, then works
 * through a requested re-embed and switches when it is complete. Runs in every
 * app instance; the inserts are idempotent, so instances only share the work.
 */
export function startReembedWorker(
  dependencies: () => Promise<ReembedWorkerDependencies>,
  options: { pollMs: number; onError?: (error: unknown) => void },
): { stop(): Promise<void> } {
  return startBackgroundLoop(async () => {
    const { db, active, configured } = await dependencies();
    if ((await backfillBatch(db, active.model, active.embedder)) > 0) return true;
    const target = await pendingReembed(db);
    if (!target || target.id !== configured.model.id) return false;
    return (await backfillBatch(db, target, configured.embedder)) > 0 || (await switchIfComplete(db, target));
  }, options);
}
