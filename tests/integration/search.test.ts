import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type DatabaseHandle } from "@/lib/db/client";
import { ensureEmbeddingModel, hnswIndexName } from "@/lib/db/embedding-models";
import { DEFAULT_HNSW_GRAPH } from "@/lib/db/hnsw-graph";
import { chunkEmbeddings, chunks, documents, type EmbeddingModel } from "@/lib/db/schema";
import { deleteDocument, renameDocument } from "@/lib/documents/library";
import { scoreRun } from "@/lib/evaluate/metrics";
import { ingestText } from "@/lib/ingest/ingest";
import type { ProcessDependencies } from "@/lib/ingest/process";
import { highlightMatches } from "@/lib/retrieve/highlight";
import { keywordSearch } from "@/lib/retrieve/keyword";
import { hnswGraph, parseConfig } from "@/lib/config";
import { search, searchSettings, type SearchSettings } from "@/lib/retrieve/search";
import { semanticSearch, semanticSearchQuery } from "@/lib/retrieve/semantic";
import type { SearchMode } from "@/lib/retrieve/types";
import { testReader } from "../support/reader";
import { engines, freshDatabase } from "../support/databases";
import { labelledDocuments, labelledQueries } from "../support/labelled";
import { testEmbedder } from "../support/embedder";

const embedder = testEmbedder();

/** The defaults a fresh install runs with. */
const settings: SearchSettings = searchSettings(parseConfig({}));

async function localModel(database: DatabaseHandle) {
  return ensureEmbeddingModel(database.db, { provider: "local", name: "all-MiniLM-L6-v2", dimensions: 384 });
}

