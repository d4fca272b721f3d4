import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUserMessage, createConversation, getConversation, saveAnswer } from "@/lib/conversations/store";
import { queryRows, type DatabaseHandle } from "@/lib/db/client";
import { ensureEmbeddingModel } from "@/lib/db/embedding-models";
import { chunks, documents, documentSources, type EmbeddingModel } from "@/lib/db/schema";
import { processingVersion, type ProcessDependencies } from "@/lib/ingest/process";
import { enqueue } from "@/lib/ingest/queue";
import { reprocessNext, reprocessProgress } from "@/lib/ingest/reprocess";
import { queueUploads } from "@/lib/ingest/uploads";
import { startIngestWorker } from "@/lib/ingest/worker";
import type { Embedder } from "@/lib/providers/embedding";
import { search, type SearchSettings } from "@/lib/retrieve/search";
import { testReader } from "../support/reader";
import { engines, freshDatabase } from "../support/databases";
import { gatedEmbedder, testEmbedder } from "../support/embedder";

const realEmbedder = testEmbedder();

const chunking = { size: 200, overlap: 40 };
const settings: SearchSettings = { fusion: "convex", weights: { semantic: 1, keyword: 1 }, efSearch: 100, bm25: { k1: 0.9, b: 0.4 } };

/** A manual page as its source file wraps it: the earlier parser stored these line breaks mid-sentence. */
const page = `<html><head><title>25.1. Routine Vacuuming</title></head><body><div class="sect1">
<h2>25.1. Routine Vacuuming</h2><p>If you have such a table and you need to reclaim the excess
disk space it occupies, you will need to use VACUUM FULL, or alternatively CLUSTER
or one of the table-rewriting variants of ALTER TABLE.</p></div></body></html>`;

/** What an earlier pgrag stored for that page: its lines as the file broke them, no title of its own. */
const oldText = "If you have such a table and you need to reclaim the excess\ndisk space it occupies, you will need to use VACUUM FULL, or alternatively CLUSTER";

