import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { integerArrayLiteral, textArrayLiteral } from "../db/array-literal";
import { BINARY_COPY_SIGNATURE } from "../db/binary-copy";
import type { Database } from "../db/client";
import { ensureEmbeddingModel, withoutVectorIndex } from "../db/embedding-models";
import type { HnswGraph } from "../db/hnsw-graph";
import type { ScratchDatabase } from "../db/scratch";
import { autovacuum } from "../db/vacuum";
import * as schema from "../db/schema";
import type { EmbeddingModel, ProcessingVersion, VectorIndexType } from "../db/schema";
import type { Embedder } from "../providers/embedding";
import { beirDocumentText, type BeirDocument } from "../evaluate/beir";
import type { ClusteredVectors } from "./clustered-vectors";

/**
 * A library of any size for benchmarks, loaded straight into the tables:
 * clustered vectors (embedding 100,000 chunks on two cores would take most of
 * a day) with real prose as text, ten chunks per document. Chunk n (from 0)
 * has id n + 1 and vector n.
 */

const CHUNKS_PER_DOCUMENT = 10;
/** Chunks per INSERT: each is one run of the keyword triggers over its rows. */
const CHUNK_BATCH = 50_000;

export interface LoadedLibrary {
  model: EmbeddingModel;
  /** Seconds for documents, chunks, postings blocks and vectors, with the vector index dropped. */
  loadSeconds: number;
  hnswIndexSeconds: number;
  vacuumSeconds: number;
}

/**
 * A bulk import as a person with a large library would do it: the text of
 * every chunk is made in the database from a table of distinct passages, the
 * keyword triggers pack each batch's postings into blocks, the vectors arrive
 * by COPY (binary, on PostgreSQL), and the HNSW index is built once at the
 * end, which is far faster than growing it row by row. The model is registered as the configured embedder, so the
 * app started on this database embeds queries for it.
 */
export async function loadSyntheticLibrary(
  database: ScratchDatabase,
  embedder: Embedder,
  vectors: ClusteredVectors,
  passages: string[],
  /** The current pipeline's version (processingVersion), so the app started on this database does not re-read the library while it is measured. */
  processedWith: ProcessingVersion,
  /** The vector index the app would build: its stored type and graph. */
  index: { type: VectorIndexType; graph: HnswGraph },
): Promise<LoadedLibrary> {
  const dimensions = await embedder.dimensions();
  if (dimensions !== vectors.dimensions) {
    throw new Error(`the benchmark needs a ${vectors.dimensions}-d embedder (the local default); got ${dimensions}`);
  }
  const session = await openBuildSession(database);
  try {
    const { db } = session;
    const started = performance.now();
    const model = await ensureEmbeddingModel(db, { provider: embedder.provider, name: embedder.model, dimensions, settings: embedder.settings, indexType: index.type, graph: index.graph });
    await db.execute(sql`update embedding_models set active = true where id = ${model.id}`);
    let loaded = 0;
    await withoutVectorIndex(db, model, async () => {
      await loadPassages(db, passages);
      for (let start = 0; start < vectors.count; start += CHUNK_BATCH) {
        await insertChunks(db, start, Math.min(vectors.count, start + CHUNK_BATCH), passages.length, processedWith);
        progress(`chunks: ${Math.min(vectors.count, start + CHUNK_BATCH)}/${vectors.count}`);
      }
      await session.storeVectors(model, vectors);
      loaded = performance.now();
    }, index.graph);
    const indexed = performance.now();
    // The library at rest, as autovacuum (PostgreSQL) or the app's own vacuum
    // (PGlite, see lib/db/vacuum.ts) leaves it shortly after an import.
    await autovacuum(db);
    return {
      model,
      loadSeconds: (loaded - started) / 1000,
      hnswIndexSeconds: (indexed - loaded) / 1000,
      vacuumSeconds: (performance.now() - indexed) / 1000,
    };
  } finally {
    await session.close();
  }
}

export function describeLoad(library: LoadedLibrary): string {
  return (
    `loaded in ${library.loadSeconds.toFixed(1)} s (keyword postings packed into blocks as they go), ` +
    `HNSW index (${library.model.indexType}) built in ${library.hnswIndexSeconds.toFixed(1)} s, vacuumed in ${library.vacuumSeconds.toFixed(1)} s`
  );
}

interface LoadSession {
  db: Database;
  storeVectors(model: EmbeddingModel, vectors: ClusteredVectors): Promise<void>;
  close(): Promise<void>;
}

/** Runs index builds and other bulk work on a build session (see openBuildSession). */
export async function withBuildSession<T>(database: ScratchDatabase, work: (db: Database) => Promise<T>): Promise<T> {
  const session = await openBuildSession(database);
  try {
    return await work(session.db);
  } finally {
    await session.close();
  }
}

/**
 * On PostgreSQL one connection of its own, so the memory and parallel workers
 * given to index builds apply to the statements that build them (a pool would
 * hand each statement any connection).
 */
async function openBuildSession(database: ScratchDatabase): Promise<LoadSession> {
  if (database.engine === "pglite") {
    await database.db.execute(sql`set maintenance_work_mem = '1GB'`);
    return { db: database.db, storeVectors: (model, vectors) => insertVectors(database.db, model, vectors), close: async () => {} };
  }
  const client = new pg.Client({ connectionString: database.location });
  await client.connect();
  // pgvector builds the graph in memory while it fits (a million 384-d
  // vectors need about 2 GB), and one worker beside the leader uses both cores.
  await client.query("set maintenance_work_mem = '4GB'");
  await client.query("set max_parallel_maintenance_workers = 1");
  return {
    db: drizzle(client, { schema, casing: "snake_case" }),
    storeVectors: (model, vectors) => copyVectors(client, model, vectors),
    close: () => client.end(),
  };
}

