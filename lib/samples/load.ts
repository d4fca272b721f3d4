import "server-only";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Database } from "../db/client";
import { queueUploads, type UploadOutcome } from "../ingest/uploads";
import { SAMPLE_DOCUMENTS, SAMPLE_SOURCE } from "./catalog";

/** Where the sample files are, beside the app (the Docker image copies them there too). */
const SAMPLES_DIR = "samples";

/**
 * Queues the sample documents like any upload. Loading them twice finds the
 * same bytes and answers with the documents already there.
 */
export async function loadSamples(db: Database, maxBytes: number): Promise<UploadOutcome[]> {
  const files = await Promise.all(
    SAMPLE_DOCUMENTS.map(async (sample) => ({
      filename: sample.file,
      bytes: new Uint8Array(await readFile(join(SAMPLES_DIR, sample.file))),
      tooLarge: false,
    })),
  );
  return queueUploads(db, files, { maxBytes, source: SAMPLE_SOURCE });
}