describe.each(engines)("BM25 keyword search on %s", (engine) => {
  let database: DatabaseHandle;
  let deps: ProcessDependencies;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    database = await freshDatabase(engine);
    deps = { db: database.db, embedder, model: await localModel(database), chunking: { size: 200, overlap: 40 }, reader: testReader() };
    // Indexed as "title content": lengths 4, 3 and 5 words, average 4.
    for (const [title, content] of [
      ["alpha", "cat dog cat"],
      ["beta", "dog fish"],
      ["gamma", "bird bird bird cat"],
    ] as const) {
      ids[title] = (await ingestText(deps, { title, content })).document.id;
    }
  });
  afterAll(() => database.close());

  const scores = async (query: string) =>
    Object.fromEntries(
      (await keywordSearch(database.db, query, { limit: 10, bm25: { k1: 0.9, b: 0.4 } })).map((hit) => [
        Object.keys(ids).find((title) => ids[title] === hit.documentId),
        hit.score,
      ]),
    );

  it("scores a single term as worked out by hand", async () => {
    // N = 3, df(cat) = 2: idf = ln(1 + 1.5 / 2.5) = ln 1.6 = 0.4700036
    // alpha: tf 2, len 4: 0.4700036 · 2·1.9 / (2 + 0.9·(0.6 + 0.4·4/4)) = 0.4700036 · 3.8 / 2.9 = 0.6158668
    // gamma: tf 1, len 5: 0.4700036 · 1.9 / (1 + 0.9·(0.6 + 0.4·5/4)) = 0.4700036 · 1.9 / 1.99 = 0.4487471
    const result = await scores("cats");
    expect(Object.keys(result)).toEqual(["alpha", "gamma"]);
    expect(result.alpha).toBeCloseTo(0.6158668, 6);
    expect(result.gamma).toBeCloseTo(0.4487471, 6);
  });

  it("adds the terms of a longer query and ignores stop words", async () => {
    // bird: df 1, idf = ln(1 + 2.5 / 1.5) = 0.9808293; gamma tf 3: 0.9808293 · 5.7 / (3 + 0.99) = 1.4011847
    const result = await scores("the birds and a cat");
    expect(Object.keys(result)).toEqual(["gamma", "alpha"]);
    expect(result.gamma).toBeCloseTo(0.4487471 + 1.4011847, 6);
    // Top 1: gathered by the rare "bird" alone, 1.85 beats the most "cat" could add (ln 1.6 · 1.9 = 0.893).
    const [top] = await keywordSearch(database.db, "the birds and a cat", { limit: 1, bm25: { k1: 0.9, b: 0.4 } });
    expect(top).toMatchObject({ documentId: ids.gamma, score: expect.closeTo(1.8499318, 6) });
  });

  it("keeps the statistics right after a delete", async () => {
    const [before] = await queryRows<{ chunks: number; words: number }>(database.db, sql`select chunks, words from keyword_corpus`);
    expect({ chunks: Number(before!.chunks), words: Number(before!.words) }).toEqual({ chunks: 3, words: 12 });

    await deleteDocument(database.db, ids.alpha!);
    const [after] = await queryRows<{ chunks: number; words: number }>(database.db, sql`select chunks, words from keyword_corpus`);
    expect({ chunks: Number(after!.chunks), words: Number(after!.words) }).toEqual({ chunks: 2, words: 8 });
    const terms = await queryRows<{ term: string; chunks: number }>(database.db, sql`select term, chunks from keyword_terms order by term`);
    expect(Object.fromEntries(terms.map((t) => [t.term, Number(t.chunks)]))).toEqual({ beta: 1, bird: 1, cat: 1, dog: 1, fish: 1, gamma: 1 });

    // N = 2, df(cat) = 1: idf = ln 2; gamma: 0.6931472 · 1.9 / (1 + 0.9·(0.6 + 0.4·5/4)) = 0.6617988
    const result = await scores("cat");
    expect(Object.keys(result)).toEqual(["gamma"]);
    expect(result.gamma).toBeCloseTo(0.6617988, 6);
  });

  it("indexes a renamed document's chunks under the new title, with the statistics right", async () => {
    await renameDocument(database.db, ids.gamma!, "Owl nest");
    expect(Object.keys(await scores("owl"))).toEqual(["gamma"]);
    expect(await scores("gamma")).toEqual({});

    // "owl nest bird bird bird cat" (6 words) and "beta dog fish" (3).
    const [corpus] = await queryRows<{ chunks: number; words: number }>(database.db, sql`select chunks, words from keyword_corpus`);
    expect({ chunks: Number(corpus!.chunks), words: Number(corpus!.words) }).toEqual({ chunks: 2, words: 9 });
    const terms = await queryRows<{ term: string; chunks: number }>(database.db, sql`select term, chunks from keyword_terms order by term`);
    expect(Object.fromEntries(terms.map((t) => [t.term, Number(t.chunks)]))).toEqual({ beta: 1, bird: 1, cat: 1, dog: 1, fish: 1, nest: 1, owl: 1 });
    const postings = await queryRows<{ term: string; tf: number; length: number }>(
      database.db,
      sql`select b.term, p.tf, p.length from keyword_blocks b, keyword_block_postings(b.data) p
          where p.chunk_id in (select id from chunks where document_id = ${ids.gamma}) order by b.term`,
    );
    expect(postings.map((p) => [p.term, Number(p.tf), Number(p.length)])).toEqual([
      ["bird", 3, 6],
      ["cat", 1, 6],
      ["nest", 1, 6],
      ["owl", 1, 6],
    ]);
  });

  it("finds nothing for a query of stop words or unknown words, without an error", async () => {
    expect(await scores("the and of")).toEqual({});
    expect(await scores("zebra")).toEqual({});
  });

  it("marks the matched words, stemmed as keyword search stems them", async () => {
    const [marks] = await highlightMatches(database.db, "running cats", ["The cat was running; cats run."]);
    const text = "The cat was running; cats run.";
    expect(marks!.map(([start, end]) => text.slice(start, end))).toEqual(["cat", "running", "cats", "run"]);
  });
});

