import { z } from "zod";
import { documentStatuses } from "../../documents/status";
import { documentOrders } from "../../documents/order";
import { formats } from "../../ingest/parse/types";
import { MAX_TITLE_CHARS } from "../../ingest/title";
import {
  apiError,
  count,
  formatError,
  givenText,
  keptText,
  MAX_ID,
  pathId,
  range,
  requiredText,
  rowId,
  timestamp,
  UNSTORABLE,
  unstorable,
} from "./fields";

/** The library: adding, listing, renaming and deleting documents. */

export const createDocumentRequest = z.object({
  content: requiredText("content"),
  title: keptText("title", 500).optional(),
  source: keptText("source", 2000).optional(),
  metadata: z
    .record(z.string(), z.unknown(), { error: "metadata must be an object" })
    .superRefine((value, context) => {
      const problem = metadataProblem(value);
      if (problem) context.addIssue({ code: "custom", message: problem });
    })
    .optional(),
});

const MAX_METADATA_DEPTH = 8;
const MAX_METADATA_CHARS = 16 * 1024;

/** What is wrong with a document's metadata, if anything: too deep, too large, or holding text that cannot be stored. */
function metadataProblem(metadata: Record<string, unknown>): string | undefined {
  // Walked with a list, not recursion: JSON.parse builds nesting far deeper than a call stack.
  const pending: [unknown, number][] = [[metadata, 1]];
  let chars = 0;
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (typeof value === "string") {
      chars += value.length;
      if (UNSTORABLE.test(value)) return unstorable("metadata");
    } else if (value !== null && typeof value === "object") {
      if (depth > MAX_METADATA_DEPTH) return `metadata may nest objects and arrays at most ${MAX_METADATA_DEPTH} deep`;
      for (const [key, item] of Object.entries(value)) {
        if (!Array.isArray(value)) {
          chars += key.length;
          if (UNSTORABLE.test(key)) return unstorable("metadata");
        }
        pending.push([item, depth + 1]);
      }
    } else {
      chars += 8;
    }
    if (chars > MAX_METADATA_CHARS) return `metadata must be at most ${MAX_METADATA_CHARS / 1024} KB; put longer text in the document`;
  }
  return undefined;
}

export const listDocumentsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(MAX_ID).default(0),
  q: keptText("q", 200).trim().optional(),
  status: z.enum(documentStatuses, { error: `status must be one of ${documentStatuses.join(", ")}` }).optional(),
  format: z.enum(formats, { error: `format ${formatError}` }).optional(),
  sort: z.enum(documentOrders, { error: `sort must be one of ${documentOrders.join(", ")}` }).default(documentOrders[0]),
});

/** PATCH /api/documents/{id}: a new title, kept when the file is read again. */
export const renameDocumentRequest = z.object({ title: givenText("title", MAX_TITLE_CHARS) }).strict();
export type RenameDocumentRequest = z.input<typeof renameDocumentRequest>;

/** The most documents one request deletes: a page of the library, as the list returns it. */
export const MAX_BATCH_DELETE = 200;

/** POST /api/documents/batch-delete. */
export const deleteDocumentsRequest = z
  .object({
    ids: z
      .array(rowId("each of ids"), { error: "ids must be an array of document ids" })
      .min(1, "ids must name at least one document")
      .max(MAX_BATCH_DELETE, `ids may name at most ${MAX_BATCH_DELETE} documents`),
  })
  .strict();

/** The optional fields of a multipart upload, beside its files. */
export const uploadFields = z.object({
  title: keptText("title", 500).optional(),
  source: keptText("source", 2000).optional(),
});

export const documentIdParam = pathId("document");

export type CreateDocumentRequest = z.input<typeof createDocumentRequest>;

export const documentStatus = z.enum(documentStatuses);
export type DocumentStatusJson = z.infer<typeof documentStatus>;

export const documentSummary = z
  .object({
    id: z.number().int(),
    title: z.string(),
    source: z.string(),
    filename: z.string().nullable(),
    format: z.enum(formats),
    size_bytes: count,
    status: documentStatus,
    error: z.string().nullable(),
    chunk_count: count.meta({ description: "Chunks the document has (or will have, while embedding)." }),
    chunks_embedded: count,
    characters: count,
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: "DocumentSummary" });
export type DocumentSummaryJson = z.infer<typeof documentSummary>;

/** Where a chunk sits in its document. */
export const chunkLocation = z
  .object({ headings: z.array(z.string()).optional(), pages: range.optional(), rows: range.optional() })
  .meta({ id: "ChunkLocation" });
export type ChunkLocation = z.infer<typeof chunkLocation>;

/** Where code sits in a chunk's text, so it can be shown as code. */
export const codeSpans = z
  .array(range)
  .meta({ description: "Where code blocks sit in content: [start, end) in UTF-16 code units. Shown monospaced, line breaks kept." });

export const documentDetail = documentSummary
  .extend({
    content: z.string(),
    metadata: z.record(z.string(), z.unknown()),
    chunks: z.array(
      z.object({ id: z.number().int(), ordinal: count, content: z.string(), token_count: count, location: chunkLocation, code: codeSpans }),
    ),
  })
  .meta({ id: "DocumentDetail" });
export type DocumentDetailJson = z.infer<typeof documentDetail>;

export const createDocumentResponse = z.object({ document: documentSummary, duplicate: z.boolean() });
export type CreateDocumentResponse = z.infer<typeof createDocumentResponse>;

/** One entry per file of a multipart upload: queued, a duplicate, or refused with the reason. */
export const uploadResult = z.union([
  z.object({ filename: z.string(), document: documentSummary, duplicate: z.boolean() }),
  z.object({ filename: z.string(), error: apiError.shape.error }),
]);
export type UploadResultJson = z.infer<typeof uploadResult>;

export const uploadResponse = z.object({ uploads: z.array(uploadResult) });
export type UploadResponse = z.infer<typeof uploadResponse>;

export const documentListResponse = z.object({ documents: z.array(documentSummary), total: count });
export const deleteDocumentsResponse = z.object({ deleted: z.array(z.number().int()).meta({ description: "The ids deleted; ids of documents already gone are left out." }) });
export type DeleteDocumentsResponse = z.infer<typeof deleteDocumentsResponse>;
export type DocumentListResponse = z.infer<typeof documentListResponse>;
