/**
 * Ingestion throughput on a real corpus, into a throwaway database:
 *   npm run bench:ingest -- [--corpus ../shared/eval/scifact/corpus.jsonl] [--limit N] [--engine pglite|postgres|both]
 * Prints documents/s and chunks/s of the whole pipeline (queue, parse, chunk,
 * embed, store), the raw embedder's chunks/s on the same chunks in the same
 * run, their ratio (how busy the pipeline keeps the embedder), and peak RSS.
 * The postgres engine needs BENCH_DATABASE_URL (or TEST_DATABASE_URL) of a server
 * where it may create and drop a database.
 */
import "./load-env";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { asc } from "drizzle-orm";
import pg from "pg";
import { getConfig } from "../lib/config";
import { createAppContext } from "../lib/context";
import { openDatabase, type DatabaseHandle } from "../lib/db/client";
import { chunks } from "../lib/db/schema";
import { batchProgress } from "../lib/documents/library";
import { embeddingInput } from "../lib/ingest/chunk";
import { queueUploads } from "../lib/ingest/uploads";
import { createEmbedder } from "../lib/providers/embedding";

const { values } = parseArgs({
  options: {
    corpus: { type: "string", default: "../shared/eval/scifact/corpus.jsonl" },
    limit: { type: "string" },
    engine: { type: "string", default: "pglite" },
  },
});
const config = getConfig();
const engines = values.engine === "both" ? ["pglite", "postgres"] : [values.engine!];
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;

const lines = readFileSync(values.corpus!, "utf8").split("\n").filter(Boolean);
const corpus = lines.slice(0, values.limit ? Number(values.limit) : lines.length).map((line) => {
  const doc = JSON.parse(line) as { _id: string; title: string; text: string };
  return { filename: `${doc._id}.txt`, bytes: new TextEncoder().encode(`${doc.title} ${doc.text}`), tooLarge: false };
});

async function throwawayDatabase(engine: string): Promise<DatabaseHandle> {
  if (engine === "pglite") {
    const dir = mkdtempSync(join(tmpdir(), "pgrag-bench-"));
    const handle = await openDatabase({ pgliteDir: join(dir, "pglite"), migrationsDir: config.MIGRATIONS_DIR });
    return { ...handle, close: async () => (await handle.close(), rmSync(dir, { recursive: true, force: true })) };
  }
  if (!serverUrl) throw new Error("--engine postgres needs BENCH_DATABASE_URL (or TEST_DATABASE_URL) of a PostgreSQL server.");
  const name = `pgrag_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), pgliteDir: "unused", migrationsDir: config.MIGRATIONS_DIR });
  return {
    ...handle,
    async close() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database ${name} with (force)`);
      await cleanup.end();
    },
  };
}

const embedder = createEmbedder(config);
await embedder.embedQuery("warm-up: start the workers and load the weights");
console.log(
  `${corpus.length} documents from ${values.corpus}; embedder ${embedder.provider}:${embedder.model}; ` +
    `chunks of ${config.CHUNK_SIZE} tokens, overlap ${config.CHUNK_OVERLAP}; ${config.INGEST_CONCURRENCY} documents at once`,
);

for (const engine of engines) {
  const database = await throwawayDatabase(engine);
  const context = await createAppContext(config, { database, embedder });
  await context.embeddingModel();

  const started = performance.now();
  const outcomes = await queueUploads(database.db, corpus, { maxBytes: config.MAX_UPLOAD_BYTES, source: "bench" });
  context.worker.wake();
  const ids = outcomes.flatMap((o) => ("document" in o ? [o.document.id] : []));
  for (let tick = 0; ; tick++) {
    const progress = await batchProgress(database.db, ids);
    const line = `${engine}: ${progress.settled}/${progress.total} documents, ${progress.chunksEmbedded} chunks embedded`;
    const done = progress.settled >= progress.total;
    // Redrawn in place on a terminal; a line a minute into a log.
    if (process.stderr.isTTY) process.stderr.write(`\r${line}${done ? "\n" : ""}`);
    else if (done || tick % 60 === 0) process.stderr.write(`${line}\n`);
    if (done) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const pipelineSeconds = (performance.now() - started) / 1000;
  await context.worker.stop();

  const stored = await database.db
    .select({ content: chunks.content, metadata: chunks.metadata })
    .from(chunks)
    .orderBy(asc(chunks.id));
  const inputs = stored.map((c) =>
    embeddingInput({ content: c.content, headings: (c.metadata.headings as string[] | undefined) ?? [] }),
  );
  const rawStarted = performance.now();
  await embedder.embedDocuments(inputs);
  const rawSeconds = (performance.now() - rawStarted) / 1000;
  await database.close();

  const pipelineRate = stored.length / pipelineSeconds;
  const rawRate = stored.length / rawSeconds;
  console.log(`engine ${engine}: ${ids.length} documents, ${stored.length} chunks in ${pipelineSeconds.toFixed(1)} s`);
  console.log(`  pipeline:          ${(ids.length / pipelineSeconds).toFixed(2)} documents/s, ${pipelineRate.toFixed(2)} chunks/s`);
  console.log(`  raw embedder:      ${rawRate.toFixed(2)} chunks/s (same chunks, ${rawSeconds.toFixed(1)} s)`);
  console.log(`  efficiency:        ${(pipelineRate / rawRate).toFixed(3)} (pipeline / raw embedder)`);
}
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
await embedder.close();
