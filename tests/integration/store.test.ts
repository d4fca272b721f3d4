import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type DatabaseHandle } from "@/lib/db/client";
import { ensureEmbeddingModel, hnswIndexName } from "@/lib/db/embedding-models";
import { chunkEmbeddings, chunks, documents, documentSources, embeddingModels, type EmbeddingModel } from "@/lib/db/schema";
import { InputError } from "@/lib/errors";
import { deleteDocument, getDocument, listDocuments, renameDocument } from "@/lib/documents/library";
import { ingestText } from "@/lib/ingest/ingest";
import { processDocument, type ProcessDependencies } from "@/lib/ingest/process";
import { claim, enqueue, markFailed } from "@/lib/ingest/queue";
import { readSource, SOURCE_PART_BYTES } from "@/lib/ingest/source";
import { keywordSearch } from "@/lib/retrieve/keyword";
import type { Embedder } from "@/lib/providers/embedding";
import { semanticSearch, semanticSearchQuery } from "@/lib/retrieve/semantic";
import { testReader } from "../support/reader";
import { semanticByText } from "../support/search";
import { corpus, paraphrases, type Topic } from "../support/corpus";
import { engines, freshDatabase } from "../support/databases";
import { testEmbedder } from "../support/embedder";

const embedder = testEmbedder();

