/**
 * Search latency and index recall at scale, in throwaway databases:
 *   npm run bench:search -- [--chunks 10000,100000] [--engine pglite|postgres|both] [--queries 200]
 *                           [--index-types vector,halfvec] [--ef-search 40,200] [--storing 10000,25000]
 * For each size and engine: load, index build times and sizes; semantic
 * latency (SQL only, query vector given, after one pass over the queries has
 * read the index in) and recall@10 of HNSW against exact search at several
 * ef_search values, for each index type (the first is
 * loaded, the others rebuilt from it); BM25 keyword and hybrid latency; up to
 * 100,000 chunks the original demo's ivfflat (lists = 100) at the probes that
 * match HNSW's recall; and, at the smallest size, end-to-end POST /api/search
 * latency through `next start` including the query embedding (run
 * `npm run build` first). With --storing, semantic latency near a document of
 * that many chunks while it is being stored (see searchWhileStoring). A
 * million chunks want a server with shared buffers above the HNSW index's size
 * (about 2 GB as vector, 1 GB as halfvec).
 *
 * Vectors: 384-d clustered unit vectors (lib/bench/clustered-vectors.ts), since
 * embedding 100,000 chunks on two cores would take most of a day. Text: the
 * SciFact abstracts cut into 120-word pieces, repeated to the size wanted, so
 * term statistics are those of real prose; queries are SciFact's claims.
 * The postgres engine needs BENCH_DATABASE_URL (or TEST_DATABASE_URL).
 */
import "./load-env";
import { insertChunks, processingVersion, STORE_STEP } from "../lib/ingest/process";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { getConfig, hnswGraph } from "../lib/config";
import { describeLatency, timeEach } from "../lib/bench/latency";
import { withAppServer } from "../lib/bench/app-server";
import { clusteredVectors, exactNearest, normalize, seededRandom, type ClusteredVectors } from "../lib/bench/clustered-vectors";
import { describeLoad, loadSyntheticLibrary, textPassages, withBuildSession } from "../lib/bench/synthetic-library";
import { loadBeirCorpus, loadBeirQueries } from "../lib/evaluate/beir";
import { queryRows, type Database, type DatabaseHandle } from "../lib/db/client";
import { rebuildVectorIndex, hnswIndexName, vectorIndexKey, withoutVectorIndex } from "../lib/db/embedding-models";
import { vectorIndexTypes, type EmbeddingModel } from "../lib/db/schema";
import { openScratchDatabase, scratchEngines, type ScratchDatabase } from "../lib/db/scratch";
import { deleteDocument } from "../lib/documents/library";
import { createEmbedder } from "../lib/providers/embedding";
import { keywordSearch } from "../lib/retrieve/keyword";
import { search, searchSettings } from "../lib/retrieve/search";
import { semanticSearch, semanticSearchQuery } from "../lib/retrieve/semantic";

const { values } = parseArgs({
  options: {
    chunks: { type: "string", default: "10000,100000" },
    engine: { type: "string", default: "both" },
    queries: { type: "string", default: "200" },
    "index-types": { type: "string", default: "vector,halfvec" },
    "ef-search": { type: "string", default: "40,200" },
    corpus: { type: "string", default: "../shared/eval/scifact" },
    storing: { type: "string", default: "" },
  },
});
const config = getConfig();
const sizes = values.chunks!.split(",").map(Number);
const { engines, serverUrl } = scratchEngines(values.engine!, ["BENCH_DATABASE_URL", "TEST_DATABASE_URL"]);
const queryCount = Number(values.queries);
const WARM_UP = 20;
const IVFFLAT_MAX_CHUNKS = 100_000;
const storingSizes = values.storing!.split(",").filter(Boolean).map(Number);
const indexTypes = values["index-types"]!.split(",").map((type) => {
  const known = vectorIndexTypes.find((t) => t === type);
  if (!known) throw new Error(`--index-types takes ${vectorIndexTypes.join(" and ")}; got ${type}`);
  return known;
});
const DIMENSIONS = 384;
/** Searches timed near a document being stored: each may walk tens of thousands of its vectors. */
const STORING_QUERIES = 50;

