import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { isDatabaseOutOfResources, isDatabaseUnavailable } from "../db/errors";
import { assertVectorDimensions } from "../db/embedding-models";
import { chunkEmbeddings, chunks, documents, type ChunkMetadata, type EmbeddingModel, type ProcessingVersion } from "../db/schema";
import { InputError } from "../errors";
import type { Embedder } from "../providers/embedding";
import { CHUNKER_VERSION, embeddingInput, type TextChunk } from "./chunk";
import { PARSER_VERSION } from "./parse";
import type { ReadDocument, ReadOptions } from "./read-document";
import type { DocumentReader } from "./reader";
import { readSource } from "./source";
import { heldBy, markFailed, OUTAGE_RETRY_SECONDS, release, releaseOrDefer, reportProgress, type Claim } from "./queue";
import { ProviderError } from "../providers/errors";
import { keywordText, TEXT_SEARCH_CONFIG } from "../retrieve/keyword";

export interface ProcessDependencies {
  db: Database;
  embedder: Embedder;
  model: EmbeddingModel;
  chunking: { size: number; overlap: number };
  /** Reads documents off the thread that serves requests. */
  reader: DocumentReader;
}

export type ProcessOutcome =
  | { status: "ready"; chunkCount: number }
  | { status: "failed"; error: string; cause: unknown }
  /** The claim was lost (document deleted, or taken over): nothing was written. */
  | { status: "lost" };

/** Chunks embedded between progress reports: often enough for a smooth bar, rare enough to cost nothing. */
const EMBED_BATCH = 16;
/**
 * Chunks a large document stores per statement and transaction (see store).
 * On PGlite each statement holds the server's only thread, and every vector is
 * an HNSW insert: at 64 requests waited up to 2.2 s behind one, at 16 under
 * 1.1 s (e2e/under-load.spec.ts).
 */
export const STORE_STEP = 16;
/** Rows per INSERT: well under PostgreSQL's 65,535 bind parameters. */
const INSERT_BATCH = 1000;

/** What stored chunks are made with: a document made otherwise is read again (lib/ingest/reprocess.ts). */
export function processingVersion(chunking: ProcessDependencies["chunking"]): ProcessingVersion {
  return { parser: PARSER_VERSION, chunker: CHUNKER_VERSION, chunkSize: chunking.size, chunkOverlap: chunking.overlap };
}

