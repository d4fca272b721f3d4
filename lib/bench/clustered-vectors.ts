/**
 * Unit vectors with the clustered structure of real text embeddings, for
 * benchmarks at sizes no one can embed on two cores. Real embeddings of a
 * corpus are not spread uniformly over the sphere: passages on one topic sit
 * close together (all-MiniLM-L6-v2 gives cosine ~0.4–0.7 within a topic, ~0–0.2
 * across), and topics differ in size. Uniform noise would make every query's
 * neighbours equally far, which flatters approximate indexes in one way and
 * punishes them in another. So: Zipf-sized clusters around random centres, each
 * member its centre plus Gaussian noise of a per-cluster spread, normalized.
 */
export interface ClusteredVectors {
  dimensions: number;
  /** Corpus vectors, row-major, each of unit length. */
  data: Float32Array;
  count: number;
  /** Cluster of each vector. */
  clusters: Int32Array;
  /** Draws a query: a fresh point from a random cluster, not one of the corpus vectors. */
  query(): number[];
}

export function clusteredVectors(options: { count: number; dimensions: number; clusters: number; seed: number }): ClusteredVectors {
  const random = seededRandom(options.seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const { count, dimensions } = options;
  const centres = Array.from({ length: options.clusters }, () => normalize(Array.from({ length: dimensions }, gaussian)));
  // Noise of norm ~spread against a unit centre: 0.8 gives cosine to the centre
  // ~0.78 and between members ~0.6; 1.4 gives ~0.58 and ~0.34.
  const spreads = centres.map(() => 0.8 + 0.6 * random());
  const weights = centres.map((_, i) => 1 / (i + 1) ** 0.8);
  const total = weights.reduce((a, b) => a + b, 0);
  let sum = 0;
  const cumulative = weights.map((w) => (sum += w / total));
  const pickCluster = () => {
    const r = random();
    const index = cumulative.findIndex((c) => r <= c);
    return index === -1 ? centres.length - 1 : index;
  };
  const member = (cluster: number) => {
    const scale = spreads[cluster]! / Math.sqrt(dimensions);
    return normalize(centres[cluster]!.map((x) => x + gaussian() * scale));
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

function normalize(vector: number[]): number[] {
  const norm = Math.hypot(...vector);
  return vector.map((x) => x / norm);
}
