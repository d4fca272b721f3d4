import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as legacyIngestRoute from "@/app/api/legacy/ingest/route";
import * as searchRoute from "@/app/api/search/route";
import { parseConfig } from "@/lib/config";
import { createAppContext, provideAppContext, type AppContext } from "@/lib/context";
import { queryRows } from "@/lib/db/client";
import { freshDatabase } from "../support/databases";
import { testEmbedder } from "../support/embedder";

const embedder = testEmbedder();
const execFileAsync = promisify(execFile);

/** The test server's data folder, exported by .ci/postgres.sh; CI always has it. */
const dataDir = process.env.PGRAG_PG_DIR && `${process.env.PGRAG_PG_DIR}/data`;

/**
 * pg_ctl restart, as the postgres user when running as root (PostgreSQL
 * refuses root). Run beside the load, not in place of it: a synchronous call
 * froze the app for the whole restart, so requests only met the server before
 * and after it, and a CI run once saw none fail at all.
 */
async function restartPostgres() {
  const command = `/usr/lib/postgresql/15/bin/pg_ctl -D '${dataDir}' -m fast -w restart -l '${process.env.PGRAG_PG_DIR}/log' >/dev/null`;
  if (process.getuid?.() === 0) await execFileAsync("su", ["postgres", "-s", "/bin/bash", "-c", command]);
  else await execFileAsync("bash", ["-c", command]);
}

const post = (body: unknown) =>
  new Request("http://localhost/test", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe.runIf(dataDir)("PostgreSQL restarting under load", () => {
  let context: AppContext;

  beforeAll(async () => {
    context = await createAppContext(parseConfig({}), { database: await freshDatabase("postgres"), embedder });
    provideAppContext(Promise.resolve(context));
    for (let i = 0; i < 5; i++) await legacyIngestRoute.POST(post({ content: `Seed note ${i}: the harbour master logs ship ${i}.` }));
  });
  afterAll(async () => {
    await context.stopWorkers();
    await context.database.close();
  });

  it("fails requests cleanly while it is down, recovers by itself, and leaves no document half-stored or lost", async () => {
    const outcomes: { kind: string; status: number; message?: string }[] = [];
    const ingested: string[] = [];
    let stop = false;
    const record = async (kind: string, response: Response) => {
      const body = (await response.json()) as { error?: { message: string } };
      outcomes.push({ kind, status: response.status, message: body.error?.message });
      return response.status;
    };
    const searcher = async () => {
      while (!stop) await record("search", await searchRoute.POST(post({ query: "which ship did the harbour master log" })));
    };
    const ingester = async (worker: number) => {
      for (let n = 0; !stop; n++) {
        const content = `Load note ${worker}-${n}: the pilot boat ${worker}${n} left at dawn.`;
        if ((await record("ingest", await legacyIngestRoute.POST(post({ content })))) === 200) ingested.push(content);
      }
    };
    const load = Promise.all([...Array.from({ length: 6 }, searcher), ingester(1), ingester(2)]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await restartPostgres();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    stop = true;
    await load;

    // Every request got an answer: success, or a clean 503 saying what happened; never a 500.
    const failures = outcomes.filter((o) => o.status !== 200);
    console.log(`PostgreSQL restart under load: ${outcomes.length} requests, ${failures.length} answered 503 while it was down, ${ingested.length} ingests stored`);
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(failure.status).toBe(503);
      expect(failure.message).toMatch(/database connection was lost; nothing was half-saved/);
    }
    // It recovers by itself: the same context serves again.
    await expect
      .poll(async () => (await searchRoute.POST(post({ query: "pilot boat" }))).status, { timeout: 15_000 })
      .toBe(200);

    // Nothing half-stored: a ready document has all its chunks with vectors; any other has none.
    await context.worker.idle();
    const documents = await queryRows<{ status: string; chunks_total: number; chunks: number; vectors: number }>(
      context.database.db,
      sql`select d.status, d.chunks_total,
                 (select count(*)::int from chunks c where c.document_id = d.id) as chunks,
                 (select count(*)::int from chunks c join chunk_embeddings e on e.chunk_id = c.id where c.document_id = d.id) as vectors
          from documents d`,
    );
    for (const document of documents) {
      if (document.status === "ready") expect([document.chunks, document.vectors]).toEqual([document.chunks_total, document.chunks_total]);
      else expect(document.chunks).toBe(0);
    }
    // Nothing lost: every ingest that was answered 200 is stored and ready.
    const stored = await queryRows<{ content: string; status: string }>(context.database.db, sql`select content, status from documents`);
    for (const content of ingested) expect(stored.find((d) => d.content === content)?.status).toBe("ready");
    // An ingest cut off by the restart was put back in the queue, and the worker has finished it
    // since; one cut off while its text was stored is removed once the database is back.
    const unfinished = async () =>
      (await queryRows<{ status: string }>(context.database.db, sql`select status from documents where status not in ('ready', 'failed')`)).length;
    await expect.poll(unfinished, { timeout: 15_000 }).toBe(0);
  });
});
