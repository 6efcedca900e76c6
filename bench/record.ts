/**
 * One benchmark result, as `npm run bench -- --json` prints it (issue 9): a value, the reference
 * measured in the same run, their ratio, and latency and memory where they apply.
 */
export interface Record {
  name: string;
  store: 'none' | 'pglite' | 'postgres';
  unit: string;
  value: number;
  /** The same work done the fastest local way, in the same run (see each benchmark). */
  reference: number;
  ratio: number;
  p50Ms?: number;
  p99Ms?: number;
  /** Resident set size of the process that served the work, in MB (10^6 bytes). */
  rssMb?: number;
}

const REQUIRED = ['name', 'store', 'unit', 'value', 'reference', 'ratio'] as const;
const OPTIONAL = ['p50Ms', 'p99Ms', 'rssMb'] as const;

/** What is wrong with a record (unknown or missing fields, wrong types), or [] when it conforms. */
export function recordProblems(r: unknown): string[] {
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return ['not an object'];
  const o = r as { [k: string]: unknown };
  const problems: string[] = [];
  for (const k of Object.keys(o)) if (!(REQUIRED as readonly string[]).includes(k) && !(OPTIONAL as readonly string[]).includes(k)) problems.push(`unknown field ${k}`);
  for (const k of ['name', 'unit'] as const) if (typeof o[k] !== 'string' || o[k] === '') problems.push(`${k} must be a non-empty string`);
  if (!['none', 'pglite', 'postgres'].includes(o.store as string)) problems.push('store must be none, pglite or postgres');
  for (const k of ['value', 'reference', 'ratio'] as const) if (typeof o[k] !== 'number' || !Number.isFinite(o[k])) problems.push(`${k} must be a finite number`);
  for (const k of OPTIONAL) if (k in o && (typeof o[k] !== 'number' || !Number.isFinite(o[k]))) problems.push(`${k} must be a finite number when present`);
  return problems;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
