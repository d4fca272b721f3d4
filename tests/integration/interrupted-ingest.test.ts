import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toErrorResponse } from "@/lib/api/http";
import type { DatabaseHandle } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { ensureEmbeddingModel } from "@/lib/db/embedding-models";
import { chunks, documents } from "@/lib/db/schema";
import { ingestText } from "@/lib/ingest/ingest";
import type { ProcessDependencies } from "@/lib/ingest/process";
import { testReader } from "../support/reader";
import { engines, freshDatabase } from "../support/databases";
import { testEmbedder } from "../support/embedder";

const embedder = testEmbedder();

// Only a server has connections to lose; PGlite runs in this process. Without
// TEST_DATABASE_URL the suite is reported as skipped (an empty file would fail
// the run); CI always sets it, so there it always runs.
describe.runIf(engines.includes("postgres"))("an ingest cut off by the database on postgres", () => {
  const engine = "postgres";
  let database: DatabaseHandle;
  let deps: ProcessDependencies;

  beforeAll(async () => {
    database = await freshDatabase(engine);
    const model = await ensureEmbeddingModel(database.db, { provider: "local", name: embedder.model, dimensions: 384 });
    deps = { db: database.db, embedder, model, chunking: { size: 200, overlap: 40 }, reader: testReader() };
    // Terminates the session half-way through the ingest transaction, after the
    // document row is written and before its chunks are: what a server restart does.
    await database.db.execute(sql`
      create function drop_connection_mid_ingest() returns trigger language plpgsql as $$
      begin
        if new.content like '%CUT-HERE%' then perform pg_terminate_backend(pg_backend_pid()); end if;
        return new;
      end $$`);
    await database.db.execute(sql`
      create trigger drop_connection before insert on chunks
      for each row execute function drop_connection_mid_ingest()`);
  });
  afterAll(() => database.close());

  it("leaves no half-stored document, and the same text ingests cleanly afterwards", async () => {
    const content = "A report on tidal energy. CUT-HERE marks where the connection drops.";
    const error = await ingestText(deps, { content }).catch((e: unknown) => e);
    expect(isDatabaseUnavailable(error)).toBe(true);
    const response = toErrorResponse(error);
    expect(response.status).toBe(503);
    expect((await response.json()).error.code).toBe("database_unavailable");

    // The transaction rolled back whole: no chunks, and the document is back in the queue.
    expect(await database.db.$count(chunks)).toBe(0);
    const [pending] = await database.db.select().from(documents);
    expect(pending).toMatchObject({ status: "queued", content: "", claimToken: null });

    await database.db.execute(sql`drop trigger drop_connection on chunks`);
    const retried = await ingestText(deps, { content });
    expect(retried.document).toMatchObject({ id: pending!.id, status: "ready", content });
    expect(await database.db.$count(chunks, eq(chunks.documentId, retried.document.id))).toBe(retried.document.chunksTotal);
  });
});
