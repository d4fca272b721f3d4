import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { documentSources } from "../db/schema";
import { InputError } from "../errors";

/**
 * One statement's worth of a file. On PGlite a statement holds the server's
 * thread while it runs, and a request's statements each wait out the one in
 * progress: at 1 MB (~0.15 s idle, more under load) a health check of six
 * statements took 1.2 s while four large files were being stored; a quarter
 * of that keeps each wait short.
 */
export const SOURCE_PART_BYTES = 256 * 1024;

/** Stores a document's file in parts, one statement each (in the caller's transaction, if it passes one). */
export async function storeSource(db: Database, documentId: number, bytes: Uint8Array): Promise<void> {
  for (let start = 0, part = 0; start < bytes.byteLength; start += SOURCE_PART_BYTES, part++) {
    const slice = bytes.subarray(start, start + SOURCE_PART_BYTES);
    await db.insert(documentSources).values({ documentId, part, bytes: Buffer.from(slice.buffer, slice.byteOffset, slice.byteLength) });
  }
}

/**
 * A document's file, read a part at a time; undefined when none is stored
 * (text sent by a version that kept no file). A file with parts missing was
 * interrupted while it was uploaded, and is refused with that reason.
 */
export async function readSource(db: Database, document: { id: number; sizeBytes: number; filename?: string | null }): Promise<Uint8Array | undefined> {
  const parts: Uint8Array[] = [];
  let stored = 0;
  do {
    const [row] = await db
      .select({ bytes: documentSources.bytes })
      .from(documentSources)
      .where(and(eq(documentSources.documentId, document.id), eq(documentSources.part, parts.length)));
    if (!row) break;
    parts.push(row.bytes);
    stored += row.bytes.byteLength;
  } while (stored < document.sizeBytes);
  if (parts.length === 0) return undefined;
  if (stored !== document.sizeBytes) {
    throw new InputError("incomplete_source", `${document.filename ?? "The file"} was not stored whole (its upload was interrupted); upload it again.`, 422);
  }
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}
