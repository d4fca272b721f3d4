import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "../db/client";
import { ensureEmbeddingModel, withoutVectorIndex } from "../db/embedding-models";
import { autovacuum } from "../db/vacuum";
import { chunkEmbeddings, chunks, documents, type EmbeddingModel, type ProcessingVersion } from "../db/schema";
import type { Embedder } from "../providers/embedding";
import { beirDocumentText, type BeirDocument } from "../evaluate/beir";
import type { ClusteredVectors } from "./clustered-vectors";

/**
 * A library of any size for benchmarks, loaded straight into the tables:
 * clustered vectors (embedding 100,000 chunks on two cores would take most of
 * a day) with real prose as text, ten chunks per document.
 */

const CHUNKS_PER_DOCUMENT = 10;

/**
 * Bulk load without the HNSW index, then build it once: what a person
 * importing a large library would do, and far faster than growing the graph
 * row by row. The model is registered as the configured embedder, so the app
 * started on this database embeds queries for it.
 */
export async function loadSyntheticLibrary(
  database: DatabaseHandle,
  embedder: Embedder,
  vectors: ClusteredVectors,
  passages: string[],
  /** The current pipeline's version (processingVersion), so the app started on this database does not re-read the library while it is measured. */
  processedWith: ProcessingVersion,
) {
  const started = performance.now();
  const dimensions = await embedder.dimensions();
  if (dimensions !== vectors.dimensions) {
    throw new Error(`the benchmark needs a ${vectors.dimensions}-d embedder (the local default); got ${dimensions}`);
  }
  const model = await ensureEmbeddingModel(database.db, { provider: embedder.provider, name: embedder.model, dimensions, settings: embedder.settings });
  await database.db.execute(sql`update embedding_models set active = true where id = ${model.id}`);
  await database.db.execute(sql`set maintenance_work_mem = '1GB'`);
  const chunkIds = new Int32Array(vectors.count);
  let loaded = 0;
  await withoutVectorIndex(database.db, model, async () => {
    const BATCH = 500;
    for (let start = 0; start < vectors.count; start += BATCH) {
      await insertBatch(database, model, vectors, passages, start, Math.min(vectors.count, start + BATCH), chunkIds, processedWith);
      if (process.stderr.isTTY) process.stderr.write(`\rloading: ${Math.min(vectors.count, start + BATCH)}/${vectors.count}`);
    }
    if (process.stderr.isTTY) process.stderr.write("\n");
    loaded = performance.now();
  });
  // The library at rest, as autovacuum (PostgreSQL) or the app's own vacuum
  // (PGlite, see lib/db/vacuum.ts) leaves it shortly after an import.
  const indexed = performance.now();
  await autovacuum(database.db);
  return {
    model,
    chunkIds,
    seconds: (loaded - started) / 1000,
    indexSeconds: (indexed - loaded) / 1000,
    vacuumSeconds: (performance.now() - indexed) / 1000,
  };
}

async function insertBatch(
  database: DatabaseHandle,
  model: EmbeddingModel,
  vectors: ClusteredVectors,
  passages: string[],
  start: number,
  end: number,
  chunkIds: Int32Array,
  processedWith: ProcessingVersion,
) {
  await database.db.transaction(async (tx) => {
    const docs = await tx
      .insert(documents)
      .values(
        Array.from({ length: Math.ceil((end - start) / CHUNKS_PER_DOCUMENT) }, (_, i) => {
          const n = start / CHUNKS_PER_DOCUMENT + i;
          return { title: `Bench document ${n}`, contentHash: `bench-${n}`, status: "ready" as const, format: n % 3 === 0 ? ("pdf" as const) : ("text" as const), source: "bench", processedWith };
        }),
      )
      .returning({ id: documents.id });
    const rows = await tx
      .insert(chunks)
      .values(
        Array.from({ length: end - start }, (_, i) => {
          const text = passages[(start + i) % passages.length]!;
          return {
            documentId: docs[Math.floor(i / CHUNKS_PER_DOCUMENT)]!.id,
            ordinal: (start + i) % CHUNKS_PER_DOCUMENT,
            content: text,
            tokenCount: 160,
            searchVector: sql`to_tsvector('english', ${text})`,
          };
        }),
      )
      .returning({ id: chunks.id });
    await tx.insert(chunkEmbeddings).values(
      rows.map((row, i) => {
        chunkIds[start + i] = row.id;
        return { chunkId: row.id, modelId: model.id, embedding: Array.from(vectors.data.subarray((start + i) * vectors.dimensions, (start + i + 1) * vectors.dimensions)) };
      }),
    );
  });
}

/** The corpus's documents cut into pieces of about 120 words: chunk-sized real prose. */
export function textPassages(corpus: BeirDocument[]): string[] {
  const pieces: string[] = [];
  for (const doc of corpus) {
    const words = beirDocumentText(doc).split(/\s+/);
    for (let i = 0; i < words.length; i += 120) pieces.push(words.slice(i, i + 120).join(" "));
  }
  return pieces;
}
