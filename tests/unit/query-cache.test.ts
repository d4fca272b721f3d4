import { describe, expect, it } from "vitest";
import type { Embedder } from "@/lib/providers/embedding";
import { withQueryCache } from "@/lib/providers/embedding/query-cache";

function countingEmbedder(failFirst = false) {
  const asked: string[] = [];
  const embedded: string[] = [];
  const embedder: Embedder = {
    provider: "test",
    model: "counting",
    maxInputTokens: 256,
    reservedTokens: 2,
    settings: {},
    dimensions: async () => 2,
    embedDocuments: async (texts) => {
      embedded.push(...texts);
      return texts.map((t) => [t.length, 0]);
    },
    embedQuery: async (text) => {
      asked.push(text);
      if (failFirst && asked.length === 1) throw new Error("model down");
      return [text.length, 1];
    },
    close: async () => {},
  };
  return { embedder, asked, embedded };
}

describe("query embedding cache", () => {
  it("asks the model once per recent query and forgets the least recently used", async () => {
    const { embedder, asked } = countingEmbedder();
    const cached = withQueryCache(embedder, 2);
    expect(await cached.embedQuery("alpha")).toEqual([5, 1]);
    await cached.embedQuery("beta");
    await cached.embedQuery("alpha");
    await cached.embedQuery("gamma");
    expect(asked).toEqual(["alpha", "beta", "gamma"]);
    await cached.embedQuery("alpha");
    await cached.embedQuery("beta");
    expect(asked).toEqual(["alpha", "beta", "gamma", "beta"]);
  });

  it("does not remember a failure", async () => {
    const { embedder, asked } = countingEmbedder(true);
    const cached = withQueryCache(embedder);
    await expect(cached.embedQuery("alpha")).rejects.toThrow("model down");
    expect(await cached.embedQuery("alpha")).toEqual([5, 1]);
    expect(asked).toEqual(["alpha", "alpha"]);
  });

  it("remembers the sentences an answer was read from, but not passages being ingested", async () => {
    const { embedder, embedded } = countingEmbedder();
    const cached = withQueryCache(embedder);
    expect(await cached.embedDocuments(["one", "three"], undefined, { urgent: true })).toEqual([[3, 0], [5, 0]]);
    expect(await cached.embedDocuments(["three", "eleven", "one"], undefined, { urgent: true })).toEqual([[5, 0], [6, 0], [3, 0]]);
    expect(embedded).toEqual(["one", "three", "eleven"]);
    await cached.embedDocuments(["one"]);
    await cached.embedDocuments(["one"]);
    expect(embedded).toEqual(["one", "three", "eleven", "one", "one"]);
  });

  it("answers a batch larger than it can hold whole and in order", async () => {
    const { embedder } = countingEmbedder();
    const cached = withQueryCache(embedder, 2, 2);
    expect(await cached.embedDocuments(["a", "bb", "ccc", "dddd"], undefined, { urgent: true })).toEqual([[1, 0], [2, 0], [3, 0], [4, 0]]);
  });
});
