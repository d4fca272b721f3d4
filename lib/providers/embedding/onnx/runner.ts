import * as ort from "onnxruntime-node";
import type { ModelTokenizer } from "./tokens";

/**
 * Runs an ONNX sentence encoder in this process with ONNX Runtime: one session
 * whose intra-op threads use every core, fed batches of texts of similar
 * length, each padded only to its longest text. ONNX Runtime computes off the
 * JavaScript thread, so requests are served while an import embeds.
 *
 * Fairness as before: a search query goes ahead of ingestion, but after
 * URGENT_STREAK query batches in a row a waiting ingestion batch gets its turn.
 */

export type Pooling = "mean" | "cls";

export interface RunnerOptions {
  model: Uint8Array | string;
  tokenizer: ModelTokenizer;
  /** How token vectors become one vector, when the graph does not do it itself (no `sentence_embedding` output). */
  pooling: Pooling;
  threads: number;
  /** Tokens in one batch (texts × longest text): bounds how long a query waits behind ingestion. */
  tokenBudget?: number;
  maxBatch?: number;
}

export interface Runner {
  embed(texts: string[], urgent: boolean, onProgress?: (done: number) => void): Promise<Float32Array[]>;
  /** The output's width, from the graph or from one run. */
  dimensions(): Promise<number>;
  close(): Promise<void>;
}

/** Measured by bench:embed: ~2,000 tokens a batch keeps the cores at full speed and a batch under ~200 ms. */
export const DEFAULT_TOKEN_BUDGET = 2048;
const DEFAULT_MAX_BATCH = 64;
const URGENT_STREAK = 4;

interface Item {
  ids: number[];
  resolve(vector: Float32Array): void;
  reject(error: Error): void;
}

export class ModelInputError extends Error {}

/** The graph's inputs and output, checked against what a sentence encoder takes. */
function describeGraph(session: ort.InferenceSession): { output: string; pooled: boolean; tokenTypes: boolean } {
  const inputs = new Set(session.inputNames);
  const missing = ["input_ids", "attention_mask"].filter((name) => !inputs.has(name));
  const unknown = [...inputs].filter((name) => !["input_ids", "attention_mask", "token_type_ids"].includes(name));
  if (missing.length > 0 || unknown.length > 0) {
    throw new ModelInputError(
      `the model's graph takes ${[...inputs].join(", ") || "no inputs"}, but a sentence encoder takes input_ids and attention_mask (and optionally token_type_ids)`,
    );
  }
  const outputs = session.outputNames;
  const output = outputs.find((name) => name === "sentence_embedding") ?? outputs.find((name) => name === "last_hidden_state") ?? outputs.find((name) => name === "token_embeddings");
  if (!output) {
    throw new ModelInputError(`the model's graph outputs ${outputs.join(", ")}, but pgrag reads sentence_embedding, last_hidden_state or token_embeddings`);
  }
  return { output, pooled: output === "sentence_embedding", tokenTypes: inputs.has("token_type_ids") };
}

