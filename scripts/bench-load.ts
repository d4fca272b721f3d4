/**
 * Load: concurrent searches and uploads against the production server.
 *   npm run build && npm run bench:load -- [--engine pglite|postgres] [--seconds 60] [--searchers 50] [--uploaders 5] [--chunks 10000] [--uploads small|large]
 * A library of --chunks chunks (bench:search's: clustered vectors, SciFact
 * prose) is served by `next start`; --searchers clients send hybrid searches
 * (SciFact claims, embedded by the built-in model) back to back while
 * --uploaders clients each upload a text file and wait until it is searchable
 * before the next, for --seconds: five documents are always being ingested.
 * With --uploads large each uploader sends a 50,000-row CSV or a 1,000-page PDF
 * instead (minutes of reading and embedding each), and the run measures the
 * searches while they are read.
 * Prints request counts, errors, latency percentiles (for uploads: until the
 * document is ready), how the uploads ended, and the server's memory. Rate limiting is off for the run
 * (one machine is every client). The postgres engine needs BENCH_DATABASE_URL
 * (or TEST_DATABASE_URL).
 */
import "./load-env";
import { processingVersion } from "../lib/ingest/process";
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import { withAppServer } from "../lib/bench/app-server";
import { clusteredVectors } from "../lib/bench/clustered-vectors";
import { describeLatency } from "../lib/bench/latency";
import { loadSyntheticLibrary, textPassages } from "../lib/bench/synthetic-library";
import { loadBeirCorpus, loadBeirQueries } from "../lib/evaluate/beir";
import { layoutPdf } from "../tests/support/pdf-pages";
import { getConfig, hnswGraph } from "../lib/config";
import { openScratchDatabase, scratchEngines } from "../lib/db/scratch";
import { createEmbedder } from "../lib/providers/embedding";

const { values } = parseArgs({
  options: {
    engine: { type: "string", default: "pglite" },
    seconds: { type: "string", default: "60" },
    searchers: { type: "string", default: "50" },
    uploaders: { type: "string", default: "5" },
    chunks: { type: "string", default: "10000" },
    corpus: { type: "string", default: "../shared/eval/scifact" },
    uploads: { type: "string", default: "small" },
  },
});
if (values.uploads !== "small" && values.uploads !== "large") throw new Error("--uploads is small or large");
const config = getConfig();
const seconds = Number(values.seconds);
const searchers = Number(values.searchers);
const uploaders = Number(values.uploaders);
const { engines, serverUrl } = scratchEngines(values.engine!, ["BENCH_DATABASE_URL", "TEST_DATABASE_URL"]);
const passages = textPassages(loadBeirCorpus(values.corpus!));
const questions = loadBeirQueries(values.corpus!)
  .map((query) => query.text);

interface Outcome {
  ms: number;
  status: number;
}

/** The server's memory: every process of its group (npx, next start and its workers), in MB. */
function groupRssMb(processGroup: number): number {
  const out = execFileSync("ps", ["-eo", "pgid=,rss="], { encoding: "utf8" });
  let kilobytes = 0;
  for (const line of out.split("\n")) {
    const [pgid, rss] = line.trim().split(/\s+/).map(Number);
    if (pgid === processGroup) kilobytes += rss ?? 0;
  }
  return kilobytes / 1024;
}

/** A large upload: a 50,000-row CSV (about 2.5 MB) or a 1,000-page PDF, in turn. */
async function largeFile(worker: number, n: number): Promise<{ blob: Blob; name: string }> {
  const stamp = `${worker}-${n}-${Date.now()}`;
  if ((worker + n) % 2 === 0) {
    const rows = Array.from({ length: 50_000 }, (_, i) => `${i},station ${i % 977},${(i * 7) % 1000},reading ${stamp}`);
    return { blob: new Blob([["id,station,value,note", ...rows].join("\n")], { type: "text/csv" }), name: `readings-${stamp}.csv` };
  }
  const pdf = await layoutPdf(
    Array.from({ length: 1_000 }, (_, page) => [
      { text: `Page ${page + 1} of the tide tables ${stamp}`, x: 72, y: 770, size: 14 },
      { text: `High water at ${(page * 13) % 24}:00, low water at ${(page * 13 + 6) % 24}:00.`, x: 72, y: 740 },
    ]),
  );
  return { blob: new Blob([new Uint8Array(pdf)], { type: "application/pdf" }), name: `tides-${stamp}.pdf` };
}

async function timed(request: () => Promise<Response>): Promise<Outcome & { body: unknown }> {
  const started = performance.now();
  try {
    const response = await request();
    const body = await response.json().catch(() => null);
    return { ms: performance.now() - started, status: response.status, body };
  } catch {
    return { ms: performance.now() - started, status: 0, body: null };
  }
}

