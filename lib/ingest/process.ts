import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { isDatabaseOutOfResources, isDatabaseUnavailable, type Database } from "../db/client";
import { assertVectorDimensions } from "../db/embedding-models";
import { chunkEmbeddings, chunks, documents, documentSources, type EmbeddingModel } from "../db/schema";
import { InputError } from "../errors";
import type { Embedder } from "../providers/embedding";
import { chunkBlocks, embeddingInput, type TextChunk } from "./chunk";
import { documentText } from "./document-text";
import { parseAs, type Format } from "./parse";
import { markFailed, OUTAGE_RETRY_SECONDS, release, releaseOrDefer, reportProgress, type Claim } from "./queue";
import { ProviderError } from "../providers/errors";
import { documentTitle } from "./title";
import { countTokens } from "./tokens";
import { keywordText, TEXT_SEARCH_CONFIG } from "../retrieve/keyword";

export interface ProcessDependencies {
  db: Database;
  embedder: Embedder;
  model: EmbeddingModel;
  chunking: { size: number; overlap: number };
}

export type ProcessOutcome =
  | { status: "ready"; chunkCount: number }
  | { status: "failed"; error: string; cause: unknown }
  /** The claim was lost (document deleted, or taken over): nothing was written. */
  | { status: "lost" };

/** Chunks embedded between progress reports: often enough for a smooth bar, rare enough to cost nothing. */
const EMBED_BATCH = 16;
/** Rows per INSERT: well under PostgreSQL's 65,535 bind parameters. */
const INSERT_BATCH = 1000;

/**
 * parse → chunk → embed → store, for one claimed document. Nothing is written
 * but progress until the end, where the chunks, their embeddings and the ready
 * status commit in one transaction: a failure at any step leaves the document
 * failed with its reason and no partial chunks, and its bytes kept for a retry.
 */
export async function processDocument(deps: ProcessDependencies, claimed: Claim): Promise<ProcessOutcome> {
  try {
    const source = await deps.db.query.documentSources.findFirst({
      where: eq(documentSources.documentId, claimed.document.id),
    });
    if (!source) throw new InputError("missing_source", "The uploaded file is gone; upload it again.", 422);
    const filename = claimed.document.filename ?? "The text";
    const parsed = await parseAs(claimed.document.format as Format, source.bytes, filename);
    const pieces = chunkBlocks(parsed.blocks, {
      maxTokens: deps.chunking.size,
      overlapTokens: deps.chunking.overlap,
      inputTokens: deps.embedder.maxInputTokens - deps.embedder.reservedTokens,
      countTokens,
    });
    if (pieces.length === 0) throw new InputError("empty_content", `${filename} contains no text.`, 422);
    if (!(await reportProgress(deps.db, claimed, { status: "embedding", chunksTotal: pieces.length, chunksEmbedded: 0 }))) {
      return { status: "lost" };
    }

    const vectors: number[][] = [];
    for (let start = 0; start < pieces.length; start += EMBED_BATCH) {
      const batch = pieces.slice(start, start + EMBED_BATCH);
      const embedded = await deps.embedder.embedDocuments(batch.map(embeddingInput));
      for (const vector of embedded) assertVectorDimensions(vector, deps.model);
      vectors.push(...embedded);
      if (!(await reportProgress(deps.db, claimed, { chunksEmbedded: vectors.length }))) return { status: "lost" };
    }

    const content = documentText(parsed.blocks);
    const stored = await store(deps, claimed, { content, title: parsed.title, pieces, vectors });
    return stored ? { status: "ready", chunkCount: pieces.length } : { status: "lost" };
  } catch (error) {
    // An embedding server that is down is no fault of the document: it goes
    // back to the queue, uncounted, and resumes by itself once the server is
    // back. (Checked first: the server's refused connection would otherwise
    // look like the database's.)
    if (error instanceof ProviderError && error.code === "embedder_unavailable") {
      await release(deps.db, claimed, { refund: true, retryAfterSeconds: OUTAGE_RETRY_SECONDS }).catch(() => {});
      throw error;
    }
    // Losing the database, or its disk filling up, is no fault of the document
    // either: queue it again (now, or as soon as the database answers again)
    // and report it; it resumes once the database can write.
    if (isDatabaseOutOfResources(error)) {
      await release(deps.db, claimed, { refund: true, retryAfterSeconds: OUTAGE_RETRY_SECONDS }).catch(() => {});
      throw error;
    }
    if (isDatabaseUnavailable(error)) {
      await releaseOrDefer(deps.db, claimed);
      throw error;
    }
    const reason = failureReason(error);
    await markFailed(deps.db, claimed, reason);
    return { status: "failed", error: reason, cause: error };
  }
}

async function store(
  deps: ProcessDependencies,
  claimed: Claim,
  result: { content: string; title?: string; pieces: TextChunk[]; vectors: number[][] },
): Promise<boolean> {
  const title = documentTitle(claimed.document, result.title, result.content);
  return deps.db.transaction(async (tx) => {
    const [document] = await tx
      .update(documents)
      .set({
        status: "ready",
        content: result.content,
        title,
        chunksTotal: result.pieces.length,
        chunksEmbedded: result.pieces.length,
        claimToken: null,
        lockedUntil: null,
      })
      .where(and(eq(documents.id, claimed.document.id), eq(documents.claimToken, claimed.token)))
      .returning({ id: documents.id });
    // Deleted, or taken over by another worker after our lease lapsed: write nothing.
    if (!document) return false;

    const chunkIds: number[] = [];
    for (let start = 0; start < result.pieces.length; start += INSERT_BATCH) {
      const rows = await tx
        .insert(chunks)
        .values(
          result.pieces.slice(start, start + INSERT_BATCH).map((piece, i) => ({
            documentId: document.id,
            ordinal: start + i,
            content: piece.content,
            tokenCount: piece.tokenCount,
            metadata: chunkMetadata(piece),
            searchVector: sql`to_tsvector(${sql.raw(`'${TEXT_SEARCH_CONFIG}'`)}, ${keywordText(title, piece.headings, piece.content)})`,
          })),
        )
        .returning({ id: chunks.id, ordinal: chunks.ordinal });
      for (const row of rows) chunkIds[row.ordinal] = row.id;
    }
    for (let start = 0; start < result.vectors.length; start += INSERT_BATCH) {
      await tx.insert(chunkEmbeddings).values(
        result.vectors.slice(start, start + INSERT_BATCH).map((embedding, i) => ({
          chunkId: chunkIds[start + i]!,
          modelId: deps.model.id,
          embedding,
        })),
      );
    }
    await tx.delete(documentSources).where(eq(documentSources.documentId, document.id));
    return true;
  });
}

function chunkMetadata(piece: TextChunk): Record<string, unknown> {
  return {
    ...(piece.headings.length > 0 && { headings: piece.headings }),
    ...(piece.pages && { pages: piece.pages }),
    ...(piece.rows && { rows: piece.rows }),
  };
}

function failureReason(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
