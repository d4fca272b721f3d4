import { describe, expect, it } from "vitest";
import { clusteredVectors, exactNearest, seededRandom } from "@/lib/bench/clustered-vectors";
import { percentile } from "@/lib/bench/latency";
import { neighbourhoodStatistics } from "@/lib/bench/neighbourhood";

describe("clustered benchmark vectors", () => {
  const vectors = clusteredVectors({ count: 2000, dimensions: 64, clusters: 20, seed: 7 });
  const row = (i: number) => Array.from(vectors.data.subarray(i * 64, (i + 1) * 64));
  const cosine = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

  it("are unit length and the same for the same seed", () => {
    expect(Math.hypot(...row(0))).toBeCloseTo(1, 5);
    expect(Math.hypot(...row(1999))).toBeCloseTo(1, 5);
    const again = clusteredVectors({ count: 2000, dimensions: 64, clusters: 20, seed: 7 });
    expect(Array.from(again.data.subarray(0, 64))).toEqual(row(0));
  });

  it("sit much closer to their own cluster than to others, as text embeddings do", () => {
    let within = 0;
    let across = 0;
    let nWithin = 0;
    let nAcross = 0;
    for (let i = 0; i < 300; i++) {
      for (let j = i + 1; j < 300; j++) {
        const c = cosine(row(i), row(j));
        if (vectors.clusters[i] === vectors.clusters[j]) {
          within += c;
          nWithin++;
        } else {
          across += c;
          nAcross++;
        }
      }
    }
    expect(within / nWithin).toBeGreaterThan(0.3);
    expect(Math.abs(across / nAcross)).toBeLessThan(0.1);
  });

  it("finds the exact nearest neighbours by brute force", () => {
    const query = row(123);
    const nearest = exactNearest(vectors, query, 5);
    expect(nearest[0]).toBe(123);
    const scores = nearest.map((i) => cosine(row(i), query));
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const fifth = scores[4]!;
    const better = Array.from({ length: 2000 }, (_, i) => cosine(row(i), query)).filter((s) => s > fifth).length;
    expect(better).toBe(4);
  });
});

describe("neighbourhood statistics", () => {
  /** Unit vectors that vary in only the first `rank` of 64 directions. */
  const inSubspace = (rank: number, count: number, seed: number) => {
    const random = seededRandom(seed);
    const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Array.from({ length: count }, () => {
      const v = Array.from({ length: 64 }, (_, d) => (d < rank ? gaussian() : 0));
      const norm = Math.hypot(...v);
      return v.map((x) => x / norm);
    });
  };

  it("estimate the dimensionality the vectors really vary in", () => {
    const lid = (rank: number) => {
      const rows = inSubspace(rank, 4000, rank);
      return neighbourhoodStatistics(Float32Array.from(rows.slice(50).flat()), 64, rows.slice(0, 50)).localIntrinsicDimensionality;
    };
    // Unit vectors in k directions lie on a (k − 1)-dimensional sphere.
    expect(lid(6)).toBeGreaterThan(3);
    expect(lid(6)).toBeLessThan(8);
    expect(lid(24)).toBeGreaterThan(14);
    expect(lid(24)).toBeLessThan(32);
  });

  it("find the benchmark's vectors as low-dimensional as text embeddings, not noise in every direction", () => {
    const vectors = clusteredVectors({ count: 3000, dimensions: 384, clusters: 20, seed: 3 });
    const queries = Array.from({ length: 40 }, () => vectors.query());
    const statistics = neighbourhoodStatistics(vectors.data, 384, queries);
    expect(statistics.localIntrinsicDimensionality).toBeLessThan(40);
    expect(statistics.cosineAt1).toBeGreaterThan(statistics.cosineAt10);
    expect(statistics.cosineAt10).toBeGreaterThan(statistics.cosineAt100);
    expect(statistics.relativeContrast).toBeGreaterThan(1);
  });
});

describe("percentile", () => {
  it("takes the nearest rank", () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 95)).toBe(10);
    expect(percentile(samples, 10)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
  });
});