describe.each(engines)("filters on %s", (engine) => {
  let database: DatabaseHandle;
  let model: EmbeddingModel;
  const documentIds: number[] = [];
  // A deterministic spread of 8-dimensional vectors: many more rows than ef_search.
  const vectorFor = (i: number) => Array.from({ length: 8 }, (_, d) => Math.sin(i * (d + 1) * 0.37) + 0.01 * d);

  beforeAll(async () => {
    database = await freshDatabase(engine);
    model = await ensureEmbeddingModel(database.db, { provider: "test", name: "synthetic-8", dimensions: 8 });
    for (let d = 0; d < 20; d++) {
      const [doc] = await database.db
        .insert(documents)
        .values({ title: `doc ${d}`, contentHash: `hash-${d}`, status: "ready", format: d % 4 === 0 ? "markdown" : "text" })
        .returning();
      documentIds.push(doc!.id);
      const rows = await database.db
        .insert(chunks)
        .values(
          Array.from({ length: 100 }, (_, i) => ({
            documentId: doc!.id,
            ordinal: i,
            content: `shared words in chunk ${i} of document ${d}`,
            tokenCount: 8,
            searchVector: sql`to_tsvector('english', ${`shared words in chunk ${i} of document ${d}`})`,
          })),
        )
        .returning({ id: chunks.id });
      await database.db
        .insert(chunkEmbeddings)
        .values(rows.map((row, i) => ({ chunkId: row.id, modelId: model.id, embedding: vectorFor(d * 100 + i) })));
    }
    await database.db.execute(sql`analyze`);
  });
  afterAll(() => database.close());

  it("semantic search walks the index until k chunks pass the filter", async () => {
    const only = documentIds[7]!;
    const query = vectorFor(12345);

    const hits = await semanticSearch(database.db, model, query, { limit: 10, efSearch: 10, filters: { documentIds: [only] } });
    expect(hits).toHaveLength(10);
    expect(new Set(hits.map((h) => h.documentId))).toEqual(new Set([only]));
    const similarities = hits.map((h) => h.score);
    expect([...similarities].sort((a, b) => b - a)).toEqual(similarities);
  });

  // VECTOR_INDEX_TYPE: the index is rebuilt beside the old one and swapped in
  // with the model's row, so searches always cast to the type that is indexed.
  it("rebuilds the index as halfvec and back, and search walks whichever is there", async () => {
    const query = vectorFor(4242);
    const indexOf = async (name: string) =>
      (await queryRows<{ indexdef: string }>(database.db, sql`select indexdef from pg_indexes where indexname = ${name}`))[0]?.indexdef;
    const planOf = async (m: EmbeddingModel) =>
      (await queryRows<{ "QUERY PLAN": string }>(database.db, sql`explain ${semanticSearchQuery(m, query, 10, undefined, { settings: { efSearch: 40 } })}`))
        .map((row) => row["QUERY PLAN"])
        .join("\n");
    const full = await semanticSearch(database.db, model, query, { limit: 10, efSearch: 100 });

    const half = await ensureEmbeddingModel(database.db, { provider: "test", name: "synthetic-8", dimensions: 8, indexType: "halfvec" });
    expect(half.indexType).toBe("halfvec");
    expect(await indexOf(hnswIndexName(model))).toMatch(/hnsw \(\(\(embedding\)::halfvec\(8\)\) halfvec_cosine_ops\)/);
    expect(await indexOf(`${hnswIndexName(model)}_next`)).toBeUndefined();
    expect(await planOf(half)).toContain(`Index Scan using ${hnswIndexName(model)}`);
    const halfHits = await semanticSearch(database.db, half, query, { limit: 10, efSearch: 100 });
    // Two-byte floats move similarities by about a thousandth, so what halfvec ranks first is, at
    // full precision, among the five nearest to that thousandth. (Not always the same
    // chunks: these sine-made vectors come back almost exactly every 917 rows, near-twins that
    // rounding may swap, as a CI run once did.)
    const exact = new Map(
      (
        await queryRows<{ chunk_id: number; similarity: number }>(database.db, sql`
          select chunk_id, 1 - (embedding <=> ${JSON.stringify(query)}::vector) as similarity from chunk_embeddings
          where model_id = ${model.id} and chunk_id = any(${`{${halfHits.map((h) => h.chunkId).join(",")}}`}::int[])`)
      ).map((row) => [Number(row.chunk_id), Number(row.similarity)]),
    );
    halfHits.slice(0, 5).forEach((hit) => {
      expect(hit.score).toBeCloseTo(exact.get(hit.chunkId)!, 2);
      expect(exact.get(hit.chunkId)).toBeGreaterThan(full[4]!.score - 0.002);
    });
    // Registered again without a wish (a re-embed, an evaluation), the model keeps its index.
    expect((await ensureEmbeddingModel(database.db, { provider: "test", name: "synthetic-8", dimensions: 8 })).indexType).toBe("halfvec");

    const back = await ensureEmbeddingModel(database.db, { provider: "test", name: "synthetic-8", dimensions: 8, indexType: "vector" });
    expect(back.indexType).toBe("vector");
    expect(await indexOf(hnswIndexName(model))).toMatch(/vector\(8\)\) vector_cosine_ops/);
    expect(await planOf(back)).toContain(`Index Scan using ${hnswIndexName(model)}`);
    // A rebuilt graph is another graph (HNSW draws each node's level at random), so only the nearest are certain.
    expect((await semanticSearch(database.db, back, query, { limit: 10, efSearch: 100 })).slice(0, 5)).toEqual(full.slice(0, 5));

    // pgvector indexes vector only up to 2,000 dimensions: a larger model is always halfvec.
    const wide = await ensureEmbeddingModel(database.db, { provider: "test", name: "synthetic-2500", dimensions: 2500, indexType: "vector" });
    expect(wide.indexType).toBe("halfvec");
    expect(await indexOf(hnswIndexName(wide))).toMatch(/halfvec\(2500\)\) halfvec_cosine_ops/);
  });

  it("rebuilds at start an index built with other graph settings: pgvector's defaults before ef_construction 128, or HNSW_M changed", async () => {
    const query = vectorFor(777);
    const name = hnswIndexName(model);
    const optionsOf = async () =>
      (await queryRows<{ options: string[] | null }>(database.db, sql`select reloptions as options from pg_class where relname = ${name}`))[0]?.options;
    expect(await optionsOf()).toEqual([`m=${DEFAULT_HNSW_GRAPH.m}`, `ef_construction=${DEFAULT_HNSW_GRAPH.efConstruction}`]);
    const before = await semanticSearch(database.db, model, query, { limit: 10, efSearch: 100 });
    // As every index was built until then: pgvector's defaults.
    await database.db.execute(sql.raw(`drop index ${name}`));
    await database.db.execute(sql.raw(`create index ${name} on chunk_embeddings using hnsw ((embedding::vector(8)) vector_cosine_ops) where model_id = ${model.id}`));
    expect(await optionsOf()).toBeNull();

    const registered = await ensureEmbeddingModel(database.db, { provider: "test", name: "synthetic-8", dimensions: 8 });
    expect(registered.indexType).toBe("vector");
    expect(await optionsOf()).toEqual([`m=${DEFAULT_HNSW_GRAPH.m}`, `ef_construction=${DEFAULT_HNSW_GRAPH.efConstruction}`]);
    expect((await semanticSearch(database.db, registered, query, { limit: 10, efSearch: 100 })).slice(0, 5)).toEqual(before.slice(0, 5));

    // A large library's setting: a denser graph, built beside the old one; starting again with it builds nothing.
    const denser = hnswGraph(parseConfig({ HNSW_M: "24", HNSW_EF_CONSTRUCTION: "96" }));
    const spec = { provider: "test", name: "synthetic-8", dimensions: 8, graph: denser };
    await ensureEmbeddingModel(database.db, spec);
    expect(await optionsOf()).toEqual(["m=24", "ef_construction=96"]);
    const oid = async () => (await queryRows<{ oid: number }>(database.db, sql`select oid::int from pg_class where relname = ${name}`))[0]?.oid;
    const built = await oid();
    await ensureEmbeddingModel(database.db, spec);
    expect(await oid()).toBe(built);
    expect((await semanticSearch(database.db, registered, query, { limit: 10, efSearch: 100 })).slice(0, 5)).toEqual(before.slice(0, 5));
    await ensureEmbeddingModel(database.db, { provider: "test", name: "synthetic-8", dimensions: 8 });
    expect(await optionsOf()).toEqual([`m=${DEFAULT_HNSW_GRAPH.m}`, `ef_construction=${DEFAULT_HNSW_GRAPH.efConstruction}`]);
  });

  it("semantic and keyword search keep to file type and date filters and still fill k", async () => {
    const markdown = new Set(documentIds.filter((_, d) => d % 4 === 0));
    const plan = await queryRows<Record<string, string>>(
      database.db,
      sql`explain ${semanticSearchQuery(model, vectorFor(999), 25, { formats: ["markdown"] })}`,
    );
    expect(plan.map((r) => Object.values(r)[0]).join("\n")).toContain(hnswIndexName(model));
    const semantic = await semanticSearch(database.db, model, vectorFor(999), {
      limit: 25,
      efSearch: 10,
      filters: { formats: ["markdown"] },
    });
    expect(semantic).toHaveLength(25);
    expect(semantic.every((h) => markdown.has(h.documentId))).toBe(true);

    const keyword = await keywordSearch(database.db, "shared words", { limit: 25, filters: { formats: ["markdown"] } });
    expect(keyword).toHaveLength(25);
    expect(keyword.every((h) => markdown.has(h.documentId) && h.documentFormat === "markdown")).toBe(true);

    const future = new Date(Date.now() + 86_400_000);
    expect(await keywordSearch(database.db, "shared", { limit: 5, filters: { createdAfter: future } })).toEqual([]);
    expect(await keywordSearch(database.db, "shared", { limit: 5, filters: { createdBefore: future } })).toHaveLength(5);
  });
});

