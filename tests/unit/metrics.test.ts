import { describe, expect, it } from "vitest";
import { mrrAt, ndcgAt, recallAt, scoreRun } from "@/lib/evaluate/metrics";

const judged = (entries: [string, number][]) => new Map(entries);

describe("retrieval metrics, against hand-worked examples", () => {
  it("nDCG@10 with one relevant document at rank 3 is 1/log2(4) = 0.5", () => {
    expect(ndcgAt(10, ["a", "b", "c", "d"], judged([["c", 1]]))).toBeCloseTo(0.5, 10);
  });

  it("nDCG@10 with two relevant documents at ranks 1 and 3", () => {
    // DCG = 1/log2(2) + 1/log2(4) = 1.5; ideal = 1 + 1/log2(3) = 1.6309298
    expect(ndcgAt(10, ["a", "x", "b"], judged([["a", 1], ["b", 1]]))).toBeCloseTo(1.5 / (1 + 1 / Math.log2(3)), 10);
    expect(ndcgAt(10, ["a", "x", "b"], judged([["a", 1], ["b", 1]]))).toBeCloseTo(0.919721, 6);
  });

  it("nDCG uses graded gains and ignores documents judged 0", () => {
    // DCG = 1/1 + 2/log2(3) = 2.2618595; ideal = 2/1 + 1/log2(3) = 2.6309298
    expect(ndcgAt(10, ["b", "a", "z"], judged([["a", 2], ["b", 1], ["z", 0]]))).toBeCloseTo(0.859719, 6);
  });

  it("nDCG@k counts only the top k and is 0 when nothing relevant is there", () => {
    expect(ndcgAt(2, ["x", "y", "a"], judged([["a", 1]]))).toBe(0);
    expect(ndcgAt(10, ["a"], judged([["a", 1]]))).toBe(1);
  });

  it("recall@k is the share of relevant documents in the top k", () => {
    const qrels = judged([["a", 1], ["b", 1], ["c", 1], ["d", 1]]);
    expect(recallAt(10, ["a", "x", "c"], qrels)).toBe(0.5);
    expect(recallAt(1, ["a", "x", "c"], qrels)).toBe(0.25);
    expect(recallAt(10, [], qrels)).toBe(0);
  });

  it("MRR@k is the reciprocal rank of the first relevant document within k", () => {
    expect(mrrAt(10, ["x", "y", "a", "b"], judged([["a", 1], ["b", 1]]))).toBeCloseTo(1 / 3, 10);
    expect(mrrAt(2, ["x", "y", "a"], judged([["a", 1]]))).toBe(0);
  });

  it("averages over every judged query, counting a missing answer as 0", () => {
    const qrels = new Map([
      ["q1", judged([["a", 1]])],
      ["q2", judged([["b", 1]])],
    ]);
    const scores = scoreRun(new Map([["q1", ["a"]]]), qrels);
    expect(scores).toEqual({ ndcg10: 0.5, recall10: 0.5, recall100: 0.5, mrr10: 0.5 });
  });
});
