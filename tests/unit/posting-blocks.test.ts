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
