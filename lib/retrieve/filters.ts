import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { integerArrayLiteral, textArrayLiteral } from "../db/array-literal";
import { queryRows, type Database } from "../db/client";
import { queryPreparedRows } from "../db/prepared-statements";
import type { ChunkMetadata } from "../db/schema";
import type { Format } from "../ingest/parse/types";
import { codeOf, locationOf } from "../documents/location";
import type { ChunkHit, SearchFilters } from "./types";

/**
 * The filters as a condition on `documents d`. Only ready documents are
 * searched: a large one stores its chunks in steps before it is (see
 * processDocument).
 */
export function filterCondition(filters: SearchFilters | undefined): SQL {
  const conditions: SQL[] = [sql`d.status = 'ready'`];
  if (filters?.documentIds) {
    conditions.push(sql`d.id = any(${integerArrayLiteral(filters.documentIds)}::int[])`);
  }
  if (filters?.formats) conditions.push(sql`d.format = any(${textArrayLiteral(filters.formats)}::text[])`);
  if (filters?.createdAfter) conditions.push(sql`d.created_at >= ${filters.createdAfter.toISOString()}::timestamptz`);
  if (filters?.createdBefore) conditions.push(sql`d.created_at < ${filters.createdBefore.toISOString()}::timestamptz`);
  return sql.join(conditions, sql` and `);
}

/**
 * A retriever's query, under `filters`: a prepared statement (planned once per
 * connection) unless the filters narrow the search, since their values change
 * which plan is best (a small document's chunks are best scored one by one, a
 * large one's found by walking the index), which one generic plan for every
 * value cannot follow: a filtered search is planned each time.
 */
export function queryHitRows<Row>(db: Database, query: SQL, filters: SearchFilters | undefined): Promise<Row[]> {
  const narrowed = filters && (filters.documentIds || filters.formats || filters.createdAfter || filters.createdBefore);
  return narrowed ? queryRows<Row>(db, query) : queryPreparedRows<Row>(db, query);
}

/** The chunk and document columns every retriever returns, from `chunks c` and `documents d`. */
export const hitColumns = sql`c.id as chunk_id, c.document_id, d.title as document_title, d.format as document_format,
  c.ordinal, c.content, c.metadata`;

export interface HitRow {
  chunk_id: number;
  document_id: number;
  document_title: string;
  document_format: Format;
  ordinal: number;
  content: string;
  metadata: ChunkMetadata | null;
}

export function toHit(row: HitRow, score: number, absoluteScore: number): ChunkHit {
  return {
    chunkId: Number(row.chunk_id),
    documentId: Number(row.document_id),
    documentTitle: row.document_title,
    documentFormat: row.document_format,
    ordinal: Number(row.ordinal),
    content: row.content,
    location: locationOf(row.metadata),
    code: codeOf(row.metadata),
    score,
    absoluteScore,
  };
}

