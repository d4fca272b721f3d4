import "server-only";
import { Worker } from "node:worker_threads";
import { InputError } from "../errors";
import type { TextChunk } from "./chunk";
import type { ReadDocument, ReadOptions } from "./read-document";
import type { ReadJob, ReadReply } from "./reader-thread";
import type { TitleSource } from "./title";

/**
 * Reads documents (parse → chunk) in worker threads, never on the thread that
 * serves requests: a 200,000-row CSV keeps a core busy for most of a minute,
 * and a hostile file can want gigabytes. Each thread has its own heap limit,
 * and each document a time limit; a document past either fails with the
 * reason, the thread is replaced, and the server goes on answering.
 */
export interface DocumentReader {
  read(options: ReadOptions, document: TitleSource & { format: string }, bytes: Uint8Array): Promise<ReadDocument>;
  close(): Promise<void>;
}

export interface ReaderLimits {
  /** Documents read at once, each in its own thread. */
  threads: number;
  /** Heap one thread may use while reading a document. */
  memoryMb: number;
  /** How long one document may take to read. */
  timeoutMs: number;
}

interface Job {
  message: ReadJob;
  name: string;
  resolve(read: ReadDocument): void;
  reject(error: Error): void;
}

interface Thread {
  worker: Worker;
  job?: Job;
  timer?: NodeJS.Timeout;
  /** The chunks of the document being read, as they arrive. */
  pieces: TextChunk[];
}

/**
 * The thread's source sits beside this module. In the app, Next.js bundles it
 * as a worker entry (it recognizes this exact `new Worker(new URL(...))`
 * form); tests and scripts run TypeScript through tsx, whose loader a worker
 * does not inherit, so there the thread loads its entry through tsx's API.
 */
function startWorker(limits: ReaderLimits): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: limits.memoryMb };
  if (process.env.NEXT_RUNTIME) return new Worker(new URL("./reader-thread.ts", import.meta.url), { resourceLimits });
  const entry = new URL("./reader-thread.ts", import.meta.url).href;
  const load = `import("tsx/esm/api").then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`;
  return new Worker(load, { eval: true, resourceLimits });
}

export function createDocumentReader(limits: ReaderLimits): DocumentReader {
  const idle: Thread[] = [];
  const busy = new Set<Thread>();
  const waiting: Job[] = [];
  let closed = false;

  const finish = (thread: Thread) => {
    clearTimeout(thread.timer);
    const job = thread.job;
    thread.job = undefined;
    busy.delete(thread);
    return job;
  };

  const retire = (thread: Thread) => {
    finish(thread);
    const at = idle.indexOf(thread);
    if (at >= 0) idle.splice(at, 1);
    void thread.worker.terminate();
  };

  const spawn = (): Thread => {
    const thread: Thread = { worker: startWorker(limits), pieces: [] };
    // A worker that is not reading must not keep a command-line process alive.
    thread.worker.unref();
    thread.worker.on("message", (reply: ReadReply) => {
      if ("pieces" in reply) {
        // Not `push(...)`: tens of thousands of arguments overflow the stack.
        for (const piece of reply.pieces) thread.pieces.push(piece);
        return;
      }
      const pieces = thread.pieces;
      thread.pieces = [];
      // A thread that timed out may still answer before it stops: its job is gone.
      const job = finish(thread);
      if (!job) return;
      if ("read" in reply) job.resolve({ ...reply.read, pieces });
      else job.reject(reply.error.inputError ? new InputError(reply.error.inputError.code, reply.error.message, reply.error.inputError.status) : new Error(reply.error.message));
      idle.push(thread);
      thread.worker.unref();
      pump();
    });
    thread.worker.on("error", (error: Error & { code?: string }) => {
      const job = finish(thread);
      retire(thread);
      job?.reject(
        error.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? new InputError("too_large_to_read", `${job.name} needs more than ${limits.memoryMb} MB of memory to read; split it into smaller files.`, 422)
          : error,
      );
      pump();
    });
    thread.worker.on("exit", () => {
      const job = finish(thread);
      retire(thread);
      job?.reject(new Error(`The reader thread stopped while reading ${job.name}.`));
      pump();
    });
    return thread;
  };

  const pump = () => {
    while (!closed && waiting.length > 0 && (idle.length > 0 || busy.size < limits.threads)) {
      const thread = idle.pop() ?? spawn();
      const job = waiting.shift()!;
      thread.job = job;
      busy.add(thread);
      thread.worker.ref();
      thread.timer = setTimeout(() => {
        retire(thread);
        job.reject(new InputError("too_slow_to_read", `${job.name} took longer than ${Math.round(limits.timeoutMs / 1000)} s to read; split it into smaller files.`, 422));
        pump();
      }, limits.timeoutMs);
      thread.worker.postMessage(job.message);
    }
  };

  return {
    read(options, document, bytes) {
      if (closed) return Promise.reject(new Error("The document reader is closed."));
      return new Promise((resolve, reject) => {
        // Only what reading needs crosses to the thread (a stored row also carries its whole text).
        const { format, filename, title, titleGiven } = document;
        waiting.push({ message: { options, document: { format, filename, title, titleGiven }, bytes }, name: filename ?? "The text", resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const job of waiting.splice(0)) job.reject(new Error("The document reader is closed."));
      await Promise.all([...idle.splice(0), ...busy].map((thread) => thread.worker.terminate()));
    },
  };
}
