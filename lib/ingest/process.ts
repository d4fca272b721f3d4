import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { isDatabaseOutOfResources, isDatabaseUnavailable, type Database } from "../db/client";
import { assertVectorDimensions } from "../db/embedding-models";
import { chunkEmbeddings, chunks, documents, documentSources, type ChunkMetadata, type Document, type EmbeddingModel, type ProcessingVersion } from "../db/schema";
import { InputError } from "../errors";
import type { Embedder } from "../providers/embedding";
import { CHUNKER_VERSION, chunkBlocks, embeddingInput, type TextChunk } from "./chunk";
import { documentText } from "./document-text";
import { PARSER_VERSION, parseAs, type Format } from "./parse";
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

/** What stored chunks are made with: a document made otherwise is read again (lib/ingest/reprocess.ts). */
export function processingVersion(chunking: ProcessDependencies["chunking"]): ProcessingVersion {
  return { parser: PARSER_VERSION, chunker: CHUNKER_VERSION, chunkSize: chunking.size, chunkOverlap: chunking.overlap };
}

/** A document read and cut into chunks, ready to embed and store. */
export interface ReadDocument {
  content: string;
  title: string;
  pieces: TextChunk[];
}

/** parse → chunk: everything about a document that does not need the model or the database. */
export async function readDocument(
  deps: Pick<ProcessDependencies, "embedder" | "chunking">,
  document: Pick<Document, "format" | "filename" | "title" | "titleGiven">,
  bytes: Uint8Array,
): Promise<ReadDocument> {
  const filename = document.filename ?? "The text";
  const parsed = await parseAs(document.format as Format, bytes, filename);
  const pieces = chunkBlocks(parsed.blocks, {
    maxTokens: deps.chunking.size,
    overlapTokens: deps.chunking.overlap,
    inputTokens: deps.embedder.maxInputTokens - deps.embedder.reservedTokens,
    countTokens,
  });
  if (pieces.length === 0) throw new InputError("empty_content", `${filename} contains no text.`, 422);
  const content = documentText(parsed.blocks);
  return { content, title: documentTitle(document, parsed.title, content), pieces };
}

/** Embeds the chunks in batches; `onBatch` hears how many are done and answers false to stop (the claim is gone). */
export async function embedChunks(
  deps: Pick<ProcessDependencies, "embedder" | "model">,
  pieces: TextChunk[],
  onBatch: (embedded: number) => Promise<boolean>,
): Promise<number[][] | undefined> {
  const vectors: number[][] = [];
  for (let start = 0; start < pieces.length; start += EMBED_BATCH) {
    const embedded = await deps.embedder.embedDocuments(pieces.slice(start, start + EMBED_BATCH).map(embeddingInput));
    for (const vector of embedded) assertVectorDimensions(vector, deps.model);
    vectors.push(...embedded);
    if (!(await onBatch(vectors.length))) return undefined;
  }
  return vectors;
}

/** Writes a document's chunks and their vectors, inside the caller's transaction; returns the chunks' ids in order. */
export async function insertChunks(
  tx: Database,
  document: { id: number; title: string },
  model: EmbeddingModel,
  pieces: TextChunk[],
  vectors: number[][],
): Promise<number[]> {
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
          metadata: chunkMetadata(piece),
          searchVector: sql`to_tsvector(${sql.raw(`'${TEXT_SEARCH_CONFIG}'`)}, ${keywordText(document.title, piece.headings, piece.content)})`,
        })),
      )
      .returning({ id: chunks.id, ordinal: chunks.ordinal });
    for (const row of rows) chunkIds[row.ordinal] = row.id;
  }
  // One vector per statement: each row's HNSW index insert is the costly part,
  // and PGlite holds the server's thread for a whole statement (bench:ingest:
  // event-loop delay p99 18 ms with one statement per document, 14 ms so).
  for (const [i, embedding] of vectors.entries()) {
    await tx.insert(chunkEmbeddings).values({ chunkId: chunkIds[i]!, modelId: model.id, embedding });
  }
  return chunkIds;
}

/**
 * parse → chunk → embed → store, for one claimed document. Nothing is written
 * but progress until the end, where the chunks, their embeddings and the ready
 * status commit in one transaction: a failure at any step leaves the document
 * failed with its reason and no partial chunks. Its bytes stay with it, for a
 * retry and for reading it again when the parser improves.
 */
export async function processDocument(deps: ProcessDependencies, claimed: Claim): Promise<ProcessOutcome> {
  try {
    const source = await deps.db.query.documentSources.findFirst({
      where: eq(documentSources.documentId, claimed.document.id),
    });
    if (!source) throw new InputError("missing_source", "The uploaded file is gone; upload it again.", 422);
    const read = await readDocument(deps, claimed.document, source.bytes);
    if (!(await reportProgress(deps.db, claimed, { status: "embedding", chunksTotal: read.pieces.length, chunksEmbedded: 0 }))) {
      return { status: "lost" };
    }
    const vectors = await embedChunks(deps, read.pieces, (embedded) => reportProgress(deps.db, claimed, { chunksEmbedded: embedded }));
    if (!vectors) return { status: "lost" };
    const stored = await store(deps, claimed, read, vectors);
    return stored ? { status: "ready", chunkCount: read.pieces.length } : { status: "lost" };
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

async function store(deps: ProcessDependencies, claimed: Claim, read: ReadDocument, vectors: number[][]): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const [document] = await tx
      .update(documents)
      .set({
        status: "ready",
        content: read.content,
        title: read.title,
        chunksTotal: read.pieces.length,
        chunksEmbedded: read.pieces.length,
        processedWith: processingVersion(deps.chunking),
        claimToken: null,
        lockedUntil: null,
      })
      .where(and(eq(documents.id, claimed.document.id), eq(documents.claimToken, claimed.token)))
      .returning({ id: documents.id, title: documents.title });
    // Deleted, or taken over by another worker after our lease lapsed: write nothing.
    if (!document) return false;
    await insertChunks(tx, document, deps.model, read.pieces, vectors);
    return true;
  });
}

function chunkMetadata(piece: TextChunk): ChunkMetadata {
  return {
    ...(piece.headings.length > 0 && { headings: piece.headings }),
    ...(piece.pages && { pages: piece.pages }),
    ...(piece.rows && { rows: piece.rows }),
    ...(piece.code && { code: piece.code }),
  };
}

export function failureReason(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
