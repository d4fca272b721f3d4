import "server-only";
import { asc, count, desc, eq, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { chunks, documents } from "../db/schema";

export interface DocumentSummary {
  id: number;
  title: string;
  source: string;
  status: string;
  chunkCount: number;
  characters: number;
  createdAt: Date;
}

export async function listDocuments(
  db: Database,
  page: { limit: number; offset: number },
): Promise<{ documents: DocumentSummary[]; total: number }> {
  const rows = await db
    .select({
      id: documents.id,
      title: documents.title,
      source: documents.source,
      status: documents.status,
      characters: sql<number>`char_length(${documents.content})`.mapWith(Number),
      createdAt: documents.createdAt,
      chunkCount: count(chunks.id),
    })
    .from(documents)
    .leftJoin(chunks, eq(chunks.documentId, documents.id))
    .groupBy(documents.id)
    .orderBy(desc(documents.createdAt), desc(documents.id))
    .limit(page.limit)
    .offset(page.offset);
  const total = await db.$count(documents);
  return { documents: rows, total };
}

export async function getDocument(db: Database, id: number) {
  const document = await db.query.documents.findFirst({
    where: eq(documents.id, id),
    with: { chunks: { orderBy: asc(chunks.ordinal), columns: { id: true, ordinal: true, content: true, tokenCount: true } } },
  });
  return document;
}

/** Chunks and their embeddings go with the document (ON DELETE CASCADE), in one statement. */
export async function deleteDocument(db: Database, id: number): Promise<boolean> {
  const deleted = await db.delete(documents).where(eq(documents.id, id)).returning({ id: documents.id });
  return deleted.length > 0;
}

export type DocumentWithChunks = NonNullable<Awaited<ReturnType<typeof getDocument>>>;
