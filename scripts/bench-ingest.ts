/**
 * Ingestion throughput on a real corpus, into a throwaway database:
 *   npm run bench:ingest -- [--corpus ../shared/eval/scifact/corpus.jsonl] [--limit N] [--engine pglite|postgres|both] [--raw-sample N]
 * Prints documents/s and chunks/s of the whole pipeline (queue, parse, chunk,
 * embed, store), the raw embedder's chunks/s on the same chunks in the same
 * run, their ratio, how much of the import had texts waiting at the embedder
 * (whether the pipeline keeps it fed), the same import again with the vectors
 * already known (the CPU everything but the embedder needs, which caps the
 * ratio when the embedder uses every core), the event-loop delay during the
 * import (what other requests would wait), and peak RSS.
 * --raw-sample times the raw embedder on the first N stored chunks instead of
 * all of them, which halves a full-corpus run; the sample size is printed.
 * The postgres engine needs BENCH_DATABASE_URL (or TEST_DATABASE_URL) of a server
 * where it may create and drop a database.
 */
import "./load-env";
import { availableParallelism, cpus } from "node:os";
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { asc, eq } from "drizzle-orm";
import { getConfig } from "../lib/config";
import { createAppContext } from "../lib/context";
import type { DatabaseEngine } from "../lib/db/client";
import { chunkEmbeddings, chunks } from "../lib/db/schema";
import { openScratchDatabase, scratchEngines, type ScratchDatabase } from "../lib/db/scratch";
import { batchProgress } from "../lib/documents/library";
import { embeddingInput } from "../lib/ingest/chunk";
import { queueUploads } from "../lib/ingest/uploads";
import { createEmbedder, type Embedder } from "../lib/providers/embedding";
import { modelIdentity } from "../lib/providers/embedding/types";

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

/** Busy CPU time of the whole machine (this process, its threads and a local database server), in seconds. */
function machineCpuSeconds(): number {
  return cpus().reduce((sum, cpu) => sum + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq, 0) / 1000;
}

/** The embedder, timing how long the pipeline had texts waiting at it: whether the pipeline keeps it fed. */
function timedEmbedder(inner: Embedder) {
  let inFlight = 0;
  let since = 0;
  let busy = 0;
  const embedder: Embedder = {
    ...modelIdentity(inner),
    dimensions: () => inner.dimensions(),
    embedQuery: (text) => inner.embedQuery(text),
    close: () => inner.close(),
    async embedDocuments(texts, onProgress, options) {
      if (inFlight++ === 0) since = performance.now();
      try {
        return await inner.embedDocuments(texts, onProgress, options);
      } finally {
        if (--inFlight === 0) busy += performance.now() - since;
      }
    },
  };
  return { embedder, busySeconds: () => busy / 1000 };
}

interface ImportRun {
  ids: number[];
  seconds: number;
  cpuSeconds: number;
  loopDelay: IntervalHistogram;
  database: ScratchDatabase;
}

/** Queues the corpus as uploads into a fresh database and waits until every document is settled. */
async function importCorpus(engine: DatabaseEngine, embedder: Embedder, label: string): Promise<ImportRun> {
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
  const cpuBefore = machineCpuSeconds();
  const started = performance.now();
  const outcomes = await queueUploads(database.db, corpus, { maxBytes: config.MAX_UPLOAD_BYTES, source: "bench" });
  context.worker.wake();
  const ids = outcomes.flatMap((o) => ("document" in o ? [o.document.id] : []));
  for (let tick = 0; ; tick++) {
    const progress = await batchProgress(database.db, ids);
    const line = `${label}: ${progress.settled}/${progress.total} documents, ${progress.chunksEmbedded} chunks embedded`;
    const done = progress.settled >= progress.total;
    // Redrawn in place on a terminal; a line a minute into a log.
    if (process.stderr.isTTY) process.stderr.write(`\r${line}${done ? "\n" : ""}`);
    else if (done || tick % 60 === 0) process.stderr.write(`${line}\n`);
    if (done) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = machineCpuSeconds() - cpuBefore;
  loopDelay.disable();
  await context.stopWorkers();
  return { ids, seconds, cpuSeconds, loopDelay, database };
}

const cores = availableParallelism();
for (const engine of engines) {
  const timed = timedEmbedder(embedder);
  const run = await importCorpus(engine, timed.embedder, engine);
  const stored = await run.database.db
    .select({ content: chunks.content, metadata: chunks.metadata, embedding: chunkEmbeddings.embedding })
    .from(chunks)
    .innerJoin(chunkEmbeddings, eq(chunkEmbeddings.chunkId, chunks.id))
    .orderBy(asc(chunks.id));
  await run.database.close();
  const inputs = stored.map((c) =>
    embeddingInput({ content: c.content, headings: (c.metadata.headings as string[] | undefined) ?? [] }),
  );
  const sample = values["raw-sample"] ? inputs.slice(0, Number(values["raw-sample"])) : inputs;
  const rawStarted = performance.now();
  await embedder.embedDocuments(sample);
  const rawSeconds = (performance.now() - rawStarted) / 1000;

  // The same import with the vectors already known: the CPU the rest of the
  // pipeline (parsing, chunking, SQL, index upkeep) needs, which on a machine
  // whose every core the embedder uses comes out of the embedder's time.
  const known = new Map(inputs.map((input, i) => [input, stored[i]!.embedding]));
  const standIn: Embedder = {
    ...timed.embedder,
    embedDocuments: async (texts) => texts.map((text) => known.get(text) ?? stored[0]!.embedding),
  };
  const without = await importCorpus(engine, standIn, `${engine} without the embedder`);
  await without.database.close();

  const pipelineRate = stored.length / run.seconds;
  const rawRate = sample.length / rawSeconds;
  const rawCorpusSeconds = stored.length / rawRate;
  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  console.log(`engine ${engine}: ${run.ids.length} documents, ${stored.length} chunks in ${run.seconds.toFixed(1)} s`);
  console.log(`  pipeline:          ${(run.ids.length / run.seconds).toFixed(2)} documents/s, ${pipelineRate.toFixed(2)} chunks/s`);
  console.log(
    `  raw embedder:      ${rawRate.toFixed(2)} chunks/s (${sample.length === stored.length ? "same chunks" : `first ${sample.length} of the same chunks`}, ${rawSeconds.toFixed(1)} s)`,
  );
  console.log(`  efficiency:        ${(pipelineRate / rawRate).toFixed(3)} (pipeline / raw embedder)`);
  console.log(`  embedder fed:      ${((100 * timed.busySeconds()) / run.seconds).toFixed(1)} % of the import had texts waiting at the embedder`);
  console.log(
    `  without embedding: ${without.seconds.toFixed(1)} s, ${without.cpuSeconds.toFixed(1)} CPU-seconds (the import with the vectors known; ${run.cpuSeconds.toFixed(1)} CPU-seconds with them computed)`,
  );
  console.log(
    `  ceiling:           ${(rawCorpusSeconds / (rawCorpusSeconds + without.cpuSeconds / cores)).toFixed(3)} (the efficiency if that CPU came out of an embedder using all ${cores} cores)`,
  );
  console.log(
    `  event-loop delay:  p50 ${ms(run.loopDelay.percentile(50))} ms, p99 ${ms(run.loopDelay.percentile(99))} ms, max ${ms(run.loopDelay.max)} ms (during the import)`,
  );
}
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
await embedder.close();
