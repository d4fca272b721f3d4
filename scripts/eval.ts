/**
 * Retrieval quality on a BEIR dataset, in a throwaway database:
 *   npm run eval -- [--dataset ../shared/eval/scifact] [--mode semantic|keyword|hybrid|all]
 *                   [--engine pglite|postgres] [--sweep] [--reuse] [--k1 0.9] [--b 0.4]
 * Ingests the corpus through the app's pipeline (each document as title + " " +
 * text, as BEIR indexes it), runs every judged query, and prints nDCG@10,
 * Recall@10, Recall@100 and MRR@10 per mode beside the dataset's published
 * references. Vectors are cached on disk by (model, text hash) under
 * .data/cache/embeddings, so only the first run pays for embedding; the HNSW
 * index is built once after loading. On PGlite the ingested database is kept
 * too (.data/cache/eval), and --reuse starts from it instead of ingesting, as
 * long as the corpus, model, chunking and ingestion code are unchanged.
 * --sweep also prints hybrid nDCG@10 over fusion methods and weights.
 * The postgres engine needs EVAL_DATABASE_URL (or TEST_DATABASE_URL) of a server
 * where it may create and drop a database.
 */
import "./load-env";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { getConfig } from "../lib/config";
import { createAppContext } from "../lib/context";
import { ensureEmbeddingModel, withoutVectorIndex } from "../lib/db/embedding-models";
import { scratchEngines } from "../lib/db/scratch";
import { loadBeirDataset } from "../lib/evaluate/beir";
import { loadCorpus, storedCorpusIds } from "../lib/evaluate/load-corpus";
import { scoreRun, type RunScores } from "../lib/evaluate/metrics";
import { rankDocuments, retrieveCandidates, type EvaluatedMode } from "../lib/evaluate/run";
import { openIngestedDatabase, snapshotKey } from "../lib/evaluate/snapshot";
import { createEmbedder } from "../lib/providers/embedding";
import { withEmbeddingCache } from "../lib/providers/embedding/cache";

const { values } = parseArgs({
  options: {
    dataset: { type: "string", default: "../shared/eval/scifact" },
    mode: { type: "string", default: "all" },
    engine: { type: "string", default: "pglite" },
    cache: { type: "string", default: ".data/cache" },
    sweep: { type: "boolean", default: false },
    reuse: { type: "boolean", default: false },
    k1: { type: "string" },
    b: { type: "string" },
  },
});
const config = getConfig();
const bm25 = { k1: Number(values.k1 ?? config.BM25_K1), b: Number(values.b ?? config.BM25_B) };
const modes = values.mode === "all" ? ["semantic", "keyword", "hybrid"] : [values.mode!];
if (!modes.every((mode) => ["semantic", "keyword", "hybrid"].includes(mode))) {
  throw new Error(`--mode must be semantic, keyword, hybrid or all (got ${values.mode})`);
}
const { engines, serverUrl } = scratchEngines(values.engine!, ["EVAL_DATABASE_URL", "TEST_DATABASE_URL"], false);
const engine = engines[0]!;

const dataset = loadBeirDataset(values.dataset!);
const judgments = [...dataset.qrels.values()].reduce((sum, judged) => sum + judged.size, 0);
const embedder = await withEmbeddingCache(createEmbedder(config), join(values.cache!, "embeddings"));
const snapshots = join(values.cache!, "eval");
const key = snapshotKey(
  [readFileSync(join(values.dataset!, "corpus.jsonl"), "utf8"), embedder.provider, embedder.model, String(config.CHUNK_SIZE), String(config.CHUNK_OVERLAP)],
  ["lib/ingest", "lib/db", "lib/retrieve/keyword.ts", config.MIGRATIONS_DIR],
);
console.log(
  `${values.dataset}: ${dataset.corpus.length} documents, ${dataset.queries.length} queries, ${judgments} judgments; ` +
    `engine ${engine}; embedder ${embedder.provider}:${embedder.model}; chunks of ${config.CHUNK_SIZE} tokens, overlap ${config.CHUNK_OVERLAP}`,
);

