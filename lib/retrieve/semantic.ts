import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { toSql } from "pgvector";
import { queryRows, type Database } from "../db/client";
import { assertVectorDimensions, indexedVectorType } from "../db/embedding-models";
import type { EmbeddingModel } from "../db/schema";
import { filterCondition, hitColumns, toHit, type HitRow } from "./filters";
import type { ChunkHit, SearchFilters } from "./types";

export interface SemanticOptions {
  limit: number;
  filters?: SearchFilters;
  /** HNSW candidate list size: higher finds more of the true nearest neighbours, slower. */
  efSearch: number;
}

/** pgvector refuses a larger ef_search. */
const MAX_EF_SEARCH = 1000;

/**
 * Cosine top-k through the active model's HNSW index. With filters, pgvector's
 * iterative index scan keeps walking the graph until `limit` rows pass them,
 * instead of filtering a fixed candidate list down to fewer (or none); relaxed
 * ordering lets it do so cheaply, and the outer query restores exact order.
 */
export async function semanticSearch(
  db: Database,
  model: EmbeddingModel,
  vector: number[],
  options: SemanticOptions,
): Promise<ChunkHit[]> {
  assertVectorDimensions(vector, model);
  const limit = Math.max(1, Math.trunc(options.limit));
  const efSearch = Math.min(MAX_EF_SEARCH, Math.max(limit, Math.trunc(options.efSearch)));
  return db.transaction(async (tx) => {
    // One round trip for both settings: at 100k chunks the search itself takes a few milliseconds.
    await tx.execute(
      sql`select set_config('hnsw.ef_search', ${String(efSearch)}, true), set_config('hnsw.iterative_scan', 'relaxed_order', true)`,
    );
    const rows = await queryRows<HitRow & { distance: number }>(
      tx,
      semanticSearchQuery(model, vector, limit, options.filters),
    );
    return rows.map((row) => {
      const similarity = 1 - Number(row.distance);
      return toHit(row, similarity, Math.max(0, Math.min(1, similarity)));
    });
  });
}

/**
 * The cast and the model id are inlined so the planner matches the model's
 * partial expression index (see embedding-models.ts).
 */
export function semanticSearchQuery(model: EmbeddingModel, vector: number[], limit: number, filters?: SearchFilters): SQL {
  const type = sql.raw(indexedVectorType(model));
  const modelId = sql.raw(String(Math.trunc(model.id)));
  const distance = sql`(e.embedding::${type} <=> ${toSql(vector)}::${type})`;
  return sql`
    with nearest as materialized (
      select ${hitColumns}, ${distance} as distance
      from chunk_embeddings e
      join chunks c on c.id = e.chunk_id
      join documents d on d.id = c.document_id
      where e.model_id = ${modelId} and ${filterCondition(filters)}
      order by ${distance}
      limit ${limit}
    )
    select * from nearest order by distance`;
}
