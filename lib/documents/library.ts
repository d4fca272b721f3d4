import "server-only";
import { and, asc, desc, eq, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "../db/client";
import { notFound } from "../errors";
import { chunks, documents, type Document } from "../db/schema";
import type { DocumentStatus } from "./status";
import type { Format } from "../ingest/parse/types";
import { displayTitle } from "../ingest/title";
import { TEXT_SEARCH_CONFIG } from "../retrieve/keyword";
import type { DocumentOrder } from "./order";

const summaryColumns = {
  id: documents.id,
  title: documents.title,
  source: documents.source,
  filename: documents.filename,
  format: documents.format,
  sizeBytes: documents.sizeBytes,
  status: documents.status,
  error: documents.error,
  chunksTotal: documents.chunksTotal,
  chunksEmbedded: documents.chunksEmbedded,
  characters: sql<number>`char_length(${documents.content})`.mapWith(Number),
  createdAt: documents.createdAt,
  updatedAt: documents.updatedAt,
};

export type DocumentSummary = Pick<Document, Exclude<keyof typeof summaryColumns, "characters">> & {
  characters: number;
};

const orderBy: Record<DocumentOrder, SQL[]> = {
  newest: [desc(documents.createdAt), desc(documents.id)],
  oldest: [asc(documents.createdAt), asc(documents.id)],
  title: [sql`lower(${documents.title})`, asc(documents.id)],
  largest: [desc(documents.sizeBytes), desc(documents.id)],
};

export interface DocumentFilter {
  limit: number;
  offset: number;
  /** Matches title or filename, case-insensitively. */
  query?: string;
  status?: DocumentStatus;
  format?: Format;
  order?: DocumentOrder;
}

export async function listDocuments(
  db: Database,
  filter: DocumentFilter,
): Promise<{ documents: DocumentSummary[]; total: number }> {
  const conditions: SQL[] = [];
  if (filter.query) {
    const pattern = `%${filter.query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(documents.title, pattern), ilike(documents.filename, pattern))!);
  }
  if (filter.status) conditions.push(eq(documents.status, filter.status));
  if (filter.format) conditions.push(eq(documents.format, filter.format));
  const where = conditions.length > 0 ? and(...conditions) : undefined;
  const rows = await db
    .select(summaryColumns)
    .from(documents)
    .where(where)
    .orderBy(...orderBy[filter.order ?? "newest"])
    .limit(filter.limit)
    .offset(filter.offset);
  const total = await db.$count(documents, where);
  return { documents: rows, total };
}

/** Documents changed since a moment: what the progress stream sends. */
export async function documentsChangedSince(db: Database, since: Date): Promise<DocumentSummary[]> {
  return db
    .select(summaryColumns)
    .from(documents)
    .where(sql`${documents.updatedAt} > ${since.toISOString()}`)
    .orderBy(asc(documents.updatedAt))
    .limit(500);
}

export async function getDocument(db: Database, id: number) {
  const document = await db.query.documents.findFirst({
    where: eq(documents.id, id),
    columns: { claimToken: false, lockedUntil: false },
    with: {
      chunks: {
        orderBy: asc(chunks.ordinal),
        columns: { id: true, ordinal: true, content: true, tokenCount: true, metadata: true },
      },
    },
  });
  if (!document) throw notFound("document", id);
  return document;
}

export type DocumentWithChunks = Awaited<ReturnType<typeof getDocument>>;

/** Refuses ids of documents that do not exist, naming them, so a typo is not an empty result. */
export async function requireDocuments(db: Database, ids: number[]): Promise<void> {
  const found = await db.select({ id: documents.id }).from(documents).where(inArray(documents.id, ids));
  const known = new Set(found.map((row) => row.id));
  const missing = [...new Set(ids)].filter((id) => !known.has(id));
  if (missing.length > 0) throw notFound("document", missing);
}

/**
 * Chunks and their embeddings go with the document (ON DELETE CASCADE) in the
 * same statement, so a search never sees a half-deleted document. A worker
 * still processing it loses its claim and writes nothing.
 */
export async function deleteDocument(db: Database, id: number): Promise<void> {
  if ((await deleteDocuments(db, [id])).length === 0) throw notFound("document", id);
}

/** Deletes those of the documents that exist, in one statement (see deleteDocument); returns their ids. */
export async function deleteDocuments(db: Database, ids: number[]): Promise<number[]> {
  const deleted = await db.delete(documents).where(inArray(documents.id, ids)).returning({ id: documents.id });
  return deleted.map((row) => row.id).sort((a, b) => a - b);
}

/**
 * A title given by a person, kept from then on: reading the file again (after
 * a parser upgrade) names documents from their text only when no one has.
 * Chunks are indexed for keyword search under their document's title
 * (keywordText), so they are indexed again under the new one, in the same
 * transaction; a trigger keeps BM25's statistics (drizzle/0014).
 */
export async function renameDocument(db: Database, id: number, title: string): Promise<DocumentSummary> {
  const newTitle = displayTitle(title);
  return db.transaction(async (tx) => {
    const [renamed] = await tx
      .update(documents)
      .set({ title: newTitle, titleGiven: true, updatedAt: sql`now()` })
      .where(eq(documents.id, id))
      .returning(summaryColumns);
    if (!renamed) throw notFound("document", id);
    const headings = sql`(select string_agg(h, ' ') from jsonb_array_elements_text(coalesce(${chunks.metadata} -> 'headings', '[]'::jsonb)) as h)`;
    await tx
      .update(chunks)
      .set({ searchVector: sql`to_tsvector(${sql.raw(`'${TEXT_SEARCH_CONFIG}'`)}, concat_ws(' ', nullif(${newTitle}, ''), ${headings}, ${chunks.content}))` })
      .where(eq(chunks.documentId, id));
    return renamed;
  });
}

export interface BatchProgress {
  total: number;
  settled: number;
  chunksTotal: number;
  chunksEmbedded: number;
}

/** Where a batch of documents stands, for a command-line progress bar. */
export async function batchProgress(db: Database, ids: number[]): Promise<BatchProgress> {
  if (ids.length === 0) return { total: 0, settled: 0, chunksTotal: 0, chunksEmbedded: 0 };
  const [row] = await db
    .select({
      total: sql<number>`count(*)`.mapWith(Number),
      settled: sql<number>`count(*) filter (where ${documents.status} in ('ready', 'failed'))`.mapWith(Number),
      chunksTotal: sql<number>`coalesce(sum(${documents.chunksTotal}), 0)`.mapWith(Number),
      chunksEmbedded: sql<number>`coalesce(sum(${documents.chunksEmbedded}), 0)`.mapWith(Number),
    })
    .from(documents)
    .where(inArray(documents.id, ids));
  return row!;
}