describe.each(engines)("search modes on a labelled set, %s", (engine) => {
  let database: DatabaseHandle;
  let deps: ProcessDependencies;
  const keyById = new Map<number, string>();

  beforeAll(async () => {
    database = await freshDatabase(engine);
    deps = { db: database.db, embedder, model: await localModel(database), chunking: { size: 200, overlap: 40 }, reader: testReader() };
    for (const [i, [key, content]] of Object.entries(labelledDocuments).entries()) {
      const { document } = await ingestText(deps, { title: `Document ${i + 1}`, content });
      keyById.set(document.id, key);
    }
  });
  afterAll(() => database.close());

  const evaluate = async (mode: SearchMode) => {
    const run = new Map<string, string[]>();
    for (const { query } of labelledQueries) {
      const results = await search(deps, { query, mode, topK: 10 }, settings);
      run.set(query, results.map((r) => keyById.get(r.hit.documentId)!));
    }
    const qrels = new Map(labelledQueries.map(({ query, relevant }) => [query, new Map([[relevant, 1]])]));
    return scoreRun(run, qrels);
  };

  it("hybrid is at least as good as semantic or keyword alone", async () => {
    const semantic = await evaluate("semantic");
    const keyword = await evaluate("keyword");
    const hybrid = await evaluate("hybrid");
    console.log(`labelled set on ${engine}: nDCG@10 semantic ${semantic.ndcg10.toFixed(3)}, keyword ${keyword.ndcg10.toFixed(3)}, hybrid ${hybrid.ndcg10.toFixed(3)}`);
    expect(hybrid.ndcg10).toBeGreaterThanOrEqual(semantic.ndcg10);
    expect(hybrid.ndcg10).toBeGreaterThanOrEqual(keyword.ndcg10);
    expect(hybrid.mrr10).toBeGreaterThanOrEqual(Math.max(semantic.mrr10, keyword.mrr10));
  });

  it("reports each retriever's rank in hybrid results and applies the minimum score", async () => {
    const results = await search(deps, { query: "Zephyr 3000 vacuum warranty", mode: "hybrid", topK: 5 }, settings);
    expect(keyById.get(results[0]!.hit.documentId)).toBe("warranty");
    expect(results[0]!.components).toMatchObject({ semantic: { rank: 1 }, keyword: { rank: 1 } });
    expect(results[0]!.score).toBeGreaterThan(results[1]!.score);
    expect(results[0]!.score).toBeLessThanOrEqual(1);

    const strict = await search(deps, { query: "Zephyr 3000 vacuum warranty", mode: "semantic", topK: 10, minScore: 0.3 }, settings);
    expect(strict.length).toBeGreaterThan(0);
    expect(strict.length).toBeLessThan(10);
    expect(strict.every((r) => r.score >= 0.3)).toBe(true);
  });

  it("refuses a query vector outside semantic mode", async () => {
    await expect(search(deps, { vector: new Array(384).fill(0.1), mode: "keyword", topK: 5 }, settings)).rejects.toThrow(
      /semantic mode/,
    );
  });
});