describe.each(engines)("storage and retrieval on %s", (engine) => {
  let database: DatabaseHandle;
  let model: EmbeddingModel;
  let deps: ProcessDependencies;
  const ids = new Map<Topic, number>();

  beforeAll(async () => {
    database = await freshDatabase(engine);
    model = await ensureEmbeddingModel(database.db, { provider: "local", name: "all-MiniLM-L6-v2", dimensions: 384 });
    deps = { db: database.db, embedder, model, chunking: { size: 200, overlap: 40 }, reader: testReader() };
    for (const [topic, content] of Object.entries(corpus)) {
      const result = await ingestText(deps, { content, title: topic });
      ids.set(topic as Topic, result.document.id);
    }
  });
  afterAll(() => database.close());

  it("migrates an empty database: extension, tables, trigger", async () => {
    const [row] = await queryRows<{ vector: string | null; tables: number; trigger: number }>(database.db, sql`
      select (select extversion from pg_extension where extname = 'vector') as vector,
             (select count(*)::int from information_schema.tables where table_schema = 'public'
               and table_name in ('documents', 'chunks', 'embedding_models', 'chunk_embeddings')) as tables,
             (select count(*)::int from pg_trigger where tgname = 'chunk_embeddings_dimensions') as trigger`);
    expect(row!.vector).toMatch(/^0\.[89]\./);
    expect(row!.tables).toBe(4);
    expect(row!.trigger).toBe(1);
  });

  it("creates the model's HNSW index once and searches through it", async () => {
    const again = await ensureEmbeddingModel(database.db, { provider: "local", name: "all-MiniLM-L6-v2", dimensions: 384 });
    expect(again.id).toBe(model.id);
    const indexes = await queryRows<{ indexdef: string }>(
      database.db,
      sql`select indexdef from pg_indexes where indexname = ${hnswIndexName(model)}`,
    );
    expect(indexes).toHaveLength(1);
    expect(indexes[0]!.indexdef).toMatch(
      /USING hnsw \(\(\(?embedding\)?::vector\(384\)\) vector_cosine_ops\) WITH \(m='16', ef_construction='128'\) WHERE \(model_id = \d+\)/,
    );

    const query = await embedder.embedQuery("anything");
    const plan = await database.db.transaction(async (tx) => {
      // A dozen rows are cheaper to sort than to look up: make the planner show
      // which index it would use at scale.
      await tx.execute(sql`set local enable_sort = off`);
      return queryRows<Record<string, string>>(tx, sql`explain ${semanticSearchQuery(model, query, 5)}`);
    });
    expect(plan.map((r) => Object.values(r)[0]).join("\n")).toContain(hnswIndexName(model));
  });

  it("ranks the paraphrased paragraph first for every query", async () => {
    for (const { query, expected } of paraphrases) {
      const [best] = await semanticByText(deps, query, 3);
      expect({ query, documentId: best?.documentId }).toEqual({ query, documentId: ids.get(expected) });
    }
  });

  it("returns top_k results, best first, with similarity = 1 − cosine distance", async () => {
    const query = "coffee brewing under pressure";
    const hits = await semanticByText(deps, query, 5);
    expect(hits).toHaveLength(5);
    const similarities = hits.map((h) => h.score);
    expect([...similarities].sort((a, b) => b - a)).toEqual(similarities);
    const q = await embedder.embedQuery(query);
    const [top] = await database.db.select().from(chunkEmbeddings).where(eq(chunkEmbeddings.chunkId, hits[0]!.chunkId));
    const cosine = q.reduce((sum, x, i) => sum + x * top!.embedding[i]!, 0);
    expect(hits[0]!.score).toBeCloseTo(cosine, 4);
  });

  it("round-trips vectors through the custom column type", async () => {
    const [row] = await database.db.select().from(chunkEmbeddings).limit(1);
    expect(row!.embedding).toHaveLength(384);
    expect(Math.hypot(...row!.embedding)).toBeCloseTo(1, 4);
  });

  it("collapses the same text into one document, also when sent at the same time", async () => {
    const again = await ingestText(deps, { content: `  ${corpus.espresso}\n` });
    expect(again).toMatchObject({ duplicate: true, document: { id: ids.get("espresso") } });

    const fresh = "Concurrent uploads of one text must leave exactly one document behind.";
    const results = await Promise.all([ingestText(deps, { content: fresh }), ingestText(deps, { content: fresh })]);
    expect(results.map((r) => r.duplicate).sort()).toEqual([false, true]);
    expect(results[0]!.document.id).toBe(results[1]!.document.id);
    expect(await database.db.$count(documents, eq(documents.content, fresh))).toBe(1);
  });

  it("deletes a document with its chunks and embeddings, and it never shows up in search again", async () => {
    const { document } = await ingestText(deps, {
      content: "Glaciers carve U-shaped valleys as they grind slowly downhill over thousands of years.",
    });
    const [hit] = await semanticByText(deps, "How do ice sheets shape valleys?", 1);
    expect(hit!.documentId).toBe(document.id);
    const chunkIds = (await database.db.select().from(chunks).where(eq(chunks.documentId, document.id))).map((c) => c.id);
    expect(chunkIds.length).toBeGreaterThan(0);

    await deleteDocument(database.db, document.id);
    await expect(deleteDocument(database.db, document.id)).rejects.toMatchObject({ code: "not_found", status: 404 });
    await expect(getDocument(database.db, document.id)).rejects.toMatchObject({ code: "not_found", status: 404 });
    expect(await database.db.$count(chunks, eq(chunks.documentId, document.id))).toBe(0);
    for (const chunkId of chunkIds) {
      expect(await database.db.$count(chunkEmbeddings, eq(chunkEmbeddings.chunkId, chunkId))).toBe(0);
    }
    const after = await semanticByText(deps, "How do ice sheets shape valleys?", 20);
    expect(after.map((h) => h.documentId)).not.toContain(document.id);
  });

  it("keeps each model's count of stored vectors, through inserts and cascaded deletes", async () => {
    const counted = async () => (await database.db.query.embeddingModels.findFirst({ where: eq(embeddingModels.id, model.id) }))!.embeddings;
    const before = await counted();
    expect(before).toBe(await database.db.$count(chunkEmbeddings, eq(chunkEmbeddings.modelId, model.id)));
    const { document } = await ingestText(deps, { content: "Otters crack shellfish open with stones they keep in a pouch of skin." });
    expect(await counted()).toBe(before + document.chunksTotal);
    await deleteDocument(database.db, document.id);
    expect(await counted()).toBe(before);
  });

  it("refuses a vector of the wrong dimension, in the app and in the database", async () => {
    await expect(semanticSearch(database.db, model, [0.1, 0.2, 0.3], { limit: 5, efSearch: 40 })).rejects.toThrow(
      new InputError("dimension_mismatch", "The vector has 3 dimensions, but the embedding model all-MiniLM-L6-v2 makes 384-dimensional vectors."),
    );
    const [chunk] = await database.db.select().from(chunks).limit(1);
    const insert = database.db
      .insert(chunkEmbeddings)
      .values({ chunkId: chunk!.id, modelId: model.id, embedding: [1, 2, 3] })
      .onConflictDoUpdate({ target: [chunkEmbeddings.chunkId, chunkEmbeddings.modelId], set: { embedding: [1, 2, 3] } });
    const error = (await insert.then(
      () => undefined,
      (e: unknown) => e,
    )) as (Error & { cause?: Error }) | undefined;
    expect(error).toBeInstanceOf(Error);
    expect(`${error!.message} ${error!.cause?.message ?? ""}`).toMatch(/embedding has 3 dimensions but embedding model \d+ expects 384/);
  });

  it("leaves no partial chunks when the embedder fails half-way, marks the document failed, and a retry succeeds", async () => {
    let batches = 0;
    const failing: Embedder = {
      ...embedder,
      embedDocuments: async (texts) => {
        if (++batches === 2) throw new Error("embedder down");
        return embedder.embedDocuments(texts);
      },
    };
    const content = Array.from({ length: 300 }, (_, i) => `Section ${i} of the maintenance manual explains one more step.`).join("\n\n");
    await expect(ingestText({ ...deps, embedder: failing }, { content, title: "Manual" })).rejects.toThrow("embedder down");
    expect(batches).toBe(2);

    const [failed] = await database.db.select().from(documents).where(eq(documents.title, "Manual"));
    expect(failed).toMatchObject({ status: "failed", error: "embedder down" });
    expect(failed!.chunksTotal).toBeGreaterThan(16);
    expect(await database.db.$count(chunks, eq(chunks.documentId, failed!.id))).toBe(0);

    const retried = await ingestText(deps, { content, title: "Manual" });
    expect(retried).toMatchObject({ duplicate: false, document: { id: failed!.id, status: "ready", error: null } });
    expect(await database.db.$count(chunks, eq(chunks.documentId, failed!.id))).toBe(retried.document.chunksTotal);
  });

  it("stores a document of many chunks in steps, unseen by search until it is ready, and clears what a crashed attempt left", async () => {
    const content = Array.from({ length: 700 }, (_, i) => `Ledger entry ${i} records one more quokka sighting by the river, with the time and the weather.`).join("\n\n");
    const queued = await enqueue(database.db, { bytes: new TextEncoder().encode(content), format: "text", title: "Quokka ledger" });
    const id = queued.document.id;
    const claimed = (await claim(database.db, id))!;
    // What an attempt that crashed half-way through storing leaves behind.
    await database.db.insert(chunks).values({ documentId: id, ordinal: 9999, content: "quokka leftover", tokenCount: 2, searchVector: sql`to_tsvector('english', 'quokka leftover')` });
    const quokkaHits = async () => (await keywordSearch(database.db, "quokka", { limit: 500 })).filter((hit) => hit.documentId === id);
    expect(await quokkaHits()).toEqual([]);

    const outcome = await processDocument(deps, claimed);
    expect(outcome.status).toBe("ready");
    const stored = await getDocument(database.db, id);
    expect(stored!.chunksTotal).toBeGreaterThan(64);
    expect(stored!.chunks.map((c) => c.ordinal)).toEqual(Array.from({ length: stored!.chunksTotal }, (_, i) => i));
    expect(await database.db.$count(chunkEmbeddings, sql`${chunkEmbeddings.chunkId} in (select id from chunks where document_id = ${id})`)).toBe(stored!.chunksTotal);
    expect((await quokkaHits()).length).toBe(stored!.chunksTotal);
  });

  it("keeps an uploaded file byte for byte across its stored parts, every byte value included", async () => {
    // Bytes that are neither text nor valid UTF-8, across three parts, the last one short.
    const bytes = Uint8Array.from({ length: SOURCE_PART_BYTES * 2 + 1234 }, (_, i) => (i * 131 + (i >> 8)) % 256);
    const queued = await enqueue(database.db, { bytes, format: "pdf", filename: "binary.pdf" });
    expect(await database.db.$count(documentSources, eq(documentSources.documentId, queued.document.id))).toBe(3);
    const read = await readSource(database.db, queued.document);
    expect(read?.byteLength).toBe(bytes.byteLength);
    expect(Buffer.compare(Buffer.from(read!), Buffer.from(bytes))).toBe(0);
    await deleteDocument(database.db, queued.document.id);
  });

  it("keeps a title given while the document was being read, and indexes its chunks under it", async () => {
    const queued = await enqueue(database.db, { bytes: new TextEncoder().encode("# Draft heading\n\nA numbat forages for termites at dawn."), format: "markdown" });
    const claimed = (await claim(database.db, queued.document.id))!;
    await renameDocument(database.db, queued.document.id, "Numbat field notes");
    expect((await processDocument(deps, claimed)).status).toBe("ready");
    expect((await getDocument(database.db, queued.document.id))!.title).toBe("Numbat field notes");
    expect((await keywordSearch(database.db, "field notes", { limit: 5 })).map((hit) => hit.documentId)).toContain(queued.document.id);
  });

  it("removes the chunks a failed document had stored", async () => {
    const queued = await enqueue(database.db, { bytes: new TextEncoder().encode("A wombat census, cut short."), format: "text" });
    const claimed = (await claim(database.db, queued.document.id))!;
    await database.db.insert(chunks).values({ documentId: queued.document.id, ordinal: 0, content: "wombat", tokenCount: 1, searchVector: sql`to_tsvector('english', 'wombat')` });
    await markFailed(database.db, claimed, "The reader stopped.");
    expect(await database.db.$count(chunks, eq(chunks.documentId, queued.document.id))).toBe(0);
  });

  it("splits a long text into ordered chunks that fit the model", async () => {
    const long = Array.from({ length: 60 }, (_, i) => `Paragraph ${i} explains one more detail of the long report.`).join("\n\n");
    const result = await ingestText(deps, { content: long, title: "Long report" });
    expect(result.document.chunksTotal).toBeGreaterThan(2);
    const stored = await getDocument(database.db, result.document.id);
    expect(stored!.chunks.map((c) => c.ordinal)).toEqual(Array.from({ length: result.document.chunksTotal }, (_, i) => i));
    for (const chunk of stored!.chunks) expect(chunk.tokenCount).toBeLessThanOrEqual(200);
    const listed = await listDocuments(database.db, { limit: 1, offset: 0 });
    expect(listed.documents[0]).toMatchObject({ title: "Long report", chunksTotal: result.document.chunksTotal, status: "ready" });
  });

  it("refuses text that is empty once invisible characters are removed", async () => {
    await expect(ingestText(deps, { content: " \u200B\n " })).rejects.toMatchObject({ code: "empty_content", status: 422 });
  });
});