async function loadPassages(db: Database, passages: string[]) {
  await db.execute(sql`create temp table bench_passages (i integer primary key, content text not null, search_vector tsvector not null)`);
  const BATCH = 1000;
  for (let start = 0; start < passages.length; start += BATCH) {
    await db.execute(sql`
      insert into bench_passages
      select start.i + u.ordinality - 1, u.content, to_tsvector('english', u.content)
      from (select ${start}::integer as i) start, unnest(${textArrayLiteral(passages.slice(start, start + BATCH))}::text[]) with ordinality as u(content, ordinality)`);
  }
}

/** Chunks [start, end) and their documents; the keyword triggers index them as they would an upload. */
async function insertChunks(db: Database, start: number, end: number, passageCount: number, processedWith: ProcessingVersion) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      insert into documents (id, title, content_hash, status, format, source, processed_with) overriding system value
      select n + 1, 'Bench document ' || n, 'bench-' || n, 'ready', case when n % 3 = 0 then 'pdf' else 'text' end, 'bench', ${JSON.stringify(processedWith)}::jsonb
      from generate_series(${start / CHUNKS_PER_DOCUMENT}::integer, ${Math.ceil(end / CHUNKS_PER_DOCUMENT) - 1}::integer) n`);
    await tx.execute(sql`
      insert into chunks (id, document_id, ordinal, content, token_count, search_vector) overriding system value
      select n + 1, n / ${CHUNKS_PER_DOCUMENT}::integer + 1, n % ${CHUNKS_PER_DOCUMENT}::integer, p.content, 160, p.search_vector
      from generate_series(${start}::integer, ${end - 1}::integer) n
      join bench_passages p on p.i = n % ${passageCount}::integer`);
    // Ids were given, so the identity sequences are moved past them for rows the app adds later.
    await tx.execute(sql`select setval(pg_get_serial_sequence('documents', 'id'), (select max(id) from documents)),
                                setval(pg_get_serial_sequence('chunks', 'id'), (select max(id) from chunks))`);
  });
}

/** PGlite: batched INSERTs of array literals. */
async function insertVectors(db: Database, model: EmbeddingModel, vectors: ClusteredVectors) {
  const BATCH = 500;
  for (let start = 0; start < vectors.count; start += BATCH) {
    const end = Math.min(vectors.count, start + BATCH);
    const ids = Array.from({ length: end - start }, (_, i) => start + i + 1);
    const literals = ids.map((id) => `[${vectors.data.subarray((id - 1) * vectors.dimensions, id * vectors.dimensions).join(",")}]`);
    await db.execute(sql`
      insert into chunk_embeddings (chunk_id, model_id, embedding)
      select u.id, ${model.id}::integer, u.embedding::vector
      from unnest(${integerArrayLiteral(ids)}::integer[], ${textArrayLiteral(literals)}::text[]) as u(id, embedding)`);
    progress(`vectors: ${end}/${vectors.count}`);
  }
}

/**
 * PostgreSQL: COPY in binary, pgvector's own wire format (dimensions, a
 * reserved word, then big-endian float4s): a quarter of the bytes of the text
 * form and no float parsing on the server.
 */
async function copyVectors(client: pg.Client, model: EmbeddingModel, vectors: ClusteredVectors) {
  const { dimensions, count, data } = vectors;
  const rowBytes = 2 + 4 + 4 + 4 + 4 + 4 + 4 + 4 * dimensions;
  const ROWS_PER_BUFFER = 1000;
  function* encode() {
    // No flags, no header extension.
    yield Buffer.concat([BINARY_COPY_SIGNATURE, Buffer.alloc(8)]);
    for (let start = 0; start < count; start += ROWS_PER_BUFFER) {
      const end = Math.min(count, start + ROWS_PER_BUFFER);
      const buffer = Buffer.alloc((end - start) * rowBytes);
      let at = 0;
      for (let n = start; n < end; n++) {
        at = buffer.writeInt16BE(3, at);
        at = buffer.writeInt32BE(4, at);
        at = buffer.writeInt32BE(n + 1, at);
        at = buffer.writeInt32BE(4, at);
        at = buffer.writeInt32BE(model.id, at);
        at = buffer.writeInt32BE(4 + 4 * dimensions, at);
        at = buffer.writeInt16BE(dimensions, at);
        at = buffer.writeInt16BE(0, at);
        for (let d = 0; d < dimensions; d++) at = buffer.writeFloatBE(data[n * dimensions + d]!, at);
      }
      yield buffer;
      if (end % 50_000 === 0 || end === count) progress(`vectors: ${end}/${count}`);
    }
    const trailer = Buffer.alloc(2);
    trailer.writeInt16BE(-1);
    yield trailer;
  }
  await pipeline(Readable.from(encode()), client.query(copyFrom("copy chunk_embeddings (chunk_id, model_id, embedding) from stdin with (format binary)")));
}

function progress(line: string) {
  if (process.stderr.isTTY) process.stderr.write(`\r${line}   `);
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
