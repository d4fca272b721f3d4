/**
 * How hard a set of vectors is for approximate nearest-neighbour search, by the
 * measures the ANN literature uses: local intrinsic dimensionality (the
 * maximum-likelihood estimate of Levina & Bickel over each query's k nearest
 * neighbours; Aumüller & Ceccarello, "The role of local intrinsic
 * dimensionality in benchmarking nearest neighbor search", 2019) and relative
 * contrast (mean distance over the 10th neighbour's; He, Kumar & Chang, 2012).
 * Higher LID and lower contrast mean neighbours nearer to ties, which a graph
 * index tells apart less often. Vectors are unit length; distance is Euclidean.
 */
export interface NeighbourhoodStatistics {
  localIntrinsicDimensionality: number;
  relativeContrast: number;
  cosineAt1: number;
  cosineAt10: number;
  cosineAt100: number;
}

const LID_NEIGHBOURS = 20;

/** Means over the queries; `rows` holds unit vectors of `dimensions` each, row-major. */
export function neighbourhoodStatistics(rows: Float32Array, dimensions: number, queries: ArrayLike<number>[]): NeighbourhoodStatistics {
  const count = rows.length / dimensions;
  if (count < 100) throw new Error("neighbourhoodStatistics needs at least 100 vectors");
  const distance = (cosine: number) => Math.sqrt(Math.max(1e-12, 2 - 2 * cosine));
  const totals = { lid: 0, contrast: 0, at1: 0, at10: 0, at100: 0 };
  const cosines = new Float64Array(count);
  for (const query of queries) {
    let meanDistance = 0;
    for (let i = 0; i < count; i++) {
      let dot = 0;
      const offset = i * dimensions;
      for (let d = 0; d < dimensions; d++) dot += rows[offset + d]! * query[d]!;
      cosines[i] = dot;
      meanDistance += distance(dot);
    }
    meanDistance /= count;
    const sorted = cosines.slice().sort().reverse();
    const kth = distance(sorted[LID_NEIGHBOURS - 1]!);
    let logRatios = 0;
    for (let i = 0; i < LID_NEIGHBOURS - 1; i++) logRatios += Math.log(distance(sorted[i]!) / kth);
    totals.lid += -(LID_NEIGHBOURS - 1) / logRatios;
    totals.contrast += meanDistance / distance(sorted[9]!);
    totals.at1 += sorted[0]!;
    totals.at10 += sorted[9]!;
    totals.at100 += sorted[99]!;
  }
  const n = queries.length;
  return {
    localIntrinsicDimensionality: totals.lid / n,
    relativeContrast: totals.contrast / n,
    cosineAt1: totals.at1 / n,
    cosineAt10: totals.at10 / n,
    cosineAt100: totals.at100 / n,
  };
}

export function describeNeighbourhood(s: NeighbourhoodStatistics): string {
  return (
    `LID ${s.localIntrinsicDimensionality.toFixed(1)}, relative contrast ${s.relativeContrast.toFixed(3)}, ` +
    `cosine to the 1st/10th/100th neighbour ${s.cosineAt1.toFixed(3)}/${s.cosineAt10.toFixed(3)}/${s.cosineAt100.toFixed(3)}`
  );
}
