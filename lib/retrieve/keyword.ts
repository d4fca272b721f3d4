import "server-only";
import { sql } from "drizzle-orm";
import { textArrayLiteral } from "../db/array-literal";
import { queryRows, type Database } from "../db/client";
import { filterCondition, hitColumns, toHit, type HitRow } from "./filters";
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
 * Term frequencies and chunk lengths come from the inverted index
 * (keyword_postings, read through its covering index), df, N and the average
 * length from the statistics triggers maintain; nothing scans the corpus.
 *
 * A common word ("cells", "increased") has postings in a large share of
 * chunks. So chunks are first gathered from the rarer terms' postings only,
 * and the common terms are scored for the gathered chunks alone (MaxScore, as
 * search engines do it): a chunk holding
 * none of the rare terms can score at most Σ idf·(k1+1) over the common ones,
 * and when the k-th best score already beats that, no such chunk can enter the
 * top k. Only otherwise does a second pass read every query term's postings.
 * Scores are exact either way.
 */
export async function keywordSearch(db: Database, query: string, options: KeywordOptions): Promise<ChunkHit[]> {
  const bm25 = options.bm25 ?? DEFAULT_BM25;
  const limit = Math.max(1, Math.trunc(options.limit));
  const config = sql.raw(`'${TEXT_SEARCH_CONFIG}'`);
  const statistics = await queryRows<{ term: string; df: number; n: number; average_length: number }>(db, sql`
    select q.term, coalesce(t.chunks, 0) as df, greatest(k.chunks, 1)::float8 as n,
           greatest(k.words, 1)::float8 / greatest(k.chunks, 1) as average_length
    from unnest(tsvector_to_array(to_tsvector(${config}, ${query}))) as q(term)
    left join keyword_terms t on t.term = q.term
    cross join keyword_corpus k`);
  const n = Number(statistics[0]?.n ?? 1);
  const idf = (df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));
  // What a chunk holding every query word at saturation would score, words the
  // corpus lacks included: a chunk matching one word of a long query is then a
  // weak match on the 0–1 scale, as it should be, not a perfect one.
  const bestPossible = statistics.reduce((sum, row) => sum + idf(Number(row.df)) * (bm25.k1 + 1), 0);
  const terms = statistics
    .filter((row) => Number(row.df) > 0)
    .map((row) => ({ term: row.term, df: Number(row.df), idf: idf(Number(row.df)) }))
    .sort((a, b) => a.df - b.df);
  if (terms.length === 0) return [];

  const rare = terms.filter((t, i) => i === 0 || t.df <= n * COMMON_TERM_SHARE);
  const ceilingWithoutRare = terms.slice(rare.length).reduce((sum, t) => sum + t.idf * (bm25.k1 + 1), 0);
  const score = (gatherBy: typeof terms) =>
    scoreChunks(db, {
      bestPossible,
      terms,
      gatherBy: gatherBy.length < terms.length ? gatherBy : undefined,
      limit,
      bm25,
      averageLength: Number(statistics[0]!.average_length),
      filters: options.filters,
    });

  const first = await score(rare);
  const kth = first[limit - 1]?.score;
  if (rare.length === terms.length || (kth !== undefined && kth >= ceilingWithoutRare)) return first;
  return score(terms);
}

/** A term in more than this share of chunks is common: it only adds to the scores of chunks the rarer terms found. */
const COMMON_TERM_SHARE = 0.05;
/** Shares below 2¹⁶ rounded to multiples of 2⁻³⁶ keep 52 significant bits: their sums are exact. */
const SHARE_QUANTUM = 2 ** 36;

async function scoreChunks(
  db: Database,
  options: {
    terms: { term: string; idf: number }[];
    bestPossible: number;
    /** Gather chunks from these terms' postings only, and look the other terms up in each; all terms' postings when absent. */
    gatherBy?: { term: string }[];
    limit: number;
    bm25: Bm25Parameters;
    averageLength: number;
    filters?: SearchFilters;
  },
): Promise<ChunkHit[]> {
  const { k1, b } = options.bm25;
  const gatherSet = new Set((options.gatherBy ?? options.terms).map((t) => t.term));
  const gather = options.terms.filter((t) => gatherSet.has(t.term));
  const lookup = options.terms.filter((t) => !gatherSet.has(t.term));
  const termTable = (terms: { term: string; idf: number }[]) =>
    sql`select * from unnest(${textArrayLiteral(terms.map((t) => t.term))}::text[], ${`{${terms.map((t) => t.idf).join(",")}}`}::float8[]) as q(term, idf)`;
  // Each term's share is rounded to a multiple of 2⁻³⁶ before it is added, so
  // a sum of a few dozen shares is exact in any order the plan adds them up:
  // equal chunks tie exactly, and ties go to the lower chunk id every time.
  const quantum = sql.raw(`${SHARE_QUANTUM}::float8`);
  const termScore = sql`sum(round(q.idf * (p.tf * (${k1}::float8 + 1))
    / (p.tf + ${k1}::float8 * (1 - ${b}::float8 + ${b}::float8 * p.length / ${options.averageLength}::float8)) * ${quantum}) / ${quantum})`;
  // The common terms only for gathered chunks: the planner probes the
  // (term, chunk_id) index per chunk when few were gathered, or hashes the
  // common terms' postings when many were.
  const lookups =
    lookup.length > 0
      ? sql`, looked_up as (
          select p.chunk_id, ${termScore} as score
          from (${termTable(lookup)}) q
          join keyword_postings p on p.term = q.term
          where p.chunk_id in (select chunk_id from gathered)
          group by p.chunk_id
        )`
      : sql``;
  const total = lookup.length > 0 ? sql`g.score + coalesce(l.score, 0)` : sql`g.score`;
  const joinLookups = lookup.length > 0 ? sql`left join looked_up l on l.chunk_id = g.chunk_id` : sql``;
  // Only ready documents are searched (one being stored has chunks already).
  // Unfiltered, nearly every chunk passes, so the best scores are picked from
  // the postings alone with room to spare; only if too few of them pass are
  // all scored chunks checked, as they always are under filters.
  const filtered = options.filters && Object.values(options.filters).some((v) => v !== undefined);
  const candidates = filtered ? undefined : options.limit * 2 + 20;
  const query = (candidates?: number) => sql`
    with gathered as (
      select p.chunk_id, ${termScore} as score
      from (${termTable(gather)}) q
      join keyword_postings p on p.term = q.term
      group by p.chunk_id
    )${lookups},
    top as (
      select s.chunk_id, s.score
      from (
        select g.chunk_id, ${total} as score from gathered g ${joinLookups}
        ${candidates ? sql`order by score desc, g.chunk_id limit ${candidates}` : sql``}
      ) s
      where exists (
        select from chunks c join documents d on d.id = c.document_id
        where c.id = s.chunk_id and ${filterCondition(options.filters)})
      order by s.score desc, s.chunk_id
      limit ${options.limit}
    )
    select ${hitColumns}, t.score
    from top t
    join chunks c on c.id = t.chunk_id
    join documents d on d.id = c.document_id
    order by t.score desc, c.id`;
  let rows = await queryRows<HitRow & { score: number }>(db, query(candidates));
  if (candidates && rows.length < options.limit) rows = await queryRows(db, query());
  return rows.map((row) => toHit(row, Number(row.score), Number(row.score) / options.bestPossible));
}
