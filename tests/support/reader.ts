import { createDocumentReader, type DocumentReader } from "../../lib/ingest/reader";

let shared: DocumentReader | undefined;

/** One reader thread for a test file's hand-built ingestion dependencies; idle threads keep no process alive. */
export function testReader(): DocumentReader {
  shared ??= createDocumentReader({ threads: 1, memoryMb: 1024, timeoutMs: 120_000 });
  return shared;
}
