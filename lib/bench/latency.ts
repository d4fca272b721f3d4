/** Percentile by the nearest-rank method: the smallest sample at or above p% of them. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function describeLatency(samples: number[]): string {
  const f = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
  return `p50 ${f(percentile(samples, 50))} ms, p95 ${f(percentile(samples, 95))} ms, p99 ${f(percentile(samples, 99))} ms`;
}

/** Runs each task once, one after another, and returns each one's wall time in milliseconds. */
export async function timeEach<T>(inputs: T[], task: (input: T) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (const input of inputs) {
    const started = performance.now();
    await task(input);
    samples.push(performance.now() - started);
  }
  return samples;
}
