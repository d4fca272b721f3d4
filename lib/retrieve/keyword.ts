import "server-only";
import { sql } from "drizzle-orm";
import { integerArrayLiteral } from "../db/array-literal";
import { queryCopiedRows, textLiteral } from "../db/binary-copy";
import type { Database } from "../db/client";
import { filterCondition, hitColumns, queryHitRows, toHit, type HitRow } from "./filters";
import { scoreBlocks, type ScoredChunks, type ScoredTerm } from "./posting-blocks";
import type { ChunkHit, SearchFilters } from "./types";

/**
 * PostgreSQL's English configuration: Snowball stemming and stop words, so
 * "cells" finds "cell". Chunks are indexed with it when stored; changing it
 * means indexing every chunk again.
 */
export const TEXT_SEARCH_CONFIG = "english";

/**
 * A term's idf as BM25 weighs it (Lucene's ln(1 + (N − df + 0.5)/(df + 0.5))),
 * in SQL over `keyword_corpus k` and `keyword_terms t` (a term the library
 * lacks has df 0), for queries that weigh words without searching.
 */
export const TERM_IDF = sql`ln(1 + (greatest(k.chunks, 1) - coalesce(t.chunks, 0) + 0.5) / (coalesce(t.chunks, 0) + 0.5))`;

/** What keyword search indexes for a chunk: its document's title, its heading path, its text. */
export function keywordText(title: string, headings: string[], content: string): string {
  return [title, ...headings, content].filter((part) => part !== "").join(" ");
}

export interface Bm25Parameters {
  /** Term-frequency saturation: how quickly repeats of a word stop adding to the score. */
  k1: number;
  /** Length normalization: 0 ignores chunk length, 1 fully normalizes by it. */
  b: number;
}

/** Lucene's and Anserini's defaults; the BEIR BM25 figures use k1 0.9, b 0.4. */
export const DEFAULT_BM25: Bm25Parameters = { k1: 0.9, b: 0.4 };

export interface KeywordOptions {
  limit: number;
  filters?: SearchFilters;
  bm25?: Bm25Parameters;
}

/**
 * Okapi BM25 over PostgreSQL full-text tokens:
 *   Σ over query terms t in the chunk  idf(t) · tf·(k1+1) / (tf + k1·(1 − b + b·len/avglen))
 * with idf(t) = ln(1 + (N − df + 0.5)/(df + 0.5)), as Lucene computes it.
 * One query reads the corpus statistics the triggers keep (df, N, average
 * length) with every block of the query terms' postings (keyword_blocks,
 * 128 postings a row); the app scores them (scoreBlocks, which skips the
 * common words' shares for chunks that cannot reach the top) and asks the
 * database which of the best chunks pass the filters, a few at a time, so a
 * filter that passes few chunks looks further down the ranking. The scores
 * and order are always those of scoring every posting.
 */
export async function keywordSearch(db: Database, query: string, options: KeywordOptions): Promise<ChunkHit[]> {
  const { k1, b } = options.bm25 ?? DEFAULT_BM25;
  const limit = Math.max(1, Math.trunc(options.limit));
  const config = sql.raw(`'${TEXT_SEARCH_CONFIG}'`);
  // Inlined, not bound: the blocks come through COPY (queryCopiedRows).
  const queryTerms = sql`tsvector_to_array(to_tsvector(${config}, ${textLiteral(query)}))`;
  // Statistics and blocks as separate rows of one answer: a join would repeat
  // the statistics on every block and let a stale row estimate for
  // keyword_corpus make the planner copy every block once more.
  const rows = await queryCopiedRows(
    db,
    sql`
    select q.term, coalesce(t.chunks, 0) as df, greatest(k.chunks, 1)::float8 as n,
           greatest(k.words, 1)::float8 / greatest(k.chunks, 1) as average_length, null::bytea as data
    from unnest(${queryTerms}) as q(term)
    left join keyword_terms t on t.term = q.term
    cross join keyword_corpus k
    union all
    select b.term, null, null, null, b.data from keyword_blocks b where b.term = any(${queryTerms})`,
    { term: "text", df: "int4", n: "float8", average_length: "float8", data: "bytea" },
  );
  const statistics = rows.filter((row) => row.df !== null);
  if (statistics.length === 0) return [];
  const n = Number(statistics[0]!.n);
  const terms = new Map<string, ScoredTerm>(
    statistics.map((row) => [row.term!, { idf: Math.log(1 + (n - Number(row.df) + 0.5) / (Number(row.df) + 0.5)), blocks: [] }]),
  );
  for (const row of rows) if (row.data) terms.get(row.term!)!.blocks.push(row.data);
  // What a chunk holding every query word at saturation would score, words the
  // corpus lacks included: a chunk matching one word of a long query is then a
  // weak match on the 0–1 scale, as it should be, not a perfect one.
  const scored = [...terms.values()];
  const bestPossible = scored.reduce((sum, term) => sum + term.idf * (k1 + 1), 0);
  const averageLength = Number(statistics[0]!.average_length);
  // Pruned to what can reach the first look's candidates; if the filters turn
  // away so many that the hits reach below what pruning kept exact, everything
  // is scored after all.
  const pruned = await passingHits(db, scoreBlocks(scored, k1, b, averageLength, limit + FILTER_SLACK), limit, options.filters);
  const exact = pruned.hits.length === limit ? pruned.lowest >= pruned.exactFrom : pruned.exactFrom === 0;
  const { hits } = exact ? pruned : await passingHits(db, scoreBlocks(scored, k1, b, averageLength), limit, options.filters);
  return hits.map(({ row, score }) => toHit(row, score, score / bestPossible));
}

/** The best `limit` chunks of the ranking that pass the filters, looked up a few at a time, and the lowest score taken. */
async function passingHits(db: Database, ranking: ScoredChunks, limit: number, filters: SearchFilters | undefined) {
  const hits: { row: HitRow; score: number }[] = [];
  for (let from = 0, batch = limit + FILTER_SLACK; hits.length < limit && from < ranking.count; from += batch, batch *= 8) {
    const candidates = ranking.slice(from, from + batch);
    const passing = await queryHitRows<HitRow>(
      db,
      sql`
      select ${hitColumns} from chunks c join documents d on d.id = c.document_id
      where c.id = any(${integerArrayLiteral(candidates.map((candidate) => candidate.chunkId))}::int[])
        and ${filterCondition(filters)}`,
      filters,
    );
    const byId = new Map(passing.map((row) => [Number(row.chunk_id), row]));
    for (const { chunkId, score } of candidates) {
      const row = byId.get(chunkId);
      if (row && hits.length < limit) hits.push({ row, score });
    }
  }
  return { hits, lowest: hits.at(-1)?.score ?? 0, exactFrom: ranking.exactFrom };
}

/**
 * Candidates checked beyond the number wanted in the first look: only ready
 * documents are searched, and a document being stored has chunks already.
 */
const FILTER_SLACK = 16;
