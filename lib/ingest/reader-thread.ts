import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { InputError } from "../errors";
import type { TextChunk } from "./chunk";
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

/**
 * A thread reads one document at a time, so a reply needs no id. The chunks
 * come a few hundred to a message, then the rest of the document: the thread
 * that serves requests copies each message in as one task, and a
 * 200,000-row CSV's 14,000 chunks in one message held it for 100–600 ms.
 */
export type ReadReply =
  | { pieces: TextChunk[] }
  | { read: Omit<ReadDocument, "pieces"> }
  | { error: { message: string; inputError?: { code: InputError["code"]; status: InputError["status"] } } };

const PIECES_PER_MESSAGE = 500;

// Reading is never urgent, and on two cores three readers would starve the
// thread that answers requests. Linux keeps a nice value per thread, so this
// lowers this thread alone; where that fails the thread runs as it is.
try {
  setPriority(READER_NICENESS);
} catch {}

const reply = (message: ReadReply) => parentPort!.postMessage(message);

parentPort?.on("message", async (job: ReadJob) => {
  let read: ReadDocument;
  try {
    read = await readDocument(job.options, job.document, job.bytes);
  } catch (error) {
    return reply({
      error: {
        message: error instanceof Error ? error.message : String(error),
        ...(error instanceof InputError && { inputError: { code: error.code, status: error.status } }),
      },
    });
  }
  const { pieces, ...rest } = read;
  for (let start = 0; start < pieces.length; start += PIECES_PER_MESSAGE) reply({ pieces: pieces.slice(start, start + PIECES_PER_MESSAGE) });
  reply({ read: rest });
});
