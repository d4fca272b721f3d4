import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { InputError } from "../errors";
import { readDocument, type ReadDocument, type ReadOptions } from "./read-document";
import type { TitleSource } from "./title";

/**
 * A worker thread that reads documents (lib/ingest/reader.ts starts it). It
 * holds no state between documents but the tokenizer, and answers each job
 * with the read document or the error, described so the other side can
 * rebuild an InputError as the same 4xx.
 */
const READER_NICENESS = 10;

export interface ReadJob {
  options: ReadOptions;
  document: TitleSource & { format: string };
  bytes: Uint8Array;
}

/** A thread reads one document at a time, so a reply needs no id. */
export type ReadReply =
  | { read: ReadDocument }
  | { error: { message: string; inputError?: { code: string; status: InputError["status"] } } };

// Reading is never urgent, and on two cores three readers would starve the
// thread that answers requests. Linux keeps a nice value per thread, so this
// lowers this thread alone; where that fails the thread runs as it is.
try {
  setPriority(READER_NICENESS);
} catch {}

parentPort?.on("message", async (job: ReadJob) => {
  let reply: ReadReply;
  try {
    reply = { read: await readDocument(job.options, job.document, job.bytes) };
  } catch (error) {
    reply = {
      error: {
        message: error instanceof Error ? error.message : String(error),
        ...(error instanceof InputError && { inputError: { code: error.code, status: error.status } }),
      },
    };
  }
  parentPort!.postMessage(reply);
});
