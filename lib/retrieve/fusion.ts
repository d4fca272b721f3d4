import type { ChunkHit, SearchMode } from "./types";

/** One retriever's ranking, best first. */
export interface RankedList {
  mode: Exclude<SearchMode, "hybrid">;
  hits: ChunkHit[];
  weight: number;
}

export interface FusedHit {
  hit: ChunkHit;
  /** 0–1: the fused score divided by the best score any chunk could get. */
  score: number;
  /** Where each retriever ranked the chunk (1-based) and what it scored; absent if it did not find it. */
  components: Partial<Record<RankedList["mode"], { rank: number; score: number }>>;
}

export type FusionMethod = "rrf" | "convex" | "convex-minmax";

/** The constant from Cormack et al. (2009): it damps the head of each list so no single ranking dominates. */
export const RRF_K = 60;

/**
 * Reciprocal-rank fusion: Σ weight / (RRF_K + rank). Uses ranks only, so it
 * needs no calibration between cosine similarities and BM25 scores.
 */
export function reciprocalRankFusion(lists: RankedList[], k = RRF_K): FusedHit[] {
  const best = lists.reduce((sum, list) => sum + list.weight / (k + 1), 0);
  return fuse(lists, (list, rank) => list.weight / (k + rank), best);
}

/**
 * Convex combination of absolute scores: Σ weight · score on each retriever's
 * fixed 0–1 scale (cosine similarity; BM25 over the query's best possible).
 * Unlike RRF it keeps how far ahead a hit is, not only its place; unlike
 * min–max scaling, a keyword list whose best hit matched one common word does
 * not count that hit as a perfect match.
 */
export function convexCombination(lists: RankedList[]): FusedHit[] {
  const best = lists.reduce((sum, list) => sum + list.weight, 0);
  return fuse(lists, (list, _rank, hit) => list.weight * hit.absoluteScore, best);
}

/**
 * Convex combination after min–max scaling each list to 0–1 over the
 * candidates it returned (the usual textbook form).
 */
export function minMaxConvexCombination(lists: RankedList[]): FusedHit[] {
  const ranges = new Map(
    lists.map((list) => {
      const scores = list.hits.map((h) => h.score);
      return [list, { min: Math.min(...scores), max: Math.max(...scores) }] as const;
    }),
  );
  const best = lists.reduce((sum, list) => sum + list.weight, 0);
  return fuse(
    lists,
    (list, _rank, hit) => {
      const { min, max } = ranges.get(list)!;
      return list.weight * (max > min ? (hit.score - min) / (max - min) : 1);
    },
    best,
  );
}

function fuse(
  lists: RankedList[],
  contribution: (list: RankedList, rank: number, hit: ChunkHit) => number,
  best: number,
): FusedHit[] {
  const fused = new Map<number, { hit: ChunkHit; total: number; components: FusedHit["components"] }>();
  for (const list of lists) {
    list.hits.forEach((hit, i) => {
      const entry = fused.get(hit.chunkId) ?? { hit, total: 0, components: {} };
      entry.total += contribution(list, i + 1, hit);
      entry.components[list.mode] = { rank: i + 1, score: hit.score };
      fused.set(hit.chunkId, entry);
    });
  }
  return [...fused.values()]
    .sort((a, b) => b.total - a.total || a.hit.chunkId - b.hit.chunkId)
    .map(({ hit, total, components }) => ({ hit, score: best > 0 ? total / best : 0, components }));
}
