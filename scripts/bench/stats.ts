/** Small statistics helpers for the benchmark: percentiles over samples, rounding for reports. */

/** The q-th percentile (0..100) of samples, nearest-rank; NaN for no samples. */
export function percentile(samples: number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((q / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Rounds to `digits` decimals (keeps reports readable, JSON stays numeric). */
export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** p50 / p99 / max / mean of latency samples in milliseconds, rounded. */
export function summarize(samples: number[]): { p50: number; p99: number; max: number; mean: number; n: number } {
  const mean = samples.reduce((s, x) => s + x, 0) / (samples.length || 1);
  return {
    p50: round(percentile(samples, 50), 4),
    p99: round(percentile(samples, 99), 4),
    max: round(Math.max(...samples), 4),
    mean: round(mean, 4),
    n: samples.length,
  };
}

/** Resident set size and heap in MB for a memoryUsage() snapshot. */
export function memoryMb(usage: NodeJS.MemoryUsage): { rssMb: number; heapUsedMb: number } {
  return { rssMb: round(usage.rss / 1048576, 1), heapUsedMb: round(usage.heapUsed / 1048576, 1) };
}

/** A seeded pseudo-random generator (mulberry32): the same seed gives the same synthetic data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
