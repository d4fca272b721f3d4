import { describe, expect, it } from "vitest";
import { clusteredVectors, exactNearest } from "@/lib/bench/clustered-vectors";
import { percentile } from "@/lib/bench/latency";

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

describe("percentile", () => {
  it("takes the nearest rank", () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 95)).toBe(10);
    expect(percentile(samples, 10)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
  });
});