const passages = textPassages(loadBeirCorpus(values.corpus!));
const queryTexts = loadBeirQueries(values.corpus!)
  .map((query) => query.text);
const embedder = createEmbedder(config);
const settings = searchSettings(config);
const graph = hnswGraph(config);
/** The configured ef_search and the others asked for, in order. */
const efSearchValues = [...new Set([settings.efSearch, ...values["ef-search"]!.split(",").map(Number)])].sort((a, b) => a - b);
console.log(
  `${queryCount} queries (after ${WARM_UP} warm-up) per measurement; ${DIMENSIONS}-d clustered vectors; text from ${values.corpus}; ` +
    `HNSW m=${graph.m} ef_construction=${graph.efConstruction}`,
);

for (const size of sizes) {
  const vectors = clusteredVectors({ count: size, dimensions: DIMENSIONS, seed: 42 });
  const queries = Array.from({ length: WARM_UP + queryCount }, (_, i) => ({ vector: vectors.query(), text: queryTexts[i % queryTexts.length]! }));
  const truth = queries.map((q) => exactNearest(vectors, q.vector, 10));
  for (const engine of engines) {
    const database = await openScratchDatabase({
      engine,
      serverUrl,
      migrationsDir: config.MIGRATIONS_DIR,
      label: "bench",
      onDisk: true,
    });
    try {
      console.log(`\n== ${size.toLocaleString("en")} chunks on ${engine} ==`);
      const library = await loadSyntheticLibrary(database, embedder, vectors, passages, processingVersion({ size: config.CHUNK_SIZE, overlap: config.CHUNK_OVERLAP }), {
        type: indexTypes[0]!,
        graph,
      });
      console.log(describeLoad(library));
      console.log(await describeSizes(database.db, library.model));
      let model = library.model;
      const measured = queries.slice(WARM_UP);
      const measuredTruth = truth.slice(WARM_UP);
      const deps = () => ({ db: database.db, embedder, model });
      const hybridQuery = (q: (typeof queries)[number]) => search(deps(), { query: q.text, vector: q.vector, mode: "hybrid", topK: 10 }, settings);

      let hnswRecall = 0;
      for (const [i, indexType] of indexTypes.entries()) {
        if (i > 0) {
          const started = performance.now();
          model = await withBuildSession(database, (db) => rebuildVectorIndex(db, model, indexType, graph));
          console.log(`HNSW index rebuilt as ${indexType} in ${((performance.now() - started) / 1000).toFixed(1)} s; ${await describeSizes(database.db, model)}`);
        }
        // A search after the build would otherwise read the index into shared buffers as it
        // walks it, and the first ef_search measured would pay for all of them.
        await timeEach(queries, (q) => semanticSearch(database.db, model, q.vector, { limit: 10, efSearch: Math.max(...efSearchValues) }));
        for (const efSearch of efSearchValues) {
          const { samples, found } = await timeSemantic(database.db, model, queries.slice(0, WARM_UP).map((q) => q.vector), measured.map((q) => q.vector), efSearch);
          const recall = recallAt10(found, measuredTruth);
          if (efSearch === settings.efSearch && i === 0) hnswRecall = recall;
          console.log(`semantic HNSW (${indexType}) ${efSearchLabel(efSearch)}: ${describeLatency(samples)}, recall@10 ${recall.toFixed(3)}`);
        }
        if (i === 0) {
          await timeEach(queries.slice(0, WARM_UP), (q) => keywordSearch(database.db, q.text, { limit: 10, bm25: settings.bm25 }));
          const keyword = await timeEach(measured, (q) => keywordSearch(database.db, q.text, { limit: 10, bm25: settings.bm25 }));
          console.log(`keyword BM25: ${describeLatency(keyword)}`);
        }
        await timeEach(queries.slice(0, WARM_UP), hybridQuery);
        const hybrid = await timeEach(measured, hybridQuery);
        console.log(`hybrid (${settings.fusion}, query vector given, ${indexType} index): ${describeLatency(hybrid)}`);
      }
      for (const storing of storingSizes) {
        await searchWhileStoring(database.db, model, storing, vectors, measured.map((q) => q.vector));
      }

      const endToEndHere = size === Math.min(...sizes);
      // The production server registers the model with the configured index type: the library is left so.
      if (endToEndHere && model.indexType !== config.VECTOR_INDEX_TYPE) {
        model = await withBuildSession(database, (db) => rebuildVectorIndex(db, model, config.VECTOR_INDEX_TYPE, graph));
      }
      const indexed = model;
      const measureIvfflat = () => ivfflat(database, indexed, queries, measuredTruth, hnswRecall);
      if (size > IVFFLAT_MAX_CHUNKS) {
        console.log(`ivfflat: not measured above ${IVFFLAT_MAX_CHUNKS.toLocaleString("en")} chunks (the demo's lists = 100 is a small library's setting)`);
      } else if (endToEndHere) {
        await withoutVectorIndex(database.db, indexed, measureIvfflat);
      } else {
        await database.db.execute(sql.raw(`drop index ${hnswIndexName(model)}`));
        await measureIvfflat();
      }
      // Last: a PGlite database is handed over to the server's process.
      if (endToEndHere) await endToEnd(database, engine, queries.map((q) => q.text));
    } finally {
      await database.close();
    }
  }
}
await embedder.close();
console.log(`\npeak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);

/**
 * A large upload's chunks commit in steps, as processDocument stores them, and
 * their vectors are in the HNSW graph before the document is ready, so a walk
 * near them must pass every one before it reaches a searchable chunk (or gives
 * up at hnsw.max_scan_tuples, when an exact scan answers; lib/retrieve/semantic.ts).
 * The document is one subject (a CSV's rows, a manual's pages look alike), and
 * the searches are about it. Afterwards it is deleted and vacuumed away.
 */
async function searchWhileStoring(db: Database, model: EmbeddingModel, storing: number, vectors: ClusteredVectors, elsewhere: number[][]) {
  const random = seededRandom(storing);
  const centre = vectors.query();
  const near = () => normalize(centre.map((x) => x + (random() - 0.5) * 0.06));
  const [document] = await queryRows<{ id: number; title: string }>(
    db,
    sql`insert into documents (title, content_hash, status, format, source)
        values ('Bench upload being stored', ${`bench-storing-${storing}`}, 'embedding', 'csv', 'upload') returning id, title`,
  );
  const started = performance.now();
  for (let start = 0; start < storing; start += STORE_STEP) {
    const end = Math.min(storing, start + STORE_STEP);
    const pieces = Array.from({ length: end - start }, (_, i) => ({ content: passages[(start + i) % passages.length]!, tokenCount: 160, headings: [] }));
    await db.transaction((tx) => insertChunks(tx, document!, model, pieces, pieces.map(near), start));
  }
  console.log(`a document of ${storing.toLocaleString("en")} chunks, not yet ready, stored in steps of ${STORE_STEP} in ${((performance.now() - started) / 1000).toFixed(1)} s; searches about it meanwhile:`);
  const about = Array.from({ length: WARM_UP + STORING_QUERIES }, near);
  for (const efSearch of efSearchValues) {
    const { samples, found } = await timeSemantic(db, model, about.slice(0, WARM_UP), about.slice(WARM_UP), efSearch);
    const complete = found.filter((ids) => ids.length === 10).length;
    console.log(`  semantic ${efSearchLabel(efSearch)}: ${describeLatency(samples)}, ${complete}/${found.length} with ten results`);
  }
  const others = await timeEach(elsewhere.slice(0, STORING_QUERIES), (vector) => semanticSearch(db, model, vector, { limit: 10, efSearch: settings.efSearch }));
  console.log(`  semantic elsewhere (the benchmark's queries, default ef_search): ${describeLatency(others)}`);
  await deleteDocument(db, document!.id);
  await db.execute(sql`vacuum chunks, chunk_embeddings`);
}

/** Semantic search's latency at one ef_search over `measured` (after `warmUp`), and the chunk ids each search found. */
async function timeSemantic(db: Database, model: EmbeddingModel, warmUp: number[][], measured: number[][], efSearch: number) {
  await timeEach(warmUp, (vector) => semanticSearch(db, model, vector, { limit: 10, efSearch }));
  const found: number[][] = [];
  const samples = await timeEach(measured, async (vector) => {
    found.push((await semanticSearch(db, model, vector, { limit: 10, efSearch })).map((hit) => hit.chunkId));
  });
  return { samples, found };
}

function efSearchLabel(efSearch: number): string {
  return `ef_search=${efSearch}${efSearch === settings.efSearch ? " (default)" : ""}`;
}

/** Table and index sizes: what the server needs in memory (shared buffers, page cache) to answer from it. */
async function describeSizes(db: Database, model: EmbeddingModel): Promise<string> {
  const [sizes] = await queryRows<Record<"chunks" | "vectors" | "postings" | "postings_index" | "hnsw", string>>(
    db,
    sql`select pg_table_size('chunks') as chunks, pg_table_size('chunk_embeddings') as vectors,
               pg_table_size('keyword_blocks') as postings, pg_indexes_size('keyword_blocks') as postings_index,
               pg_relation_size(${hnswIndexName(model)}::regclass) as hnsw`,
  );
  const mb = (bytes: string | undefined) => `${(Number(bytes) / 2 ** 20).toFixed(0)} MB`;
  return `sizes: chunks ${mb(sizes?.chunks)}, vectors ${mb(sizes?.vectors)}, postings blocks ${mb(sizes?.postings)} + index ${mb(sizes?.postings_index)}, HNSW index (${model.indexType}) ${mb(sizes?.hnsw)}`;
}

/** The demo's index: ivfflat with 100 lists. Probes rise until recall matches HNSW's at its default ef_search. */
async function ivfflat(
  database: DatabaseHandle,
  model: EmbeddingModel,
  queries: { vector: number[] }[],
  truth: number[][],
  target: number,
) {
  const started = performance.now();
  await database.db.execute(
    sql.raw(`create index ivfflat_bench on chunk_embeddings using ivfflat (${vectorIndexKey(model)}) with (lists = 100) where model_id = ${model.id}`),
  );
  console.log(`ivfflat (lists = 100, ${model.indexType}) built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const run = async (probes: number, vector: number[]) =>
    database.db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local ivfflat.probes = ${probes}`));
      const rows = await queryRows<{ chunk_id: number }>(tx, semanticSearchQuery(model, vector, 10));
      return rows.map((r) => Number(r.chunk_id));
    });
  for (const probes of [1, 2, 4, 8, 16, 32, 64]) {
    const found: number[][] = [];
    await timeEach(queries.slice(0, WARM_UP), (q) => run(probes, q.vector));
    const samples = await timeEach(queries.slice(WARM_UP), async (q) => {
      found.push(await run(probes, q.vector));
    });
    const recall = recallAt10(found, truth);
    console.log(`semantic ivfflat probes=${probes}: ${describeLatency(samples)}, recall@10 ${recall.toFixed(3)}`);
    if (recall >= target) break;
  }
  await database.db.execute(sql.raw(`drop index ivfflat_bench`));
}

