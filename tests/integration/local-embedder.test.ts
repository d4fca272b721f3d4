import { describe, expect, it } from "vitest";
import { createLocalEmbedder } from "@/lib/providers/embedding/local";
import { testEmbedder } from "../support/embedder";

const embedder = testEmbedder();

const cosine = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

describe("the in-process all-MiniLM-L6-v2 embedder", () => {
  it("reproduces the published vector for the model card's example", async () => {
    const vector = await embedder.embedQuery("This is an example sentence");
    expect(vector).toHaveLength(384);
    expect(vector[0]).toBeCloseTo(0.0677, 3);
    expect(vector[1]).toBeCloseTo(0.0636, 3);
    expect(vector[2]).toBeCloseTo(0.0487, 3);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
  });

  it("returns vectors in input order although it batches them by length", async () => {
    const texts = Array.from({ length: 10 }, (_, i) => `Item ${i}: ${"a tale of cats ".repeat(((i * 7) % 10) + 1)}`);
    const progress: number[] = [];
    const batch = await embedder.embedDocuments(texts, (done) => progress.push(done));
    for (const [i, text] of texts.entries()) {
      expect(cosine(batch[i]!, await embedder.embedQuery(text))).toBeCloseTo(1, 5);
    }
    expect(progress.at(-1)).toBe(10);
    expect(await embedder.dimensions()).toBe(384);
  });

  it("places paraphrases closer than unrelated text", async () => {
    const [cat, kitten, stocks] = await embedder.embedDocuments([
      "A cat sleeps on the warm windowsill.",
      "The kitten is napping in the sun by the window.",
      "Stock markets fell sharply after the interest rate decision.",
    ]);
    expect(cosine(cat!, kitten!)).toBeGreaterThan(cosine(cat!, stocks!) + 0.3);
  });
});

describe("the embedder's queue under load", () => {
  it("serves search queries ahead of ingestion, in the order they came", async () => {
    const single = createLocalEmbedder({ threads: 1 });
    try {
      await single.embedQuery("warm up");
      const finished: string[] = [];
      const ingestion = single.embedDocuments(Array.from({ length: 6 }, (_, i) => `passage ${i} about rivers and boats`)).then(() => {
        finished.push("ingestion");
      });
      const queries = Array.from({ length: 5 }, (_, i) =>
        single.embedQuery(`question ${i}`).then(() => {
          finished.push(`query ${i}`);
        }),
      );
      await Promise.all([ingestion, ...queries]);
      // The first ingestion batch may already be running; every query still finishes before ingestion, oldest first.
      expect(finished).toEqual(["query 0", "query 1", "query 2", "query 3", "query 4", "ingestion"]);
    } finally {
      await single.close();
    }
  });

  it("still finishes ingestion while searches never stop coming", async () => {
    const single = createLocalEmbedder({ threads: 1 });
    try {
      let ingested = false;
      // More passages than one batch holds, so ingestion needs several turns.
      const ingestion = single.embedDocuments(Array.from({ length: 40 }, (_, i) => `passage ${i} ${"about rivers and boats ".repeat(20)}`)).then(() => {
        ingested = true;
      });
      // Always more queries waiting than one batch takes, as under heavy search load.
      let queries = 0;
      const ask = (): Promise<void> => (ingested ? Promise.resolve() : single.embedQuery(`question ${queries++}`).then(ask));
      await Promise.all([ingestion, ...Array.from({ length: 200 }, ask)]);
      expect(ingested).toBe(true);
      expect(queries).toBeGreaterThan(200);
    } finally {
      await single.close();
    }
  });
});