describe.each(engines)("semantic search past rows it cannot return, on %s", (engine) => {
  let database: DatabaseHandle;
  let model: EmbeddingModel;
  let kept: number;
  const dimensions = 8;
  // Deterministic noise, so a failure reproduces.
  const noise = (seed: number) => Array.from({ length: dimensions }, (_, d) => Math.sin(seed * 12.9898 + d * 78.233) * 0.5);
  const query = Array.from({ length: dimensions }, (_, d) => (d === 0 ? 5 : 0));
  const nearQuery = (seed: number) => noise(seed).map((value, d) => (d === 0 ? 5 : value * 0.1));

  async function documentWith(title: string, status: "ready" | "parsing", vectors: number[][]) {
    const [doc] = await database.db.insert(documents).values({ title, contentHash: title, status, format: "text" }).returning();
    for (let start = 0; start < vectors.length; start += 1000) {
      const rows = await database.db
        .insert(chunks)
        .values(
          vectors
            .slice(start, start + 1000)
            .map((_, i) => ({ documentId: doc!.id, ordinal: start + i, content: `${title} ${start + i}`, tokenCount: 2 })),
        )
        .returning({ id: chunks.id });
      await database.db
        .insert(chunkEmbeddings)
        .values(rows.map((row, i) => ({ chunkId: row.id, modelId: model.id, embedding: vectors[start + i]! })));
    }
    return doc!.id;
  }

  beforeAll(async () => {
    database = await freshDatabase(engine);
    model = await ensureEmbeddingModel(database.db, { provider: "test", name: "synthetic-8", dimensions });
    kept = await documentWith("kept", "ready", Array.from({ length: 20 }, (_, i) => noise(i + 1)));
  });
  afterAll(() => database.close());

  // pgvector's iterative scan gives up after 20,000 candidates
  // (hnsw.max_scan_tuples) and returns what it has: chunks of a document still
  // being stored are in the graph, and deleted ones stay there until VACUUM.
  it("finds the live chunks while 21,000 nearer ones are being stored, and after they were deleted", async () => {
    const storing = await documentWith("storing", "parsing", Array.from({ length: 21_000 }, (_, i) => nearQuery(i + 100)));
    // As autovacuum would after such an insert: the planner then walks the index.
    await database.db.execute(sql`analyze`);
    const whileStoring = await semanticSearch(database.db, model, query, { limit: 10, efSearch: 40 });
    expect(whileStoring.map((hit) => hit.documentId)).toEqual(Array(10).fill(kept));
    const similarities = whileStoring.map((hit) => hit.score);
    expect([...similarities].sort((a, b) => b - a)).toEqual(similarities);

    await deleteDocument(database.db, storing);
    const afterDelete = await semanticSearch(database.db, model, query, { limit: 10, efSearch: 40 });
    expect(afterDelete).toEqual(whileStoring);
  }, 300_000);
});
