import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { toSql } from "pgvector";
import { queryRows, type Database } from "../db/client";
import { assertVectorDimensions, indexedVectorType } from "../db/embedding-models";
import type { EmbeddingModel } from "../db/schema";
import type { ChunkLocation } from "../api/schemas";
import type { Embedder } from "../providers/embedding";

export interface SemanticHit {
  chunkId: number;
  documentId: number;
  documentTitle: string;
  ordinal: number;
  content: string;
  location: ChunkLocation;
  /** 1 − cosine distance: 1 is the same direction, 0 unrelated. */
  similarity: number;
}

export const MAX_TOP_K = 100;

/**
 * Cosine top-k through the model's HNSW index. The cast and the model id are
 * inlined so the planner matches the partial expression index; ef_search is
 * raised with k because HNSW returns at most ef_search rows.
 */
export async function searchByVector(
  db: Database,
  model: EmbeddingModel,
  vector: number[],
  topK: number,
): Promise<SemanticHit[]> {
  assertVectorDimensions(vector, model);
  const k = Math.max(1, Math.min(MAX_TOP_K, Math.trunc(topK)));
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw(`set local hnsw.ef_search = ${Math.max(40, k * 2)}`));
    const rows = await queryRows<{
      chunk_id: number;
      document_id: number;
      document_title: string;
      ordinal: number;
      content: string;
      metadata: ChunkLocation;
      distance: number;
    }>(tx, semanticSearchQuery(model, vector, k));
    return rows.map((row) => ({
      chunkId: Number(row.chunk_id),
      documentId: Number(row.document_id),
      documentTitle: row.document_title,
      ordinal: Number(row.ordinal),
      content: row.content,
      location: row.metadata ?? {},
      similarity: 1 - Number(row.distance),
    }));
  });
}

export function semanticSearchQuery(model: EmbeddingModel, vector: number[], k: number): SQL {
  const type = sql.raw(indexedVectorType(model));
  const modelId = sql.raw(String(Math.trunc(model.id)));
  const distance = sql`(e.embedding::${type} <=> ${toSql(vector)}::${type})`;
  return sql`
    select c.id as chunk_id, c.document_id, d.title as document_title, c.ordinal, c.content, c.metadata,
           ${distance} as distance
    from chunk_embeddings e
    join chunks c on c.id = e.chunk_id
    join documents d on d.id = c.document_id
    where e.model_id = ${modelId}
    order by ${distance}
    limit ${k}`;
}

export async function searchByText(
  deps: { db: Database; embedder: Embedder; model: EmbeddingModel },
  query: string,
  topK: number,
): Promise<SemanticHit[]> {
  const vector = await deps.embedder.embedQuery(query);
  return searchByVector(deps.db, deps.model, vector, topK);
}
