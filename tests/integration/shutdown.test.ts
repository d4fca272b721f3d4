import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/lib/db/client";
import { ensureEmbeddingModel } from "@/lib/db/embedding-models";
import { chunks, documents } from "@/lib/db/schema";
import { queueUploads } from "@/lib/ingest/uploads";
import { startIngestWorker } from "@/lib/ingest/worker";
import { testReader } from "../support/reader";
import { engines, freshDatabase } from "../support/databases";
import { gatedEmbedder, testEmbedder } from "../support/embedder";

const realEmbedder = testEmbedder();

describe.each(engines)("shutting down mid-ingestion on %s", (engine) => {
  let database: DatabaseHandle;
  afterAll(() => database.close());

  it("puts the document being embedded back in the queue, uncounted and half-done nowhere, and another worker finishes it", async () => {
    database = await freshDatabase(engine);
    const model = await ensureEmbeddingModel(database.db, { provider: "local", name: "all-MiniLM-L6-v2", dimensions: 384 });
    const [queued] = await queueUploads(
      database.db,
      [{ filename: "tides.md", bytes: new TextEncoder().encode("# Tides\n\nThe moon raises the sea twice a day."), tooLarge: false }],
      { maxBytes: 1024 * 1024 },
    );
    const id = "document" in queued! ? queued.document.id : 0;
    const status = async () => (await database.db.query.documents.findFirst({ where: eq(documents.id, id) }))!;

    const gated = gatedEmbedder(realEmbedder);
    const stopping = startIngestWorker(async () => ({ db: database.db, model, embedder: gated.embedder, chunking: { size: 200, overlap: 40 }, reader: testReader() }), {
      concurrency: 1,
      pollMs: 50,
    });
    await expect.poll(async () => (await status()).status, { timeout: 30_000 }).toBe("embedding");
    expect((await status()).attempts).toBe(1);

    expect(await stopping.abandon()).toBe(1);
    expect(await status()).toMatchObject({ status: "queued", claimToken: null, attempts: 0 });
    // The abandoned work runs on and commits nothing: its claim is gone.
    gated.open();
    await stopping.stop();
    expect(await status()).toMatchObject({ status: "queued", claimToken: null });
    expect(await database.db.$count(chunks, eq(chunks.documentId, id))).toBe(0);

    const next = startIngestWorker(async () => ({ db: database.db, model, embedder: realEmbedder, chunking: { size: 200, overlap: 40 }, reader: testReader() }), {
      concurrency: 1,
      pollMs: 50,
    });
    await next.idle();
    await next.stop();
    expect(await status()).toMatchObject({ status: "ready", attempts: 1 });
    expect(await database.db.$count(chunks, eq(chunks.documentId, id))).toBe(1);
  });
});
