/** Evaluation statistics: P/R/F1, ROC AUC, Spearman, and cluster bootstrap intervals. */
import { rng } from './lr.ts';

export interface Counts { tp: number; fp: number; fn: number }
export interface Prf { precision: number; recall: number; f1: number }

export function prf(c: Counts): Prf {
  const precision = c.tp + c.fp === 0 ? 0 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 0 : c.tp / (c.tp + c.fn);
  const f1 = c.tp === 0 ? 0 : (2 * c.tp) / (2 * c.tp + c.fp + c.fn);
  return { precision, recall, f1 };
}

export function addCounts(items: readonly Counts[]): Counts {
  const out = { tp: 0, fp: 0, fn: 0 };
  for (const c of items) { out.tp += c.tp; out.fp += c.fp; out.fn += c.fn; }
  return out;
}

/** ROC AUC by the rank-sum (Mann–Whitney) formula, ties counted half. */
export function rocAuc(items: ReadonlyArray<{ score: number; y: 0 | 1 }>): number {
  const pos = items.filter((i) => i.y === 1);
  const neg = items.filter((i) => i.y === 0);
  if (pos.length === 0 || neg.length === 0) return NaN;
  let s = 0;
  for (const p of pos) for (const n of neg) s += p.score > n.score ? 1 : p.score === n.score ? 0.5 : 0;
  return s / (pos.length * neg.length);
}

function ranks(xs: readonly number[]): number[] {
  const idx = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(xs.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1]?.[0] === idx[i]?.[0]) j++;
    for (let k = i; k <= j; k++) r[idx[k]?.[1] as number] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

function pearson(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let num = 0, da = 0, db = 0;
  for (let i = 0; i < n; i++) {
    const x = (a[i] as number) - ma;
    const y = (b[i] as number) - mb;
    num += x * y; da += x * x; db += y * y;
  }
  return da === 0 || db === 0 ? 0 : num / Math.sqrt(da * db);
}

/** Spearman rank correlation (Pearson on average ranks). */
export function spearman(items: ReadonlyArray<{ x: number; y: number }>): number {
  return pearson(ranks(items.map((i) => i.x)), ranks(items.map((i) => i.y)));
}

export interface Estimate { value: number; lo: number; hi: number }

/**
 * Percentile bootstrap over conversations (the unit that was sampled), seeded: `stat` is
 * recomputed on each resample of the units.
 */
export function bootstrap<T>(units: readonly T[], stat: (sample: readonly T[]) => number, reps = 1000, seed = 11): Estimate {
  const value = stat(units);
  const rand = rng(seed);
  const vals: number[] = [];
  for (let r = 0; r < reps; r++) {
    const sample: T[] = new Array(units.length);
    for (let i = 0; i < units.length; i++) sample[i] = units[Math.floor(rand() * units.length)] as T;
    const v = stat(sample);
    if (!Number.isNaN(v)) vals.push(v);
  }
  vals.sort((a, b) => a - b);
  const q = (p: number): number => vals[Math.min(vals.length - 1, Math.max(0, Math.floor(p * vals.length)))] ?? NaN;
  return { value, lo: q(0.025), hi: q(0.975) };
}
