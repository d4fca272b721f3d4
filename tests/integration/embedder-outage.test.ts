import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as documentsRoute from "@/app/api/documents/route";
import * as searchRoute from "@/app/api/search/route";
import { parseConfig } from "@/lib/config";
import { createAppContext, provideAppContext, type AppContext } from "@/lib/context";
import { queryRows } from "@/lib/db/client";
import { engines, freshDatabase } from "../support/databases";
import { startOpenAIStandIn, type StandIn } from "../support/openai-standin";

/**
 * The embedding server (LM Studio, Ollama…) dies while documents are being
 * ingested and people search: nothing may be half-stored or lost, every
 * request must be answered with what happened, and everything must work
 * again once the server is back, without restarting pgrag.
 */

const PORT = 3297;
const MODEL = "outage-embedder";
const startEmbedder = () => startOpenAIStandIn({ port: PORT, models: { [MODEL]: { dimensions: 64, delayMs: 150 } } });

const post = (body: unknown) =>
  new Request("http://localhost/test", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

function upload(names: string[]) {
  const form = new FormData();
  for (const name of names) {
    const text = `# ${name}\n\n${`The ${name} report covers river levels, ferry timetables and harbour repairs. `.repeat(40)}`;
    form.append("files", new File([text], `${name}.md`, { type: "text/markdown" }));
  }
  return new Request("http://localhost/api/documents", { method: "POST", body: form });
}

describe.each(engines)("the embedding server dying mid-ingestion on %s", (engine) => {
  let context: AppContext;
  let embedder: StandIn;

  beforeAll(async () => {
    embedder = await startEmbedder();
    const config = parseConfig({
      EMBEDDING_PROVIDER: "openai",
      EMBEDDING_BASE_URL: embedder.baseURL,
      EMBEDDING_MODEL: MODEL,
      EMBEDDING_BATCH_SIZE: "2",
      INGEST_CONCURRENCY: "2",
    });
    context = await createAppContext(config, { database: await freshDatabase(engine) });
    provideAppContext(Promise.resolve(context));
  });
  afterAll(async () => {
    await context.stopWorkers();
    await embedder.close();
    await context.database.close();
  });

  it("puts the documents it cut off back in the queue with nothing stored, answers searches with 503, and resumes by itself when the server returns", async () => {
    const names = Array.from({ length: 6 }, (_, i) => `outage-${engine}-${i}`);
    const accepted = await documentsRoute.POST(upload(names));
    expect(accepted.status).toBe(202);
    const ids = ((await accepted.json()) as { uploads: { document: { id: number } }[] }).uploads.map((u) => u.document.id);

    // Searches run throughout; the server dies once ingestion is under way.
    const searches: { status: number; message?: string }[] = [];
    let searching = true;
    const searcher = (async () => {
      while (searching) {
        const response = await searchRoute.POST(post({ query: `river levels ${searches.length}` }));
        const body = (await response.json()) as { error?: { message: string } };
        searches.push({ status: response.status, message: body.error?.message });
      }
    })();
    const documentBatches = () => embedder.requests.filter((r) => r.body.input?.some((text) => text.includes("report covers"))).length;
    await expect.poll(documentBatches, { timeout: 20_000, interval: 20 }).toBeGreaterThan(0);
    await embedder.close();
    await context.worker.idle();
    searching = false;
    await searcher;

    const rows = await queryRows<{ status: string; attempts: number; chunks: number }>(
      context.database.db,
      sql`select d.status, d.attempts, (select count(*)::int from chunks c where c.document_id = d.id) as chunks from documents d order by d.id`,
    );
    // The documents cut off mid-embedding went back to the queue beside those not yet started:
    // nothing failed for the server's sake, nothing stored half, no attempt counted against them.
    expect(documentBatches()).toBeGreaterThan(0);
    for (const row of rows) {
      expect(["ready", "queued"]).toContain(row.status);
      if (row.status === "queued") expect([row.chunks, row.attempts]).toEqual([0, 0]);
    }
    expect(rows.some((row) => row.status === "queued")).toBe(true);
    // Searches were answered throughout: results, or a 503 that names the setting to fix.
    const refused = searches.filter((s) => s.status !== 200);
    expect(refused.length).toBeGreaterThan(0);
    for (const search of refused) {
      expect(search.status).toBe(503);
      expect(search.message).toMatch(/cannot be reached.*EMBEDDING_BASE_URL|EMBEDDING_BASE_URL.*cannot be reached/);
    }

    // The server comes back on the same address: the queue resumes by itself, searches work, no restart.
    embedder = await startEmbedder();
    context.worker.wake();
    await expect
      .poll(
        async () =>
          (await queryRows<{ n: number }>(context.database.db, sql`select count(*)::int as n from documents where status <> 'ready'`))[0]!.n,
        { timeout: 60_000 },
      )
      .toBe(0);
    const after = await queryRows<{ status: string; chunks: number; chunks_total: number }>(
      context.database.db,
      sql`select d.status, d.chunks_total, (select count(*)::int from chunks c where c.document_id = d.id) as chunks from documents d where d.id = any(${`{${ids.join(",")}}`}::int[])`,
    );
    expect(after.map((row) => row.status)).toEqual(ids.map(() => "ready"));
    for (const row of after) expect(row.chunks).toBe(row.chunks_total);
    expect((await searchRoute.POST(post({ query: "harbour repairs" }))).status).toBe(200);
  });
});
