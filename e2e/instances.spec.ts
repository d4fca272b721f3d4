import { spawn, type ChildProcess } from "node:child_process";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { E2E_DATABASE } from "../playwright.config";

/**
 * Several app instances on one PostgreSQL database share the ingestion queue:
 * the project's server and a second `next start` on the same database. The
 * second is killed while documents are being processed; those it had claimed
 * are taken over when their lease lapses (lib/ingest/queue.ts), and none is
 * lost or stored twice. A browser on one instance follows documents uploaded
 * to the other, since progress is read from the database.
 */
const SECOND_PORT = 3203;
const UPLOADS = 100;

test("two instances share the queue: 100 uploads over both, one killed mid-run, each document ready exactly once", async ({ page, request, baseURL }) => {
  test.setTimeout(300_000);
  const databaseUrl = process.env.TEST_DATABASE_URL!.replace(/\/[^/]*$/, `/${E2E_DATABASE}`);
  const second = startInstance(databaseUrl);
  const other = `http://127.0.0.1:${SECOND_PORT}`;
  const database = new pg.Client({ connectionString: databaseUrl });
  await database.connect();
  try {
    await expect.poll(() => fetch(`${other}/api/health`).then((r) => r.ok, () => false), { timeout: 120_000 }).toBe(true);
    await page.goto("/documents");
    const library = page.getByRole("list", { name: "Documents" });

    const stamp = Date.now();
    // Sent all at once, every other one to the second instance, so the queue is still full
    // when it is killed: sent one by one, both instances had read all 100 by the last.
    const ids = await Promise.all(
      Array.from({ length: UPLOADS }, async (_, i) => {
        const upload = await request.post(`${i % 2 === 0 ? baseURL : other}/api/documents`, {
          multipart: {
            file: { name: `shift-${stamp}-${i}.md`, mimeType: "text/markdown", buffer: Buffer.from(`# Shift log ${stamp} number ${i}\n\nThe night shift ${i} checked pump ${i * 7} at ${stamp}.`) },
          },
        });
        expect(upload.status()).toBe(202);
        return (await upload.json()).uploads[0].document.id as number;
      }),
    );
    // Killed at once, while it may hold claimed documents and others are still queued.
    const waiting = await database.query("select count(*)::int as n from documents where id = any($1) and status <> 'ready'", [ids]);
    expect(waiting.rows[0].n).toBeGreaterThan(0);
    process.kill(-second.pid!, "SIGKILL");

    // The browser on the first instance sees a document the second one queued become ready.
    const fromSecond = library.getByRole("listitem").filter({ hasText: new RegExp(`Shift log ${stamp} number 99(?!\\d)`) }).first();
    await expect(fromSecond.getByTestId("document-status")).toHaveAttribute("data-status", "ready", { timeout: 120_000 });
    await expect
      .poll(async () => (await database.query("select count(*)::int as n from documents where id = any($1) and status = 'ready'", [ids])).rows[0].n, {
        timeout: 180_000,
        intervals: [1000],
      })
      .toBe(UPLOADS);
    // Exactly once: one chunk per document (each is one short paragraph), one vector per chunk, no failures.
    const stored = await database.query(
      `select d.id, d.status, count(distinct c.id)::int as chunks, count(e.chunk_id)::int as vectors
       from documents d left join chunks c on c.document_id = d.id left join chunk_embeddings e on e.chunk_id = c.id
       where d.id = any($1) group by d.id, d.status`,
      [ids],
    );
    expect(stored.rows).toHaveLength(UPLOADS);
    const retaken = await database.query("select count(*)::int as n from documents where id = any($1) and attempts > 1", [ids]);
    console.log(`${UPLOADS} documents ready; ${retaken.rows[0].n} claimed again after the second instance was killed`);
    for (const row of stored.rows) expect(row, `document ${row.id}`).toMatchObject({ status: "ready", chunks: 1, vectors: 1 });
    // And each is found by search on either side.
    const search = await request.post(`${baseURL}/api/search`, { data: { query: `night shift 57 pump 399 ${stamp}`, top_k: 1, mode: "keyword" } });
    expect((await search.json()).results[0].document_id).toBe(ids[57]);
  } finally {
    await database.end();
    if (second.exitCode === null && second.signalCode === null) process.kill(-second.pid!, "SIGKILL");
  }
});

function startInstance(databaseUrl: string): ChildProcess {
  return spawn("npx", ["next", "start", "-p", String(SECOND_PORT)], {
    env: { ...process.env, DATABASE_URL: databaseUrl, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "ignore",
    detached: true,
  });
}