describe.each(engines)("reading stored documents again on %s", (engine) => {
  let database: DatabaseHandle;
  let model: EmbeddingModel;
  const deps = (embedder: Embedder = realEmbedder): ProcessDependencies => ({ db: database.db, model, embedder, chunking, reader: testReader() });
  const document = async (id: number) => (await database.db.query.documents.findFirst({ where: eq(documents.id, id) }))!;
  const chunkTexts = async (id: number) =>
    (await database.db.select({ content: chunks.content }).from(chunks).where(eq(chunks.documentId, id)).orderBy(chunks.ordinal)).map((c) => c.content);

  beforeAll(async () => {
    database = await freshDatabase(engine);
    model = await ensureEmbeddingModel(database.db, { provider: "local", name: "all-MiniLM-L6-v2", dimensions: 384 });
  });
  afterAll(() => database.close());

  /** Ingests the page, then makes it look as an earlier version left it. */
  async function storedByEarlierVersion(): Promise<number> {
    const [queued] = await queueUploads(database.db, [{ filename: "routine-vacuuming.html", bytes: new TextEncoder().encode(page), tooLarge: false }], {
      maxBytes: 1024 * 1024,
    });
    const id = "document" in queued! ? queued.document.id : 0;
    const worker = startIngestWorker(async () => deps(), { concurrency: 1, pollMs: 50 });
    await worker.idle();
    await worker.stop();
    const [vector] = await realEmbedder.embedDocuments([oldText]);
    await database.db.transaction(async (tx) => {
      await tx.delete(chunks).where(eq(chunks.documentId, id));
      const [old] = await tx
        .insert(chunks)
        .values({ documentId: id, ordinal: 0, content: oldText, tokenCount: 30, searchVector: sql`to_tsvector('english', ${oldText})` })
        .returning();
      await tx.execute(sql`insert into chunk_embeddings (chunk_id, model_id, embedding) values (${old!.id}, ${model.id}, ${JSON.stringify(vector)})`);
      await tx.update(documents).set({ processedWith: null, title: "routine vacuuming", content: oldText }).where(eq(documents.id, id));
    });
    return id;
  }

  it("replaces an old document's chunks with the new parser's in one step, keeps search on the old ones until then, and keeps citations pointing at the text", async () => {
    const id = await storedByEarlierVersion();
    const conversation = await createConversation(database.db, "Disk space", null);
    await addUserMessage(database.db, conversation.id, "How do I reclaim disk space?");
    const [oldChunk] = await database.db.select().from(chunks).where(eq(chunks.documentId, id));
    const hit = (await search(deps(), { query: "reclaim the excess disk space", mode: "keyword", topK: 1 }, settings))[0]!;
    await saveAnswer(database.db, conversation.id, {
      content: "Use VACUUM FULL [1]",
      status: "complete",
      metadata: { answerer: "extractive" },
      sources: [{ ...hit.hit, number: 1, score: hit.score }],
      cited: [1],
    });
    expect(await reprocessProgress(database.db, chunking)).toEqual({ current: 0, total: 1, withoutFile: 0 });

    const gated = gatedEmbedder(realEmbedder);
    const working = reprocessNext(deps(gated.embedder));
    await expect.poll(async () => (await document(id)).claimToken, { timeout: 30_000 }).not.toBeNull();
    // Mid-way the old chunk is all search sees.
    const during = await search(deps(), { query: "reclaim disk space VACUUM FULL", mode: "keyword", topK: 5 }, settings);
    expect(during.map((r) => r.hit.content)).toEqual([oldText]);
    gated.open();
    expect(await working).toBe(true);

    const after = await document(id);
    expect(after).toMatchObject({ title: "25.1. Routine Vacuuming", processedWith: processingVersion(chunking), claimToken: null, error: null });
    expect(await chunkTexts(id)).toEqual([
      "If you have such a table and you need to reclaim the excess disk space it occupies, you will need to use VACUUM FULL, or alternatively CLUSTER or one of the table-rewriting variants of ALTER TABLE.",
    ]);
    expect(await database.db.$count(chunks, eq(chunks.id, oldChunk!.id))).toBe(0);
    const found = await search(deps(), { query: "table-rewriting variants of ALTER TABLE", mode: "hybrid", topK: 1 }, settings);
    expect(found[0]!.hit.documentTitle).toBe("25.1. Routine Vacuuming");
    const [answer] = (await getConversation(database.db, conversation.id)).messages.filter((m) => m.role === "assistant");
    expect(answer!.sources[0]).toMatchObject({ number: 1, chunkId: found[0]!.hit.chunkId, content: expect.stringContaining("VACUUM FULL") });
    expect(await reprocessProgress(database.db, chunking)).toEqual({ current: 1, total: 1, withoutFile: 0 });
    expect(await reprocessNext(deps())).toBe(false);
  });

  it("tells read replicas the library changed when a re-read replaces the chunks and keeps the title", async () => {
    const id = await storedByEarlierVersion();
    await database.db.update(documents).set({ title: "25.1. Routine Vacuuming" }).where(eq(documents.id, id));
    const libraryVersion = async () => BigInt((await queryRows<{ version: string }>(database.db, sql`select version from library_version`))[0]!.version);
    const before = await libraryVersion();
    expect(await reprocessNext(deps())).toBe(true);
    expect((await document(id)).title).toBe("25.1. Routine Vacuuming");
    expect(await chunkTexts(id)).not.toEqual([oldText]);
    expect(await libraryVersion()).toBeGreaterThan(before);
  });

  it("lets uploads waiting in the queue go first", async () => {
    const id = await storedByEarlierVersion();
    const waiting = await enqueue(database.db, { bytes: new TextEncoder().encode("A new upload waits."), format: "text", filename: "new.txt" });
    expect(await reprocessNext(deps())).toBe(false);
    await database.db.delete(documents).where(eq(documents.id, waiting.document.id));
    expect(await reprocessNext(deps())).toBe(true);
    expect((await document(id)).processedWith).toEqual(processingVersion(chunking));
  });

  it("reads text an earlier version stored without its file from the stored text, and counts files it cannot read again", async () => {
    const text = await enqueue(database.db, { bytes: new TextEncoder().encode("Lighthouse keepers trim the wick at dusk."), format: "text" });
    const html = await enqueue(database.db, { bytes: new TextEncoder().encode(page.replace("25.1", "25.9")), format: "html", filename: "lost.html" });
    const worker = startIngestWorker(async () => deps(), { concurrency: 1, pollMs: 50 });
    await worker.idle();
    await worker.stop();
    for (const id of [text.document.id, html.document.id]) {
      await database.db.update(documents).set({ processedWith: null }).where(eq(documents.id, id));
      await database.db.delete(documentSources).where(eq(documentSources.documentId, id));
    }
    const before = await reprocessProgress(database.db, chunking);
    expect(before.withoutFile).toBe(1);
    while (await reprocessNext(deps()));
    expect((await document(text.document.id)).processedWith).toEqual(processingVersion(chunking));
    expect(await database.db.$count(documentSources, eq(documentSources.documentId, text.document.id))).toBe(1);
    expect((await document(html.document.id)).processedWith).toBeNull();
    const progress = await reprocessProgress(database.db, chunking);
    expect(progress.current + progress.withoutFile).toBe(progress.total);
  });

  it("keeps the earlier chunks, with the reason, when the new parser cannot read a stored file", async () => {
    const id = await storedByEarlierVersion();
    const notPdf = Buffer.from("%PDF-1.7 not a pdf");
    await database.db.update(documentSources).set({ bytes: notPdf }).where(eq(documentSources.documentId, id));
    await database.db.update(documents).set({ format: "pdf", sizeBytes: notPdf.byteLength }).where(eq(documents.id, id));
    expect(await reprocessNext(deps())).toBe(true);
    const kept = await document(id);
    expect(kept.status).toBe("ready");
    expect(kept.error).toMatch(/^Reading this file again with the new parser failed .*the text stored earlier is kept\.$/);
    expect(await chunkTexts(id)).toEqual([oldText]);
    expect(await reprocessNext(deps())).toBe(false);
  });
});
