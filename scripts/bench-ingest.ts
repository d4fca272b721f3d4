/**
 * Ingestion throughput on a real corpus, into a throwaway database:
 *   npm run bench:ingest -- [--corpus ../shared/eval/scifact/corpus.jsonl] [--limit N] [--engine pglite|postgres|both] [--raw-sample N]
 * Prints documents/s and chunks/s of the whole pipeline (queue, parse, chunk,
 * embed, store), the raw embedder's chunks/s on the same chunks in the same
 * run, their ratio (how busy the pipeline keeps the embedder), the event-loop
 * delay during the import (what other requests would wait), and peak RSS.
 * --raw-sample times the raw embedder on the first N stored chunks instead of
 * all of them, which halves a full-corpus run; the sample size is printed.
 * The postgres engine needs BENCH_DATABASE_URL (or TEST_DATABASE_URL) of a server
 * where it may create and drop a database.
 */
import "./load-env";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { asc } from "drizzle-orm";
import { getConfig } from "../lib/config";
import { createAppContext } from "../lib/context";
import { chunks } from "../lib/db/schema";
import { openScratchDatabase, scratchEngines } from "../lib/db/scratch";
import { batchProgress } from "../lib/documents/library";
import { embeddingInput } from "../lib/ingest/chunk";
import { queueUploads } from "../lib/ingest/uploads";
import { createEmbedder } from "../lib/providers/embedding";

const { values } = parseArgs({
  options: {
    corpus: { type: "string", default: "../shared/eval/scifact/corpus.jsonl" },
    limit: { type: "string" },
    engine: { type: "string", default: "pglite" },
    "raw-sample": { type: "string" },
  },
});
const config = getConfig();
const { engines, serverUrl } = scratchEngines(values.engine!, ["BENCH_DATABASE_URL", "TEST_DATABASE_URL"]);

const lines = readFileSync(values.corpus!, "utf8").split("\n").filter(Boolean);
const corpus = lines.slice(0, values.limit ? Number(values.limit) : lines.length).map((line) => {
  const doc = JSON.parse(line) as { _id: string; title: string; text: string };
  return { filename: `${doc._id}.txt`, bytes: new TextEncoder().encode(`${doc.title} ${doc.text}`), tooLarge: false };
});

const embedder = createEmbedder(config);
await embedder.embedQuery("warm-up: start the workers and load the weights");
console.log(
  `${corpus.length} documents from ${values.corpus}; embedder ${embedder.provider}:${embedder.model}; ` +
    `chunks of ${config.CHUNK_SIZE} tokens, overlap ${config.CHUNK_OVERLAP}; ${config.INGEST_CONCURRENCY} documents at once`,
);

for (const engine of engines) {
  const database = await openScratchDatabase({
    engine,
    serverUrl,
    migrationsDir: config.MIGRATIONS_DIR,
    label: "bench",
    onDisk: true,
  });
  const context = await createAppContext(config, { database, embedder });
  await context.embeddingModel();

  // What a server doing this import would make every other request wait for.
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
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
  loopDelay.disable();
  await context.stopWorkers();

  const stored = await database.db
    .select({ content: chunks.content, metadata: chunks.metadata })
    .from(chunks)
    .orderBy(asc(chunks.id));
  const sample = values["raw-sample"] ? stored.slice(0, Number(values["raw-sample"])) : stored;
  const inputs = sample.map((c) =>
    embeddingInput({ content: c.content, headings: (c.metadata.headings as string[] | undefined) ?? [] }),
  );
  const rawStarted = performance.now();
  await embedder.embedDocuments(inputs);
  const rawSeconds = (performance.now() - rawStarted) / 1000;
  await database.close();

  const pipelineRate = stored.length / pipelineSeconds;
  const rawRate = sample.length / rawSeconds;
  console.log(`engine ${engine}: ${ids.length} documents, ${stored.length} chunks in ${pipelineSeconds.toFixed(1)} s`);
  console.log(`  pipeline:          ${(ids.length / pipelineSeconds).toFixed(2)} documents/s, ${pipelineRate.toFixed(2)} chunks/s`);
  console.log(
    `  raw embedder:      ${rawRate.toFixed(2)} chunks/s (${sample.length === stored.length ? "same chunks" : `first ${sample.length} of the same chunks`}, ${rawSeconds.toFixed(1)} s)`,
  );
  console.log(`  efficiency:        ${(pipelineRate / rawRate).toFixed(3)} (pipeline / raw embedder)`);
  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  console.log(
    `  event-loop delay:  p50 ${ms(loopDelay.percentile(50))} ms, p99 ${ms(loopDelay.percentile(99))} ms, max ${ms(loopDelay.max)} ms (during the import)`,
  );
}
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
await embedder.close();
