import { describe, expect, it } from "vitest";
import { convexCombination, minMaxConvexCombination, reciprocalRankFusion, type RankedList } from "@/lib/retrieve/fusion";
import type { ChunkHit } from "@/lib/retrieve/types";

const hit = (chunkId: number, score: number, absoluteScore = score): ChunkHit => ({
  chunkId,
  documentId: chunkId,
  documentTitle: `doc ${chunkId}`,
  documentFormat: "text",
  ordinal: 0,
  content: "",
  location: {},
      code: [],
  score,
  absoluteScore,
});

const semantic: RankedList = { mode: "semantic", weight: 1, hits: [hit(1, 0.9), hit(2, 0.8), hit(3, 0.5)] };
// BM25 12, 6, 3 for a query whose best possible score is 24.
const keyword: RankedList = { mode: "keyword", weight: 1, hits: [hit(3, 12, 0.5), hit(1, 6, 0.25), hit(4, 3, 0.125)] };

describe("reciprocal-rank fusion", () => {
  it("sums weight / (60 + rank) and scales by the best possible", () => {
    const fused = reciprocalRankFusion([semantic, keyword]);
    // 1: 1/61 + 1/62; 3: 1/63 + 1/61; 2: 1/62; 4: 1/63. Best possible: 2/61.
    expect(fused.map((f) => f.hit.chunkId)).toEqual([1, 3, 2, 4]);
    expect(fused[0]!.score).toBeCloseTo((1 / 61 + 1 / 62) / (2 / 61), 12);
    expect(fused[3]!.score).toBeCloseTo(1 / 63 / (2 / 61), 12);
    expect(fused[0]!.components).toEqual({ semantic: { rank: 1, score: 0.9 }, keyword: { rank: 2, score: 6 } });
    expect(fused[2]!.components).toEqual({ semantic: { rank: 2, score: 0.8 } });
  });

  it("follows the weights", () => {
    const fused = reciprocalRankFusion([{ ...semantic, weight: 0.2 }, { ...keyword, weight: 0.8 }]);
    // 3: 0.2/63 + 0.8/61 beats 1: 0.2/61 + 0.8/62.
    expect(fused[0]!.hit.chunkId).toBe(3);
  });
});

describe("convex combination of absolute scores", () => {
  it("adds the weighted 0–1 scores and scales by the total weight", () => {
    const fused = convexCombination([semantic, keyword]);
    // 1: (0.9 + 0.25) / 2 = 0.575; 3: (0.5 + 0.5) / 2 = 0.5; 2: 0.8 / 2 = 0.4; 4: 0.125 / 2 = 0.0625.
    expect(fused.map((f) => f.hit.chunkId)).toEqual([1, 3, 2, 4]);
    expect(fused.map((f) => f.score)).toEqual([0.575, 0.5, 0.4, 0.0625].map((v) => expect.closeTo(v, 12)));
  });

  it("does not count a weak keyword match as a perfect one when nothing better matched", () => {
    // The keyword list holds only a chunk that matched one minor word (8 % of the best possible).
    const weak: RankedList = { mode: "keyword", weight: 1, hits: [hit(9, 1.5, 0.08)] };
    const meaning: RankedList = { mode: "semantic", weight: 1, hits: [hit(5, 0.62), hit(9, 0.45), hit(7, 0.3)] };
    expect(convexCombination([meaning, weak])[0]!.hit.chunkId).toBe(5);
    expect(minMaxConvexCombination([meaning, weak])[0]!.hit.chunkId).toBe(9);
  });
});

describe("convex combination after min–max scaling", () => {
  it("min–max scales each list, then adds the weighted scores", () => {
    const fused = minMaxConvexCombination([{ ...semantic, weight: 0.5 }, { ...keyword, weight: 0.5 }]);
    // semantic scaled: 1 → 1, 2 → 0.75, 3 → 0; keyword: 3 → 1, 1 → 1/3, 4 → 0.
    // 1: 0.5 + 0.5/3 = 0.6667; 3: 0.5; 2: 0.375; 4: 0.
    expect(fused.map((f) => f.hit.chunkId)).toEqual([1, 3, 2, 4]);
    expect(fused.map((f) => f.score)).toEqual([2 / 3, 0.5, 0.375, 0].map((v) => expect.closeTo(v, 12)));
  });

  it("gives a list whose scores are all equal full marks rather than dividing by zero", () => {
    const fused = minMaxConvexCombination([{ mode: "keyword", weight: 1, hits: [hit(7, 2), hit(8, 2)] }]);
    expect(fused.map((f) => f.score)).toEqual([1, 1]);
  });
});
