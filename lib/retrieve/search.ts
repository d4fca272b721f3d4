import "server-only";
import type { Config } from "../config";
import type { Database } from "../db/client";
import type { EmbeddingModel } from "../db/schema";
import { InputError } from "../errors";
import type { Embedder } from "../providers/embedding";
import {
  convexCombination,
  minMaxConvexCombination,
  reciprocalRankFusion,
  type FusedHit,
  type FusionMethod,
  type RankedList,
} from "./fusion";
import { keywordSearch, type Bm25Parameters } from "./keyword";
import { semanticSearch } from "./semantic";
import type { ChunkHit, SearchFilters, SearchMode } from "./types";

export interface SearchSettings {
  fusion: FusionMethod;
  weights: { semantic: number; keyword: number };
  efSearch: number;
  bm25: Bm25Parameters;
}

export function searchSettings(config: Config): SearchSettings {
  return {
    fusion: config.SEARCH_FUSION,
    weights: { semantic: config.SEARCH_SEMANTIC_WEIGHT, keyword: config.SEARCH_KEYWORD_WEIGHT },
    efSearch: config.SEARCH_EF_SEARCH,
    bm25: { k1: config.BM25_K1, b: config.BM25_B },
  };
}

export interface SearchQuery {
  /** Text to search for, and/or a ready-made query vector for the semantic side (alone only in semantic mode). */
  query?: string;
  vector?: number[];
  mode: SearchMode;
  topK: number;
  /** Results scoring below it are dropped (the score of the chosen mode). */
  minScore?: number;
  filters?: SearchFilters;
}

export interface SearchResult extends FusedHit {
  mode: SearchMode;
}

export const fusions: Record<FusionMethod, (lists: RankedList[]) => FusedHit[]> = {
  rrf: reciprocalRankFusion,
  convex: convexCombination,
  "convex-minmax": minMaxConvexCombination,
};

/** Each retriever hands hybrid fusion this many candidates per result wanted, so a chunk ranked modestly by both can still rise. */
const HYBRID_DEPTH = 3;
const MIN_HYBRID_CANDIDATES = 50;

export async function search(
  deps: { db: Database; embedder: Embedder; model: EmbeddingModel },
  request: SearchQuery,
  settings: SearchSettings,
): Promise<SearchResult[]> {
  if (request.query === undefined && request.mode !== "semantic") {
    throw new InputError("vector_needs_semantic", "A query vector can only be searched in semantic mode: send query text for keyword or hybrid.", 422);
  }
  const semantic = async (limit: number) => {
    const vector = request.vector ?? (await deps.embedder.embedQuery(request.query!));
    return semanticSearch(deps.db, deps.model, vector, { limit, filters: request.filters, efSearch: settings.efSearch });
  };
  const keyword = (limit: number) =>
    keywordSearch(deps.db, request.query!, { limit, filters: request.filters, bm25: settings.bm25 });

  let results: SearchResult[];
  if (request.mode === "hybrid") {
    const depth = Math.max(request.topK * HYBRID_DEPTH, MIN_HYBRID_CANDIDATES);
    const [semanticHits, keywordHits] = await Promise.all([semantic(depth), keyword(depth)]);
    const lists = [
      { mode: "semantic" as const, hits: semanticHits, weight: settings.weights.semantic },
      { mode: "keyword" as const, hits: keywordHits, weight: settings.weights.keyword },
    ];
    const fused = fusions[settings.fusion](lists);
    results = fused.map((hit) => ({ ...hit, mode: "hybrid" }));
  } else {
    const hits = request.mode === "semantic" ? await semantic(request.topK) : await keyword(request.topK);
    results = hits.map((hit, i) => unfusedResult(request.mode, hit, i + 1));
  }
  const minScore = request.minScore;
  return results.filter((result) => minScore === undefined || result.score >= minScore).slice(0, request.topK);
}

/** A result of one retriever alone, its rank and score as its only component. */
function unfusedResult(mode: SearchMode, hit: ChunkHit, rank: number): SearchResult {
  return { hit, score: hit.score, mode, components: { [mode]: { rank, score: hit.score } } };
}
