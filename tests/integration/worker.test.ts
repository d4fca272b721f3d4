import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import type { Database, DatabaseHandle } from "@/lib/db/client";
import { ensureEmbeddingModel } from "@/lib/db/embedding-models";
import { documents } from "@/lib/db/schema";
import { queueUploads } from "@/lib/ingest/uploads";
import { startIngestWorker } from "@/lib/ingest/worker";
import { testReader } from "../support/reader";
import { engines, freshDatabase } from "../support/databases";
import { testEmbedder } from "../support/embedder";

const embedder = testEmbedder();

/**
 * The database, except that a claim (the update that sets a document
 * `parsing`) which finds nothing waits for `release` before it answers: so a
 * test can queue a document and ask for idleness while that claim is out.
 */
function slowEmptyClaims(db: Database) {
  let release!: () => void;
  let held!: () => void;
  const holding = new Promise<void>((resolve) => (held = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  const wrapped = new Proxy(db, {
    get(target, property, receiver) {
      if (property !== "update") return Reflect.get(target, property, receiver);
      return (table: typeof documents) => {
        const update = target.update(table);
        return {
          set(values: Record<string, unknown>) {
            const where = update.set(values as never);
            if (values.status !== "parsing") return where;
            return {
              where: (condition: never) => ({
                returning: async () => {
                  const rows = await where.where(condition).returning();
                  if (rows.length === 0) {
                    held();
                    await gate;
                  }
                  return rows;
                },
              }),
            };
          },
        };
      };
    },
  });
  return { db: wrapped, holding, release };
}

describe.each(engines)("the ingestion worker on %s", (engine) => {
  let database: DatabaseHandle;
  afterAll(() => database.close());

  it("is not idle while a document queued during an empty claim waits", async () => {
    database = await freshDatabase(engine);
    const model = await ensureEmbeddingModel(database.db, { provider: "local", name: "all-MiniLM-L6-v2", dimensions: 384 });
    const slow = slowEmptyClaims(database.db);
    const worker = startIngestWorker(async () => ({ db: slow.db, model, embedder, chunking: { size: 200, overlap: 40 }, reader: testReader() }), {
      concurrency: 1,
      // Long enough that only a wake, not the next poll, can find the document in time.
      pollMs: 60_000,
    });
    try {
      await slow.holding;
      const [queued] = await queueUploads(
        database.db,
        [{ filename: "gulls.md", bytes: new TextEncoder().encode("# Gulls\n\nGulls follow the fishing boats home."), tooLarge: false }],
        { maxBytes: 1024 * 1024 },
      );
      const id = "document" in queued! ? queued.document.id : 0;
      const idle = worker.idle();
      slow.release();
      await idle;
      expect((await database.db.query.documents.findFirst({ where: eq(documents.id, id) }))?.status).toBe("ready");
    } finally {
      await worker.stop();
    }
  });
});
