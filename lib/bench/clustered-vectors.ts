/**
 * Unit vectors with the structure of real text embeddings, for benchmarks at
 * sizes no one can embed on two cores. Real embeddings of a corpus are not
 * spread uniformly over the sphere: passages sit in topics of very different
 * sizes, inside a topic in smaller groups on one subject, and vary along a few
 * directions rather than all of them. That last property decides how hard
 * approximate search is: noise in all 384 directions makes a query's
 * neighbours nearly equidistant (local intrinsic dimensionality ~78 where
 * all-MiniLM-L6-v2 on SciFact measures ~22–26; `npm run bench:vectors`), and
 * an index that must separate near-ties looks worse than it will on text.
 *
 * So: Zipf-sized topics around random centres; in each, subjects of about
 * SUBJECT_SIZE members, each a random offset from the centre; every member its
 * subject plus variation along the topic's own TOPIC_RANK directions (falling
 * in strength) and a smaller amount in all of them; normalized. The constants
 * are chosen so the statistics bench:vectors prints sit at or past (harder
 * than) the real embeddings' at the same size.
 */
export interface ClusteredVectors {
  dimensions: number;
  /** Corpus vectors, row-major, each of unit length. */
  data: Float32Array;
  count: number;
  /** Topic of each vector. */
  clusters: Int32Array;
  /** Draws a query: a fresh point from a random topic, not one of the corpus vectors. */
  query(): number[];
}

const TOPIC_RANK = 16;
const SUBJECT_SIZE = 10;
/** Norm of a subject's offset from its topic's centre (the centre has norm 1). */
const SUBJECT_OFFSET = 1;
/** Variation in all directions, against the topic's spread along its own. */
const RESIDUAL = 0.9;

/** The benchmarks' topic count: one per 200 vectors, at least 20, so topics grow with the library as a real one's would. */
function benchmarkTopics(count: number): number {
  return Math.max(20, Math.round(count / 200));
}

export function clusteredVectors(options: { count: number; dimensions: number; clusters?: number; seed: number }): ClusteredVectors {
  const random = seededRandom(options.seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const { count, dimensions } = options;
  const randomUnit = () => Float32Array.from(normalize(Array.from({ length: dimensions }, gaussian)));
  const centres = Array.from({ length: options.clusters ?? benchmarkTopics(count) }, randomUnit);
  const spreads = centres.map(() => 1 + 0.6 * random());
  // Direction j of a topic carries variance falling as 1/j, scaled so the variation totals `spread`.
  const strength = Array.from({ length: TOPIC_RANK }, (_, j) => (j + 1) ** -0.5);
  const strengthNorm = Math.hypot(...strength);
  const directions = centres.map(() => Array.from({ length: TOPIC_RANK }, randomUnit));
  const subjects = centres.map(() => [] as Float32Array[]);
  const weights = centres.map((_, i) => 1 / (i + 1) ** 0.8);
  const total = weights.reduce((a, b) => a + b, 0);
  let sum = 0;
  const cumulative = weights.map((w) => (sum += w / total));
  const pickCluster = () => {
    const r = random();
    const index = cumulative.findIndex((c) => r <= c);
    return index === -1 ? centres.length - 1 : index;
  };
  const pickSubject = (cluster: number) => {
    const list = subjects[cluster]!;
    if (list.length === 0 || random() < 1 / SUBJECT_SIZE) {
      const offset = randomUnit();
      list.push(offset);
      return offset;
    }
    return list[Math.floor(random() * list.length)]!;
  };
  const member = (cluster: number) => {
    const spread = spreads[cluster]!;
    const subject = pickSubject(cluster);
    const centre = centres[cluster]!;
    const v = Array.from({ length: dimensions }, (_, d) => centre[d]! + SUBJECT_OFFSET * subject[d]!);
    directions[cluster]!.forEach((direction, j) => {
      const g = (gaussian() * spread * strength[j]!) / strengthNorm;
      for (let d = 0; d < dimensions; d++) v[d]! += g * direction[d]!;
    });
    const residual = (spread * RESIDUAL) / Math.sqrt(dimensions);
    for (let d = 0; d < dimensions; d++) v[d]! += gaussian() * residual;
    return normalize(v);
  };

  const data = new Float32Array(count * dimensions);
  const clusters = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const cluster = pickCluster();
    clusters[i] = cluster;
    data.set(member(cluster), i * dimensions);
  }
  return { dimensions, data, count, clusters, query: () => member(pickCluster()) };
}

/** Indexes of the k corpus vectors most similar to the query by cosine (all are unit length: dot product). */
export function exactNearest(vectors: ClusteredVectors, query: number[], k: number): number[] {
  const { data, count, dimensions } = vectors;
  const best: { index: number; score: number }[] = [];
  for (let i = 0; i < count; i++) {
    let score = 0;
    const offset = i * dimensions;
    for (let d = 0; d < dimensions; d++) score += data[offset + d]! * query[d]!;
    if (best.length < k || score > best[best.length - 1]!.score) {
      best.push({ index: i, score });
      best.sort((a, b) => b.score - a.score);
      if (best.length > k) best.pop();
    }
  }
  return best.map((b) => b.index);
}

/** mulberry32: small, fast, and the same sequence on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function normalize(vector: number[]): number[] {
  const norm = Math.hypot(...vector);
  return vector.map((x) => x / norm);
}
