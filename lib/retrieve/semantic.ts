import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { toSql } from "pgvector";
import type { Database } from "../db/client";
import { assertVectorDimensions, indexedVectorType } from "../db/embedding-models";
import type { EmbeddingModel } from "../db/schema";
import { filterCondition, hitColumns, queryHitRows, toHit, type HitRow } from "./filters";
import type { ChunkHit, SearchFilters } from "./types";

export interface SemanticOptions {
  limit: number;
  filters?: SearchFilters;
  /** HNSW candidate list size: higher finds more of the true nearest neighbours, slower. */
  efSearch: number;
}

type SemanticRow = HitRow & { distance: number };

/** pgvector refuses a larger ef_search. */
const MAX_EF_SEARCH = 1000;

/**
 * Cosine top-k through the active model's HNSW index. With filters, pgvector's
 * iterative index scan keeps walking the graph until `limit` rows pass them,
 * instead of filtering a fixed candidate list down to fewer (or none); relaxed
 * ordering lets it do so cheaply, and the outer query restores exact order.
 *
 * The walk gives up after hnsw.max_scan_tuples candidates (20,000) and returns
 * what it has, and a large document's chunks are in the graph while it is
 * stored (not yet ready) and after it is deleted (until VACUUM): thousands of
 * them nearer the query than anything live left semantic search empty. A short
 * answer is therefore checked by an exact scan, which costs a pass over the
 * vectors only when the library (or the filtered part of it) is small or the
 * index walk was cut short.
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
  const settings = { efSearch };
  let rows = await queryHitRows<SemanticRow>(db, semanticSearchQuery(model, vector, limit, options.filters, { settings }), options.filters);
  if (rows.length < limit) {
    rows = await queryHitRows<SemanticRow>(db, semanticSearchQuery(model, vector, limit, options.filters, { exact: true }), options.filters);
  }
  return rows.map((row) => {
    const similarity = 1 - Number(row.distance);
    return toHit(row, similarity, Math.max(0, Math.min(1, similarity)));
  });
}

/**
 * The cast and the model id are inlined so the planner matches the model's
 * partial expression index (see embedding-models.ts), and so is the limit, so
 * the prepared statement's generic plan walks the index as each search's own
 * plan would (a limit given as a parameter is planned as a tenth of the rows).
 * `exact` orders by an expression the index cannot serve (the distance plus
 * zero), so the planner scores every vector that passes the filters and keeps
 * the top k.
 *
 * `settings` are made in the statement itself, for it alone: the index walk
 * is the inner side of a lateral join whose outer row sets them, so it starts
 * after they are made, and they end with the statement's own transaction.
 * One round trip instead of four (begin, settings, query, commit), which on
 * a busy two-core server was most of the time a search took.
 */
export function semanticSearchQuery(
  model: EmbeddingModel,
  vector: number[],
  limit: number,
  filters?: SearchFilters,
  { exact = false, settings }: { exact?: boolean; settings?: { efSearch: number } } = {},
): SQL {
  const type = sql.raw(indexedVectorType(model));
  const modelId = sql.raw(String(Math.trunc(model.id)));
  const distance = sql`(e.embedding::${type} <=> ${toSql(vector)}::${type})`;
  const order = exact ? sql`${distance} + 0` : distance;
  const settingsMade = settings
    ? sql`select set_config('hnsw.ef_search', ${String(settings.efSearch)}, true) as ef_search,
                 set_config('hnsw.iterative_scan', 'relaxed_order', true) as iterative_scan`
    : sql`select null as ef_search`;
  return sql`
    with settings as materialized (${settingsMade})
    select nearest.* from settings cross join lateral (
      select ${hitColumns}, ${distance} as distance
      from chunk_embeddings e
      join chunks c on c.id = e.chunk_id
      join documents d on d.id = c.document_id
      where e.model_id = ${modelId} and ${filterCondition(filters)} and settings.ef_search is not distinct from settings.ef_search
      order by ${order}
      limit ${sql.raw(String(limit))}
    ) nearest
    order by nearest.distance`;
}