/** POST /api/search through the production server, with the query embedded by the configured embedder: what a person waits for. */
async function endToEnd(database: ScratchDatabase, engine: string, texts: string[]) {
  const post = async (base: string, query: string) => {
    const response = await fetch(`${base}/api/search`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, top_k: 10 }),
    });
    if (!response.ok) throw new Error(`POST /api/search answered ${response.status}: ${await response.text()}`);
    await response.json();
  };
  const ran = await withAppServer(database, engine, async (base) => {
    await timeEach(texts.slice(0, WARM_UP), (text) => post(base, text));
    const samples = await timeEach(texts.slice(WARM_UP), (text) => post(base, text));
    console.log(`end-to-end POST /api/search (hybrid, query embedded by ${embedder.provider}:${embedder.model}): ${describeLatency(samples)}`);
  });
  if (!ran) console.log("end-to-end /api/search: skipped, no production build (run npm run build first)");
}

/** Chunk n of the synthetic library is vector n and has id n + 1. */
function recallAt10(found: number[][], truth: number[][]): number {
  let hits = 0;
  found.forEach((ids, i) => {
    const expected = new Set(truth[i]!.map((index) => index + 1));
    hits += ids.filter((id) => expected.has(id)).length;
  });
  return hits / (found.length * 10);
}
