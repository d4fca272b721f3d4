/**
 * Time to first token of a chat answer, on a library of a given size:
 *   npm run bench:answer -- [--chunks 10000] [--engine pglite|postgres|both] [--queries 50]
 * Measured in process (the answering pipeline: query embedding, hybrid
 * retrieval, packing, answer) and end to end (POST /api/chat through
 * `next start`, to the first delta event; run `npm run build` first), with the
 * answerer the configuration gives: on a fresh machine, the extractive
 * default. The library is bench:search's: clustered vectors with SciFact prose
 * as text; questions are SciFact's claims. The postgres engine needs
 * BENCH_DATABASE_URL (or TEST_DATABASE_URL).
 */
import "./load-env";
import { processingVersion } from "../lib/ingest/process";
import { parseArgs } from "node:util";
import { answerQuestion, answerSettings } from "../lib/answer/answer";
import { countChatTokens } from "../lib/answer/tokens";
import { withAppServer } from "../lib/bench/app-server";
import { clusteredVectors } from "../lib/bench/clustered-vectors";
import { describeLatency } from "../lib/bench/latency";
import { describeLoad, loadSyntheticLibrary, textPassages } from "../lib/bench/synthetic-library";
import { loadBeirCorpus, loadBeirQueries } from "../lib/evaluate/beir";
import { getConfig, hnswGraph } from "../lib/config";
import { openScratchDatabase, scratchEngines } from "../lib/db/scratch";
import { createChatModel } from "../lib/providers/chat";
import { createEmbedder } from "../lib/providers/embedding";

const { values } = parseArgs({
  options: {
    chunks: { type: "string", default: "10000" },
    engine: { type: "string", default: "both" },
    queries: { type: "string", default: "50" },
    corpus: { type: "string", default: "../shared/eval/scifact" },
  },
});
const config = getConfig();
const size = Number(values.chunks);
const queryCount = Number(values.queries);
const WARM_UP = 5;
const { engines, serverUrl } = scratchEngines(values.engine!, ["BENCH_DATABASE_URL", "TEST_DATABASE_URL"]);
const passages = textPassages(loadBeirCorpus(values.corpus!));
const questions = loadBeirQueries(values.corpus!)
  .map((query) => query.text)
  .slice(0, WARM_UP + queryCount);
const embedder = createEmbedder(config);
const chat = createChatModel(config);
const settings = answerSettings(config);
const chatStatus = await chat.status();
const answerer = settings.provider === "extractive" || !chatStatus.reachable ? "extractive" : `${chatStatus.model} at ${chat.baseURL}`;
console.log(`${queryCount} questions (after ${WARM_UP} warm-up) per measurement; answerer: ${answerer}; query embedder ${embedder.provider}:${embedder.model}`);

for (const engine of engines) {
  const database = await openScratchDatabase({ engine, serverUrl, migrationsDir: config.MIGRATIONS_DIR, label: "bench", onDisk: true });
  try {
    console.log(`\n== ${size.toLocaleString("en")} chunks on ${engine} ==`);
    const vectors = clusteredVectors({ count: size, dimensions: 384, seed: 42 });
    const library = await loadSyntheticLibrary(database, embedder, vectors, passages, processingVersion({ size: config.CHUNK_SIZE, overlap: config.CHUNK_OVERLAP }), {
      type: config.VECTOR_INDEX_TYPE,
      graph: hnswGraph(config),
    });
    console.log(describeLoad(library));
    const { model } = library;

    const deps = { db: database.db, model, embedder, chat, countTokens: countChatTokens };
    const firstToken: number[] = [];
    const whole: number[] = [];
    let withSources = 0;
    for (const [i, question] of questions.entries()) {
      const started = performance.now();
      let first: number | undefined;
      for await (const event of answerQuestion(deps, { question, history: [] }, settings)) {
        if (event.type === "delta") first ??= performance.now() - started;
        if (event.type === "sources" && event.sources.length > 0 && i >= WARM_UP) withSources++;
        if (event.type === "error") throw new Error(event.message);
      }
      if (i < WARM_UP) continue;
      firstToken.push(first!);
      whole.push(performance.now() - started);
    }
    console.log(`in process, time to first token: ${describeLatency(firstToken)}`);
    console.log(`in process, whole answer: ${describeLatency(whole)}`);
    // Without sources the answer is the fixed "nothing relevant" reply, which skips the answerer.
    console.log(`questions answered from sources: ${withSources}/${queryCount} (the rest scored below ANSWER_MIN_SCORE)`);

    const ran = await withAppServer(database, engine, async (base) => {
      const firstEvent: number[] = [];
      for (const [i, question] of questions.entries()) {
        const started = performance.now();
        const response = await fetch(`${base}/api/chat`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ message: question }),
        });
        if (!response.ok || !response.body) throw new Error(`POST /api/chat answered ${response.status}: ${await response.text()}`);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let text = "";
        let first: number | undefined;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          text += value;
          if (first === undefined && text.includes("event: delta")) first = performance.now() - started;
        }
        if (text.includes("event: error")) throw new Error(`POST /api/chat failed: ${text}`);
        if (i >= WARM_UP) firstEvent.push(first!);
      }
      console.log(`end-to-end POST /api/chat, time to first token: ${describeLatency(firstEvent)}`);
    });
    if (!ran) console.log("end-to-end /api/chat: skipped, no production build (run npm run build first)");
  } finally {
    await database.close();
  }
}
await embedder.close();
