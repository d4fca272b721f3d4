import { describe, expect, it } from "vitest";
import { DENSE_SLOTS, POSTING_BYTES, scoreBlocks } from "@/lib/retrieve/posting-blocks";

/** A keyword_blocks row's data, packed as the migration's keyword_posting_record packs it. */
function block(postings: [chunkId: number, tf: number, length: number][]): Uint8Array {
  const data = Buffer.alloc(postings.length * POSTING_BYTES);
  postings.forEach(([chunkId, tf, length], i) => {
    data.writeInt32BE(chunkId, i * POSTING_BYTES);
    data.writeInt16BE(tf, i * POSTING_BYTES + 4);
    data.writeInt32BE(length, i * POSTING_BYTES + 6);
  });
  return new Uint8Array(data);
}

const share = (idf: number, tf: number, length: number, averageLength: number, k1 = 0.9, b = 0.4) =>
  (idf * (tf * (k1 + 1))) / (tf + k1 * (1 - b + (b * length) / averageLength));

describe("scoring keyword blocks", () => {
  it("adds each term's BM25 share per chunk and ranks by score, then by chunk id", () => {
    const ranking = scoreBlocks(
      [
        { idf: 2, blocks: [block([[3, 1, 10], [7, 2, 10]]), block([[9, 1, 20]])] },
        { idf: 0.5, blocks: [block([[3, 1, 10], [4, 1, 10], [9, 3, 20]])] },
      ],
      0.9,
      0.4,
      15,
    );
    expect(ranking.count).toBe(4);
    const ranked = ranking.slice(0, 10);
    expect(ranked.map((hit) => hit.chunkId)).toEqual([7, 3, 9, 4]);
    expect(ranked[1]!.score).toBeCloseTo(share(2, 1, 10, 15) + share(0.5, 1, 10, 15), 9);
    expect(ranking.slice(1, 3).map((hit) => hit.chunkId)).toEqual([3, 9]);
    expect(ranking.slice(4, 8)).toEqual([]);
  });

  it("ties equal chunks exactly, the lower id first, however deep the slice", () => {
    // 500 chunks with one of five lengths: many exact ties, and a slice deep enough to sort all.
    const postings = Array.from({ length: 500 }, (_, i): [number, number, number] => [1000 - i * 2, 1, 10 + (i % 5)]);
    const ranking = scoreBlocks([{ idf: 1.3, blocks: [block(postings.slice(0, 128)), block(postings.slice(128))] }], 0.9, 0.4, 12);
    const all = ranking.slice(0, 500);
    for (let i = 1; i < all.length; i++) {
      const [before, after] = [all[i - 1]!, all[i]!];
      expect(before.score > after.score || (before.score === after.score && before.chunkId < after.chunkId)).toBe(true);
    }
    expect(ranking.slice(0, 5)).toEqual(all.slice(0, 5));
    expect(ranking.slice(200, 210)).toEqual(all.slice(200, 210));
  });

  it("leaves nothing behind for the next search", () => {
    scoreBlocks([{ idf: 1, blocks: [block([[5, 1, 10]])] }], 0.9, 0.4, 10);
    const next = scoreBlocks([{ idf: 1, blocks: [block([[6, 1, 10]])] }], 0.9, 0.4, 10);
    expect(next.slice(0, 5).map((hit) => hit.chunkId)).toEqual([6]);
    expect(scoreBlocks([], 0.9, 0.4, 10).count).toBe(0);
  });
});

describe("scoring keyword blocks across a wide span of chunk ids", () => {
  it("ranks chunks as the dense path does when their ids lie further apart than DENSE_SLOTS", () => {
    const near = (offset: number) => [
      { idf: 1.1, blocks: [block([[offset + 1, 2, 12], [offset + 5, 1, 9]])] },
      { idf: 2.4, blocks: [block([[offset + 5, 1, 9], [offset + 9, 3, 30]])] },
    ];
    const expected = scoreBlocks(near(0), 0.9, 0.4, 14).slice(0, 10);
    // The same postings, the last two chunks moved past the dense span.
    const far = DENSE_SLOTS + 100;
    const wide = scoreBlocks(
      [
        { idf: 1.1, blocks: [block([[1, 2, 12], [far + 5, 1, 9]])] },
        { idf: 2.4, blocks: [block([[far + 5, 1, 9], [far + 9, 3, 30]])] },
      ],
      0.9,
      0.4,
      14,
    ).slice(0, 10);
    expect(wide.map((hit) => hit.score)).toEqual(expected.map((hit) => hit.score));
    expect(wide.map((hit) => hit.chunkId)).toEqual(expected.map((hit) => (hit.chunkId === 1 ? 1 : hit.chunkId + far)));
  });
});