for (const engine of engines) {
  const database = await openScratchDatabase({ engine, serverUrl, migrationsDir: config.MIGRATIONS_DIR, label: "load", onDisk: true });
  const embedder = createEmbedder(config);
  const size = Number(values.chunks);
  const vectors = clusteredVectors({ count: size, dimensions: 384, seed: 7 });
  await loadSyntheticLibrary(database, embedder, vectors, passages, processingVersion({ size: config.CHUNK_SIZE, overlap: config.CHUNK_OVERLAP }), {
    type: config.VECTOR_INDEX_TYPE,
    graph: hnswGraph(config),
  });
  await embedder.close();
  console.log(
    `${engine}: ${size.toLocaleString("en")} chunks; ${searchers} searchers and ${uploaders} uploaders of ${values.uploads} files for ${seconds} s against next start`,
  );

  const ran = await withAppServer(
    database,
    engine,
    async (base, processGroup) => {
      // Loading the model for the first query is start-up, not load: done before the clock runs.
      await fetch(`${base}/api/search`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "warm up" }) });
      const searches: Outcome[] = [];
      const uploads: Outcome[] = [];
      const uploadedIds: number[] = [];
      const memory: number[] = [groupRssMb(processGroup)];
      const sampler = setInterval(() => memory.push(groupRssMb(processGroup)), 5000);
      const deadline = performance.now() + seconds * 1000;
      let next = 0;

      const searcher = async () => {
        while (performance.now() < deadline) {
          const query = questions[next++ % questions.length]!;
          const outcome = await timed(() =>
            fetch(`${base}/api/search`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ query, top_k: 10 }),
            }),
          );
          searches.push(outcome);
        }
      };
      const statusOf = async (id: number) =>
        ((await (await fetch(`${base}/api/documents/${id}`)).json()) as { document: { status: string } }).document.status;
      const uploader = async (worker: number) => {
        for (let n = 0; performance.now() < deadline; n++) {
          const form = new FormData();
          if (values.uploads === "large") {
            const { blob, name } = await largeFile(worker, n);
            form.append("file", blob, name);
          } else {
            const text = `Load test note ${worker}-${n}-${Date.now()}.\n\n${passages[(worker * 997 + n) % passages.length]}`;
            form.append("file", new Blob([text], { type: "text/plain" }), `load-${worker}-${n}.txt`);
          }
          const started = performance.now();
          const accepted = await timed(() => fetch(`${base}/api/documents`, { method: "POST", body: form }));
          const id = (accepted.body as { uploads?: { document?: { id: number } }[] } | null)?.uploads?.[0]?.document?.id;
          if (!id) {
            uploads.push(accepted);
            continue;
          }
          uploadedIds.push(id);
          let status = await statusOf(id);
          // A large file takes longer than the run: it is measured until then, and counted unfinished.
          while (status !== "ready" && status !== "failed" && performance.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 100));
            status = await statusOf(id);
          }
          if (status === "ready" || status === "failed") uploads.push({ ms: performance.now() - started, status: status === "ready" ? accepted.status : 500 });
        }
      };
      await Promise.all([
        ...Array.from({ length: searchers }, searcher),
        ...Array.from({ length: uploaders }, (_, i) => uploader(i)),
      ]);

      const statuses = await Promise.all(uploadedIds.map(statusOf));
      const ready = statuses.filter((status) => status === "ready").length;
      const failed = statuses.filter((status) => status === "failed").length;
      clearInterval(sampler);
      memory.push(groupRssMb(processGroup));

      const errors = (outcomes: Outcome[]) => outcomes.filter((o) => o.status < 200 || o.status >= 300).length;
      console.log(`searches: ${searches.length} (${(searches.length / seconds).toFixed(1)}/s), errors ${errors(searches)}; ${describeLatency(searches.map((o) => o.ms))}`);
      console.log(`uploads (until searchable): ${uploads.length}, errors ${errors(uploads)}; ${describeLatency(uploads.map((o) => o.ms))}`);
      console.log(`uploaded documents: ${uploadedIds.length}, ${ready} ready, ${failed} failed, ${uploadedIds.length - ready - failed} unfinished`);
      const half = memory.slice(Math.floor(memory.length / 2));
      console.log(
        `server memory (RSS, MB): start ${memory[0]!.toFixed(0)}, peak ${Math.max(...memory).toFixed(0)}, end ${memory.at(-1)!.toFixed(0)}; second half of the run ${Math.min(...half).toFixed(0)}–${Math.max(...half).toFixed(0)}`,
      );
    },
    { RATE_LIMIT_PER_MINUTE: "0", LOG_REQUESTS: "false" },
  );
  if (!ran) console.log("bench:load needs the production build: run npm run build first");
  await database.close();
}
