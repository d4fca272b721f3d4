/**
 * Whether bench:search's synthetic vectors are as hard for an approximate index
 * as real text embeddings. Embeds SciFact's passages (cut as bench:search cuts
 * them) and claims with the configured embedder, cached under
 * .data/cache/embeddings so only the first run pays, and prints each set's
 * neighbourhood statistics beside those of the synthetic vectors at the same
 * size: claims against all passages, held-out passages against the rest, and
 * synthetic queries against synthetic vectors.
 *
 *   npm run bench:vectors -- [--corpus ../shared/eval/scifact] [--queries 300]
 */
import "./load-env";
import { parseArgs } from "node:util";
import { clusteredVectors } from "../lib/bench/clustered-vectors";
import { describeNeighbourhood, neighbourhoodStatistics } from "../lib/bench/neighbourhood";
import { textPassages } from "../lib/bench/synthetic-library";
import { getConfig } from "../lib/config";
import { loadBeirCorpus, loadBeirQueries } from "../lib/evaluate/beir";
import { createEmbedder } from "../lib/providers/embedding";
import { withEmbeddingCache } from "../lib/providers/embedding/cache";

const { values } = parseArgs({
  options: {
    corpus: { type: "string", default: "../shared/eval/scifact" },
    queries: { type: "string", default: "300" },
    cache: { type: "string", default: ".data/cache/embeddings" },
  },
});
const queryCount = Number(values.queries);
const config = getConfig();
const embedder = await withEmbeddingCache(createEmbedder(config), values.cache!);
const passages = textPassages(loadBeirCorpus(values.corpus!));
const claims = loadBeirQueries(values.corpus!).slice(0, queryCount).map((query) => query.text);
const started = performance.now();
const passageVectors = await embedder.embedDocuments(passages);
const claimVectors: number[][] = [];
for (const claim of claims) claimVectors.push(await embedder.embedQuery(claim));
await embedder.close();
const dimensions = passageVectors[0]!.length;
console.log(
  `${passages.length} passages and ${claims.length} claims from ${values.corpus}, embedded by ${embedder.provider}:${embedder.model} ` +
    `in ${((performance.now() - started) / 1000).toFixed(1)} s (${embedder.hits()} from the cache)`,
);

const rows = (vectors: number[][]) => Float32Array.from(vectors.flat());
console.log(`real, claims as queries:            ${describeNeighbourhood(neighbourhoodStatistics(rows(passageVectors), dimensions, claimVectors))}`);
const heldOut = passageVectors.length - queryCount;
console.log(
  `real, held-out passages as queries:  ${describeNeighbourhood(neighbourhoodStatistics(rows(passageVectors.slice(0, heldOut)), dimensions, passageVectors.slice(heldOut)))}`,
);
// As bench:search makes them, at this corpus's size.
const synthetic = clusteredVectors({ count: passages.length, dimensions, seed: 42 });
const syntheticQueries = Array.from({ length: queryCount }, () => synthetic.query());
console.log(`synthetic (bench:search's vectors):  ${describeNeighbourhood(neighbourhoodStatistics(synthetic.data, dimensions, syntheticQueries))}`);
