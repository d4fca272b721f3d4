import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as documentsRoute from "@/app/api/documents/route";
import * as legacyIngestRoute from "@/app/api/legacy/ingest/route";
import * as searchRoute from "@/app/api/search/route";
import { parseConfig } from "@/lib/config";
import { createAppContext, provideAppContext, type AppContext } from "@/lib/context";
import { queryRows } from "@/lib/db/client";
import { OUTAGE_RETRY_SECONDS } from "@/lib/ingest/queue";
import { engines, freshDatabase } from "../support/databases";
import { testEmbedder } from "../support/embedder";

/**
 * The disk under the database fills up. The database itself answers a write
 * then with SQLSTATE 53100 "could not extend file … No space left on device";
 * a trigger raises exactly that for new chunks, on both engines.
 */

const embedder = testEmbedder();

const post = (body: unknown) =>
  new Request("http://localhost/test", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe.each(engines)("the database's disk filling up on %s", (engine) => {
  let context: AppContext;

  beforeAll(async () => {
    context = await createAppContext(parseConfig({}), { database: await freshDatabase(engine), embedder });
    provideAppContext(Promise.resolve(context));
    expect((await legacyIngestRoute.POST(post({ content: "Before the disk filled: the lock keeper opens the gates at six." }))).status).toBe(200);
  });
  afterAll(async () => {
    await context.stopWorkers();
    await context.database.close();
  });

  it("refuses writes with 507 and the fix, keeps serving reads, loses nothing, and resumes by itself once there is space", async () => {
    const { db } = context.database;
    await db.execute(sql`
      create function simulate_disk_full() returns trigger language plpgsql as $$
      begin
        raise exception using errcode = 'disk_full', message = 'could not extend file "base/16384/24576": No space left on device';
      end $$`);
    await db.execute(sql`create trigger disk_full before insert on chunks for each statement execute function simulate_disk_full()`);

    const content = "While the disk was full: the canal barge carries forty tonnes of grain.";
    const refused = await legacyIngestRoute.POST(post({ content }));
    expect(refused.status).toBe(507);
    expect((await refused.json()).error.message).toMatch(/out of disk space.*Nothing was half-saved.*Free space where the data lives/);
    // Sent again at once, while its document waits out the retry delay (which
    // a background worker waking at its end used to win every time, leaving
    // the request waiting as long as the disk stayed full): tried now, refused now.
    const sentAgain = performance.now();
    expect((await legacyIngestRoute.POST(post({ content }))).status).toBe(507);
    expect(performance.now() - sentAgain).toBeLessThan(OUTAGE_RETRY_SECONDS * 1000);

    const form = new FormData();
    form.append("file", new File(["# Ferry\n\nThe night ferry sails at eleven."], "ferry.md", { type: "text/markdown" }));
    expect((await documentsRoute.POST(new Request("http://localhost/api/documents", { method: "POST", body: form }))).status).toBe(202);
    await context.worker.idle();

    const waiting = await queryRows<{ status: string; attempts: number; chunks: number; error: string | null }>(
      db,
      sql`select d.status, d.attempts, (select count(*)::int from chunks c where c.document_id = d.id) as chunks, d.error
          from documents d where d.status <> 'ready'`,
    );
    // Both writes wait in the queue, uncounted, with nothing half-stored and the reason shown; none failed for the disk's sake.
    const waitingFor = "Waiting for the database to have room to write (it is out of disk space or memory); it will be processed then.";
    expect(waiting).toEqual([
      { status: "queued", attempts: 0, chunks: 0, error: waitingFor },
      { status: "queued", attempts: 0, chunks: 0, error: waitingFor },
    ]);
    const search = await searchRoute.POST(post({ query: "when does the lock keeper open the gates" }));
    expect(search.status).toBe(200);
    expect((await search.json()).results[0].content).toContain("lock keeper");

    await db.execute(sql`drop trigger disk_full on chunks`);
    context.worker.wake();
    await expect
      .poll(async () => (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from documents where status <> 'ready'`))[0]!.n, {
        timeout: 60_000,
      })
      .toBe(0);
    const again = await legacyIngestRoute.POST(post({ content }));
    expect(again.status).toBe(200);
    expect((await again.json()).duplicate).toBe(true);
  });
});