/** What the reader needs to know of these dependencies. */
export function readOptions(deps: Pick<ProcessDependencies, "embedder" | "chunking">): ReadOptions {
  return { chunking: deps.chunking, inputTokens: deps.embedder.maxInputTokens - deps.embedder.reservedTokens };
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

/**
 * Writes a document's chunks and their vectors, inside the caller's
 * transaction; returns the chunks' ids in order. `firstOrdinal` places a batch
 * of a document stored in steps.
 */
export async function insertChunks(
  tx: Database,
  document: { id: number; title: string },
  model: EmbeddingModel,
  pieces: TextChunk[],
  vectors: number[][],
  firstOrdinal = 0,
): Promise<number[]> {
  const chunkIds: number[] = [];
  for (let start = 0; start < pieces.length; start += INSERT_BATCH) {
    const rows = await tx
      .insert(chunks)
      .values(
        pieces.slice(start, start + INSERT_BATCH).map((piece, i) => ({
          documentId: document.id,
          ordinal: firstOrdinal + start + i,
          content: piece.content,
          tokenCount: piece.tokenCount,
          metadata: chunkMetadata(piece),
          searchVector: sql`to_tsvector(${sql.raw(`'${TEXT_SEARCH_CONFIG}'`)}, ${keywordText(document.title, piece.headings, piece.content)})`,
        })),
      )
      .returning({ id: chunks.id, ordinal: chunks.ordinal });
    for (const row of rows) chunkIds[row.ordinal - firstOrdinal] = row.id;
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
    const bytes = await readSource(deps.db, claimed.document);
    if (!bytes) throw new InputError("missing_source", "The uploaded file is gone; upload it again.", 422);
    const read = await deps.reader.read(readOptions(deps), claimed.document, bytes);
    if (!(await reportProgress(deps.db, claimed, { status: "embedding", chunksTotal: read.pieces.length, chunksEmbedded: 0 }))) {
      return { status: "lost" };
    }
    const vectors = await embedChunks(deps, read.pieces, (embedded) => reportProgress(deps.db, claimed, { chunksEmbedded: embedded }));
    if (!vectors) return { status: "lost" };
    const stored = await store(deps, claimed, read, vectors);
    return stored ? { status: "ready", chunkCount: read.pieces.length } : { status: "lost" };
  } catch (error) {
    // An embedding server that is down, or the database's disk filling up, is
    // no fault of the document: it goes back to the queue, uncounted, and
    // resumes by itself once the outage ends.
    const waitingFor = outageAwaited(error);
    if (waitingFor) {
      await release(deps.db, claimed, { refund: true, retryAfterSeconds: OUTAGE_RETRY_SECONDS, waitingFor }).catch(() => {});
      throw error;
    }
    // Losing the database is no fault of the document either: it is queued
    // again now, or as soon as the database answers again.
    if (isDatabaseUnavailable(error)) {
      await releaseOrDefer(deps.db, claimed);
      throw error;
    }
    const reason = failureReason(error);
    await markFailed(deps.db, claimed, reason);
    return { status: "failed", error: reason, cause: error };
  }
}

/**
 * The chunks, their vectors and the ready status. A document of up to
 * STORE_STEP chunks commits in one transaction. A larger one would hold
 * PGlite's only connection for minutes (every vector is an HNSW insert), so
 * its chunks commit a step at a time first, unseen by search until the last
 * transaction makes the document ready; a failure removes them (markFailed),
 * and every attempt first clears what a crashed one left.
 */
async function store(deps: ProcessDependencies, claimed: Claim, read: ReadDocument, vectors: number[][]): Promise<boolean> {
  await deps.db.delete(chunks).where(eq(chunks.documentId, claimed.document.id));
  const stepped = read.pieces.length > STORE_STEP;
  if (stepped) {
    const document = { id: claimed.document.id, title: read.title };
    for (let start = 0; start < read.pieces.length; start += STORE_STEP) {
      const stillHeld = await deps.db.transaction(async (tx) => {
        if (!(await reportProgress(tx, claimed, {}))) return false;
        const end = start + STORE_STEP;
        await insertChunks(tx, document, deps.model, read.pieces.slice(start, end), vectors.slice(start, end), start);
        return true;
      });
      if (!stillHeld) return false;
    }
  }
  return deps.db.transaction(async (tx) => {
    const [document] = await tx
      .update(documents)
      .set({
        status: "ready",
        content: read.content,
        // Renamed while it was being read: the person's title stays.
        title: sql`case when ${documents.titleGiven} then ${documents.title} else ${read.title} end`,
        chunksTotal: read.pieces.length,
        chunksEmbedded: read.pieces.length,
        processedWith: processingVersion(deps.chunking),
        claimToken: null,
        lockedUntil: null,
      })
      .where(heldBy(claimed))
      .returning({ id: documents.id, title: documents.title });
    // Deleted, or taken over by another worker after our lease lapsed: write nothing.
    if (!document) return false;
    if (!stepped) await insertChunks(tx, document, deps.model, read.pieces, vectors);
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

/**
 * What a document cut off by an outage waits for, or undefined for any other
 * failure. (The embedder is checked first: its server's refused connection
 * would otherwise look like the database's.)
 */
function outageAwaited(error: unknown): string | undefined {
  if (error instanceof ProviderError && error.code === "embedder_unavailable") return "the embedding server to answer again";
  if (isDatabaseOutOfResources(error)) return "the database to have room to write (it is out of disk space or memory)";
  return undefined;
}

export function failureReason(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