export async function createRunner(options: RunnerOptions): Promise<Runner> {
  const session = await ort.InferenceSession.create(options.model as Uint8Array, {
    graphOptimizationLevel: "all",
    intraOpNumThreads: options.threads,
    interOpNumThreads: 1,
    executionMode: "sequential",
    // Warnings about initializers the optimizer folded away are not the user's concern.
    logSeverityLevel: 3,
  });
  let graph: ReturnType<typeof describeGraph>;
  try {
    graph = describeGraph(session);
  } catch (error) {
    await session.release();
    throw error;
  }
  const tokenBudget = options.tokenBudget ?? DEFAULT_TOKEN_BUDGET;
  const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
  const urgent: Item[] = [];
  const queue: Item[] = [];
  let urgentStreak = 0;
  let running: Promise<void> | undefined;
  let closed = false;

  /** Items from the front of a queue while the batch, padded to its longest, stays within the budget. */
  const takeBatch = (from: Item[]): Item[] => {
    const batch: Item[] = [];
    let longest = 0;
    while (from.length > 0 && batch.length < maxBatch) {
      const next = Math.max(longest, from[0]!.ids.length);
      if (batch.length > 0 && next * (batch.length + 1) > tokenBudget) break;
      longest = next;
      batch.push(from.shift()!);
    }
    return batch;
  };

  const nextBatch = (): Item[] => {
    if (urgent.length > 0 && (urgentStreak < URGENT_STREAK || queue.length === 0)) {
      urgentStreak++;
      return takeBatch(urgent);
    }
    urgentStreak = 0;
    return takeBatch(queue);
  };

  const runBatch = async (batch: Item[]): Promise<Float32Array[]> => {
    const length = Math.max(...batch.map((item) => item.ids.length));
    const ids = new BigInt64Array(batch.length * length);
    const mask = new BigInt64Array(batch.length * length);
    batch.forEach((item, row) => {
      item.ids.forEach((id, i) => {
        ids[row * length + i] = BigInt(id);
        mask[row * length + i] = 1n;
      });
    });
    const dims = [batch.length, length];
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor("int64", ids, dims),
      attention_mask: new ort.Tensor("int64", mask, dims),
    };
    if (graph.tokenTypes) feeds.token_type_ids = new ort.Tensor("int64", new BigInt64Array(ids.length), dims);
    const result = (await session.run(feeds, [graph.output]))[graph.output]!;
    const data = result.data as Float32Array;
    if (graph.pooled) {
      const width = Number(result.dims[1]);
      return batch.map((_, row) => data.slice(row * width, (row + 1) * width));
    }
    const width = Number(result.dims[2]);
    return batch.map((item, row) => pool(data, row, length, width, item.ids.length, options.pooling));
  };

  const drain = async () => {
    while (urgent.length > 0 || queue.length > 0) {
      const batch = nextBatch();
      try {
        const vectors = await runBatch(batch);
        batch.forEach((item, i) => item.resolve(vectors[i]!));
      } catch (error) {
        const failure = new Error(`the local embedding model failed: ${error instanceof Error ? error.message : String(error)}`);
        for (const item of batch) item.reject(failure);
      }
    }
    running = undefined;
  };

  const submit = (ids: number[], isUrgent: boolean) =>
    new Promise<Float32Array>((resolve, reject) => {
      (isUrgent ? urgent : queue).push({ ids, resolve, reject });
      // A tick later, so the rest of this call's texts are queued and batched with it.
      running ??= Promise.resolve().then(drain);
    });

  let width: Promise<number> | undefined;
  const runner: Runner = {
    async embed(texts, isUrgent, onProgress) {
      if (closed) throw new Error("the embedder is closed");
      const encoded = texts.map((text, index) => ({ index, ids: options.tokenizer.encode(text) }));
      // Similar lengths side by side, so each batch pads little.
      encoded.sort((a, b) => b.ids.length - a.ids.length);
      const vectors = new Array<Float32Array>(texts.length);
      let done = 0;
      await Promise.all(
        encoded.map(({ index, ids }) =>
          submit(ids, isUrgent).then((vector) => {
            vectors[index] = vector;
            onProgress?.(++done);
          }),
        ),
      );
      return vectors;
    },
    dimensions() {
      width ??= runner.embed(["dimension probe"], true).then(([vector]) => vector!.length);
      return width;
    },
    async close() {
      closed = true;
      const error = new Error("the embedder was closed");
      for (const item of [...urgent.splice(0), ...queue.splice(0)]) item.reject(error);
      await running;
      await session.release();
    },
  };
  return runner;
}

/** One text's vector from its token vectors, at unit length (cosine distance ignores length, and stored vectors are normalized). */
function pool(data: Float32Array, row: number, length: number, width: number, tokens: number, pooling: Pooling): Float32Array {
  const out = new Float32Array(width);
  const start = row * length * width;
  if (pooling === "cls") {
    out.set(data.subarray(start, start + width));
  } else {
    for (let t = 0; t < tokens; t++) {
      const offset = start + t * width;
      for (let d = 0; d < width; d++) out[d]! += data[offset + d]!;
    }
    for (let d = 0; d < width; d++) out[d]! /= tokens;
  }
  const norm = Math.hypot(...out) || 1;
  for (let d = 0; d < width; d++) out[d]! /= norm;
  return out;
}