const ingestStarted = performance.now();
const { database, restored } = await openIngestedDatabase({
  engine,
  serverUrl,
  migrationsDir: config.MIGRATIONS_DIR,
  label: "eval",
  cacheDirectory: snapshots,
  key,
  reuse: values.reuse!,
  ingest: async (database) => {
    const context = await createAppContext(config, { database, embedder });
    const model = await context.embeddingModel();
    await withoutVectorIndex(database.db, model, () =>
      loadCorpus(context, dataset.corpus, progress("ingest", (settled, total, chunks) => `${settled}/${total} documents, ${chunks} chunks`)),
    );
    await context.stopWorkers();
  },
});
try {
  const model = await ensureEmbeddingModel(database.db, {
    provider: embedder.provider,
    name: embedder.model,
    dimensions: await embedder.dimensions(),
    settings: embedder.settings,
  });
  const corpusIds = await storedCorpusIds(database.db, dataset.corpus);
  const ingestSeconds = (performance.now() - ingestStarted) / 1000;

  const queryStarted = performance.now();
  const candidates = await retrieveCandidates(
    { db: database.db, embedder, model },
    dataset.queries,
    { efSearch: config.SEARCH_EF_SEARCH, bm25 },
    progress("queries", (done: number) => `${done}/${dataset.queries.length}`),
  );
  const querySeconds = (performance.now() - queryStarted) / 1000;
  console.log(
    `${restored ? "restored the ingested corpus from its snapshot" : "ingested"} in ${ingestSeconds.toFixed(1)} s ` +
      `(${embedder.hits()} vectors from the cache); ${dataset.queries.length} queries × 2 retrievers in ${querySeconds.toFixed(1)} s`,
  );

  const rows: [string, RunScores][] = [];
  const evaluate = (mode: EvaluatedMode) => scoreRun(rankDocuments(candidates, mode, corpusIds), dataset.qrels);
  const defaultHybrid: EvaluatedMode = {
    mode: "hybrid",
    fusion: config.SEARCH_FUSION,
    semanticWeight: config.SEARCH_SEMANTIC_WEIGHT,
    keywordWeight: config.SEARCH_KEYWORD_WEIGHT,
  };
  for (const mode of modes) {
    if (mode === "semantic") rows.push([`semantic (${embedder.model})`, evaluate({ mode: "semantic" })]);
    if (mode === "keyword") rows.push([`keyword (BM25 k1=${bm25.k1} b=${bm25.b})`, evaluate({ mode: "keyword" })]);
    if (mode === "hybrid") {
      rows.push([`hybrid (${describeHybrid(defaultHybrid)}, default)`, evaluate(defaultHybrid)]);
      for (const fusion of (["convex", "rrf", "convex-minmax"] as const).filter((f) => f !== defaultHybrid.fusion)) {
        const other: EvaluatedMode = { ...defaultHybrid, fusion };
        rows.push([`hybrid (${describeHybrid(other)})`, evaluate(other)]);
      }
    }
  }
  console.log("");
  console.log(`${"mode".padEnd(44)} nDCG@10  Recall@10  Recall@100  MRR@10`);
  for (const [label, s] of rows) {
    console.log(
      `${label.padEnd(44)} ${f(s.ndcg10).padStart(7)}  ${f(s.recall10).padStart(9)}  ${f(s.recall100).padStart(10)}  ${f(s.mrr10).padStart(6)}`,
    );
  }
  const references = publishedReferences(values.dataset!);
  if (references.length > 0) {
    console.log("\npublished references (from the dataset's README):");
    for (const line of references) console.log(`  ${line}`);
  }

  if (values.sweep) {
    console.log("\nhybrid nDCG@10 by semantic weight (keyword weight = 1 − it):");
    const weights = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8];
    console.log(`${"fusion".padEnd(22)} ${weights.map((w) => w.toFixed(1).padStart(6)).join(" ")}`);
    for (const perDocument of [false, true]) {
      for (const fusion of ["convex", "rrf", "convex-minmax"] as const) {
        const scores = weights.map((w) => evaluate({ mode: "hybrid", fusion, semanticWeight: w, keywordWeight: 1 - w, perDocument }).ndcg10);
        console.log(`${`${fusion}${perDocument ? ", per document" : ""}`.padEnd(22)} ${scores.map((s) => f(s).padStart(6)).join(" ")}`);
      }
    }
  }
} finally {
  await database.close();
  await embedder.close();
}

function describeHybrid(mode: Extract<EvaluatedMode, { mode: "hybrid" }>): string {
  return `${mode.fusion}, weights semantic ${mode.semanticWeight} keyword ${mode.keywordWeight}`;
}

function f(value: number): string {
  return value.toFixed(3);
}

/** The rows of the markdown table in the dataset's README, e.g. "BM25 (Anserini, title+text) | 0.679 | 0.925". */
function publishedReferences(directory: string): string[] {
  const readme = join(directory, "README.md");
  if (!existsSync(readme)) return [];
  const lines = readFileSync(readme, "utf8").split("\n").filter((line) => line.trim().startsWith("|"));
  const [header, , ...body] = lines;
  if (!header) return [];
  const cells = (line: string) => line.split("|").slice(1, -1).map((cell) => cell.trim());
  const names = cells(header);
  return body.map((line) => cells(line).map((cell, i) => (i === 0 ? cell : `${names[i]} ${cell}`)).join(", "));
}

/** Redrawn in place on a terminal; a line every 30 s into a log. */
function progress<A extends unknown[]>(label: string, describe: (...args: A) => string) {
  let last = 0;
  return (...args: A) => {
    const line = `${label}: ${describe(...args)}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}   `);
    else if (performance.now() - last > 30_000) {
      last = performance.now();
      process.stderr.write(`${line}\n`);
    }
  };
}
