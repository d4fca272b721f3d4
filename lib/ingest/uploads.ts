import "server-only";
import type { Database } from "../db/client";
import type { Document } from "../db/schema";
import { describeBytes } from "../byte-size";
import { InputError } from "../errors";
import { detectFormat } from "./parse";
import { enqueue } from "./queue";

export interface FileUpload {
  filename: string;
  bytes: Uint8Array;
  tooLarge: boolean;
}

export type UploadOutcome =
  | { filename: string; document: Document; duplicate: boolean }
  | { filename: string; error: InputError };

/**
 * Queues each file on its own: one refused file (too large, a type pgrag cannot
 * read) is reported beside its name and does not stop the others. The type is
 * checked here, at upload, so a wrong file is refused at once rather than
 * failing later in the queue.
 */
export async function queueUploads(
  db: Database,
  files: FileUpload[],
  options: { maxBytes: number; title?: string; source?: string },
): Promise<UploadOutcome[]> {
  const outcomes: UploadOutcome[] = [];
  for (const file of files) {
    try {
      if (file.tooLarge) {
        throw new InputError(
          "file_too_large",
          `${file.filename} is larger than the ${describeBytes(options.maxBytes)} limit (MAX_UPLOAD_BYTES).`,
          413,
        );
      }
      const queued = await enqueue(db, {
        bytes: file.bytes,
        format: detectFormat(file.bytes, file.filename),
        filename: file.filename,
        title: files.length === 1 ? options.title : undefined,
        source: options.source ?? "upload",
      });
      outcomes.push({ filename: file.filename, ...queued });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      outcomes.push({ filename: file.filename, error });
    }
  }
  return outcomes;
}
