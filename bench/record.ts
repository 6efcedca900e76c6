/** One benchmark result, as `npm run bench -- --json` prints it. */
export interface Record {
  name: string;
  store: 'none' | 'pglite' | 'postgres';
  unit: string;
  value: number;
  /** The same work done the fastest local way, in the same run (see each benchmark). */
  reference: number;
  ratio: number;
  p50Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  rssMb?: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
