import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusteredVectors } from "@/lib/bench/clustered-vectors";
import { loadSyntheticLibrary } from "@/lib/bench/synthetic-library";
import { queryRows } from "@/lib/db/client";
import { hnswIndexName } from "@/lib/db/embedding-models";
import { DEFAULT_HNSW_GRAPH } from "@/lib/db/hnsw-graph";
import { documents } from "@/lib/db/schema";
import type { ScratchDatabase } from "@/lib/db/scratch";
import { processingVersion } from "@/lib/ingest/process";
import { keywordSearch } from "@/lib/retrieve/keyword";
import { VACUUMING_PAGE } from "../support/answers";
import { engines, freshDatabase } from "../support/databases";
import { testEmbedder } from "../support/embedder";
import { exhaustiveBm25 } from "../support/exhaustive-bm25";
import { keywordBlockProblems } from "../support/keyword-blocks";

/**
 * The benchmarks' figures are only as good as the library they load: bulk SQL
 * and binary COPY must leave exactly what uploads would (each chunk's vector,
 * its postings blocks and the corpus statistics, its HNSW index, sequences past the
 * given ids), or recall and latency would be measured on something else.
 */
const embedder = testEmbedder();
const words = VACUUMING_PAGE.replace(/<[^>]+>/g, " ").replace(/&[a-z]+;/g, " ").split(/\s+/).filter(Boolean);
const passages = Array.from({ length: Math.floor(words.length / 60) }, (_, i) => words.slice(i * 60, i * 60 + 60).join(" "));
const COUNT = 1234;

describe.each(engines)("the benchmarks' bulk loader on %s", (engine) => {
  let database: ScratchDatabase;
  const vectors = clusteredVectors({ count: COUNT, dimensions: 384, clusters: 12, seed: 5 });

  beforeAll(async () => {
    database = await freshDatabase(engine);
  });
  afterAll(() => database.close());

  it("stores chunk n as id n + 1 with vector n, postings and statistics as uploads get them, and its vector index", async () => {
    const library = await loadSyntheticLibrary(database, embedder, vectors, passages, processingVersion({ size: 200, overlap: 40 }), {
      type: "halfvec",
      graph: DEFAULT_HNSW_GRAPH,
    });
    const { db } = database;

    for (const n of [0, 617, COUNT - 1]) {
      const [row] = await queryRows<{ document_id: number; content: string; embedding: string }>(
        db,
        sql`select c.document_id, c.content, e.embedding::text as embedding
            from chunks c join chunk_embeddings e on e.chunk_id = c.id where c.id = ${n + 1}`,
      );
      expect(row!.document_id).toBe(Math.floor(n / 10) + 1);
      expect(row!.content).toBe(passages[n % passages.length]);
      // float4 both ways: the text form of each stored number reads back to the very float sent.
      const stored = JSON.parse(row!.embedding) as number[];
      expect(stored.map(Math.fround)).toEqual(Array.from(vectors.data.subarray(n * 384, (n + 1) * 384)));
    }

    const [counts] = await queryRows<Record<string, number>>(
      db,
      sql`select (select count(*)::int from chunk_embeddings) as vectors,
                 (select sum(postings)::int from keyword_blocks) as postings,
                 (select count(*)::int from chunks c, unnest(c.search_vector)) as lexemes,
                 (select chunks::int from keyword_corpus) as corpus_chunks,
                 (select words::int from keyword_corpus) as corpus_words,
                 (select sum(search_length)::int from chunks) as words,
                 (select embeddings::int from embedding_models where id = ${library.model.id}) as model_vectors`,
    );
    expect(counts).toEqual({
      vectors: COUNT,
      postings: counts!.lexemes,
      lexemes: counts!.lexemes,
      corpus_chunks: COUNT,
      corpus_words: counts!.words,
      words: counts!.words,
      model_vectors: COUNT,
    });
    expect(counts!.lexemes).toBeGreaterThan(COUNT * 20);

    for (const query of ["how does vacuum recover disk space", "transaction ID wraparound failures", "visibility map"]) {
      const fast = await keywordSearch(db, query, { limit: 10 });
      const slow = await exhaustiveBm25(db, query, { limit: 10 });
      expect(fast.map((hit) => hit.chunkId), query).toEqual(slow.map((hit) => hit.chunkId));
    }

    expect(await keywordBlockProblems(db)).toEqual([]);

    const indexes = await queryRows<{ indexname: string; indexdef: string }>(
      db,
      sql`select indexname, indexdef from pg_indexes where indexname = ${hnswIndexName(library.model)}`,
    );
    expect(indexes[0]?.indexdef).toContain("halfvec_cosine_ops");
    expect(library.model.indexType).toBe("halfvec");

    // Rows the app adds afterwards get ids past the loaded ones.
    const [added] = await db.insert(documents).values({ title: "after", contentHash: "after-the-load", status: "ready" }).returning({ id: documents.id });
    expect(added!.id).toBe(Math.ceil(COUNT / 10) + 1);
  }, 120_000);
});