describe("scoring common words", () => {
  // Two words over the same 6,000 chunks: enough postings each that their
  // shares are remembered per (tf, length), with tfs and lengths on both
  // sides of what is remembered.
  const postings = Array.from({ length: 6000 }, (_, i): [number, number, number] => [
    i + 1,
    1 + ((i * 7) % 23),
    40 + ((i * 13) % 1200),
  ]);
  const blocksOf = (part: typeof postings) =>
    Array.from({ length: Math.ceil(part.length / 128) }, (_, i) => block(part.slice(i * 128, i * 128 + 128)));

  it("scores each posting as if its share were worked out afresh, word by word", () => {
    const common = scoreBlocks(
      [
        { idf: 2.1, blocks: blocksOf(postings) },
        { idf: 0.35, blocks: blocksOf(postings.filter((_, i) => i % 3 !== 0)) },
      ],
      0.9,
      0.4,
      300,
    );
    // The same postings as words too small to remember anything: every share is worked out.
    const halves = (part: typeof postings) => [part.slice(0, part.length / 2), part.slice(part.length / 2)];
    const rare = scoreBlocks(
      [
        ...halves(postings).map((part) => ({ idf: 2.1, blocks: blocksOf(part) })),
        ...halves(postings.filter((_, i) => i % 3 !== 0)).map((part) => ({ idf: 0.35, blocks: blocksOf(part) })),
      ],
      0.9,
      0.4,
      300,
    );
    expect(common.count).toBe(6000);
    expect(common.slice(0, 6000)).toEqual(rare.slice(0, 6000));
  });
});

describe("scoring only what can reach the top", () => {
  /** mulberry32: the same library on every run. */
  const random = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  /** Words from rare to common over 20,000 chunks, with few tfs and lengths: many exact ties. */
  function library(seed: number) {
    const next = random(seed);
    const chunks = 20_000;
    const length = (chunkId: number) => 20 + (chunkId % 7) * 5;
    return [15, 60, 400, 3000, 9000, 15000].map((df) => {
      const ids = new Set<number>();
      while (ids.size < df) ids.add(1 + Math.floor(next() * chunks));
      const postings = [...ids].sort((x, y) => x - y).map((id): [number, number, number] => [id, 1 + Math.floor(next() * next() * 4), length(id)]);
      const blocks = Array.from({ length: Math.ceil(postings.length / 128) }, (_, i) => block(postings.slice(i * 128, i * 128 + 128)));
      // In no set order, as the database returns a term's rows.
      for (let i = blocks.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [blocks[i], blocks[j]] = [blocks[j]!, blocks[i]!];
      }
      return { idf: Math.log(1 + (chunks - df + 0.5) / (df + 0.5)), blocks };
    });
  }

  it("ranks the top exactly as scoring every posting does, and leaves out only chunks below where that holds", () => {
    let pruning = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const terms = library(seed);
      const everything = scoreBlocks(terms, 0.9, 0.4, 35);
      const all = everything.slice(0, everything.count);
      expect(everything.exactFrom).toBe(0);
      for (const top of [1, 10, 66]) {
        const pruned = scoreBlocks(terms, 0.9, 0.4, 35, top);
        expect(pruned.slice(0, top)).toEqual(all.slice(0, top));
        const ranked = pruned.slice(0, pruned.count);
        const exact = ranked.filter((hit) => hit.score >= pruned.exactFrom);
        expect(exact.length).toBeGreaterThanOrEqual(top);
        expect(exact).toEqual(all.slice(0, exact.length));
        const kept = new Set(ranked.map((hit) => hit.chunkId));
        expect(all.filter((hit) => !kept.has(hit.chunkId) && hit.score >= pruned.exactFrom)).toEqual([]);
        if (pruned.count < everything.count) pruning++;
      }
    }
    // Pruning is what is under test: it must have happened.
    expect(pruning).toBeGreaterThan(9);
  });

  it("keeps a chunk that only a common word names when that word, repeated, lifts it near the most any chunk could score", () => {
    // The rare word in 20 chunks (5 times in the first); the common word, in
    // 5,000 others, 1,000 times in chunk 9000: its share (3.0369) comes within
    // 0.1% of the bound pruning reasons with (1.6 · 1.9 = 3.04) and beats the
    // rare word's once (3.035), the fifth best score.
    const rare = { idf: 3.035, blocks: [block(Array.from({ length: 20 }, (_, i): [number, number, number] => [i + 1, i === 0 ? 5 : 1, 10]))] };
    const commonPostings = Array.from({ length: 5000 }, (_, i): [number, number, number] => [4001 + i, i === 4999 ? 1000 : 1, 10]);
    const common = { idf: 1.6, blocks: Array.from({ length: 40 }, (_, i) => block(commonPostings.slice(i * 128, i * 128 + 128))) };
    const everything = scoreBlocks([rare, common], 0.9, 0.4, 10);
    expect(everything.slice(1, 2)[0]!.chunkId).toBe(9000);
    expect(scoreBlocks([rare, common], 0.9, 0.4, 10, 5).slice(0, 5)).toEqual(everything.slice(0, 5));
  });
});
