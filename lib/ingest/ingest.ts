import "server-only";
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { assertVectorDimensions } from "../db/embedding-models";
import { chunkEmbeddings, chunks, documents, type Document, type EmbeddingModel } from "../db/schema";
import { InputError } from "../errors";
import type { Embedder } from "../providers/embedding";
import { chunkText } from "./chunk";
import { normalizeText } from "./normalize";
import { countTokens } from "./tokens";

export interface IngestDependencies {
  db: Database;
  embedder: Embedder;
  model: EmbeddingModel;
  chunking: { size: number; overlap: number };
}

export interface IngestInput {
  content: string;
  title?: string;
  source?: string;
  metadata?: Record<string, unknown>;
}

export interface IngestResult {
  document: Document;
  chunkCount: number;
  /** The same text was already stored: nothing new was written. */
  duplicate: boolean;
}

/** Rows per INSERT: well under PostgreSQL's 65,535 bind parameters. */
const INSERT_BATCH = 1000;

/**
 * Text → chunks → embeddings → one transaction. The slow part, embedding, runs
 * before the transaction opens, so a failing embedder leaves nothing behind and
 * no lock is held while the model works.
 */
export async function ingestText(deps: IngestDependencies, input: IngestInput): Promise<IngestResult> {
  const content = normalizeText(input.content);
  if (content === "") {
    throw new InputError("empty_content", "The content is empty: send some text to ingest.", 422);
  }
  const contentHash = createHash("sha256").update(content).digest("hex");

  const existing = await findByHash(deps.db, contentHash);
  if (existing) return { document: existing.document, chunkCount: existing.chunkCount, duplicate: true };

  const pieces = chunkText(content, {
    maxTokens: Math.min(deps.chunking.size, deps.embedder.maxInputTokens - deps.embedder.reservedTokens),
    overlapTokens: deps.chunking.overlap,
    countTokens,
  });
  const vectors = await deps.embedder.embedDocuments(pieces.map((p) => p.content));
  for (const vector of vectors) assertVectorDimensions(vector, deps.model);

  const stored = await deps.db.transaction(async (tx) => {
    const [document] = await tx
      .insert(documents)
      .values({
        title: input.title?.trim() || titleFrom(content),
        source: input.source ?? "api",
        contentHash,
        content,
        status: "ready",
        metadata: input.metadata ?? {},
      })
      .onConflictDoNothing({ target: documents.contentHash })
      .returning();
    // Another request stored the same text while this one was embedding.
    if (!document) return undefined;

    const chunkIds: number[] = [];
    for (let start = 0; start < pieces.length; start += INSERT_BATCH) {
      const rows = await tx
        .insert(chunks)
        .values(
          pieces.slice(start, start + INSERT_BATCH).map((piece, i) => ({
            documentId: document.id,
            ordinal: start + i,
            content: piece.content,
            tokenCount: piece.tokenCount,
          })),
        )
        .returning({ id: chunks.id, ordinal: chunks.ordinal });
      for (const row of rows) chunkIds[row.ordinal] = row.id;
    }
    for (let start = 0; start < pieces.length; start += INSERT_BATCH) {
      await tx.insert(chunkEmbeddings).values(
        vectors.slice(start, start + INSERT_BATCH).map((embedding, i) => ({
          chunkId: chunkIds[start + i]!,
          modelId: deps.model.id,
          embedding,
        })),
      );
    }
    return document;
  });

  if (!stored) {
    const winner = await findByHash(deps.db, contentHash);
    if (!winner) throw new Error("a concurrent ingest of the same content vanished");
    return { document: winner.document, chunkCount: winner.chunkCount, duplicate: true };
  }
  return { document: stored, chunkCount: pieces.length, duplicate: false };
}

async function findByHash(db: Database, contentHash: string) {
  const document = await db.query.documents.findFirst({ where: eq(documents.contentHash, contentHash) });
  if (!document) return undefined;
  const chunkCount = await db.$count(chunks, eq(chunks.documentId, document.id));
  return { document, chunkCount };
}

function titleFrom(content: string): string {
  const firstLine = content.split("\n", 1)[0]!.replace(/^#+\s*/, "");
  return firstLine.length <= 80 ? firstLine : `${firstLine.slice(0, 77).trimEnd()}…`;
}
