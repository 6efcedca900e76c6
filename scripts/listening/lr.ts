/**
 * A small L2-regularised logistic regression over sparse features, trained with AdaGrad SGD
 * in a seeded order, so training is reproducible bit for bit. No ML library needed.
 */
import { featureName, type Features } from '../../src/domain/listening/features.ts';
import { seededRandom } from '../../src/domain/seeded-random.ts';

export interface Row {
  f: Features;
  y: 0 | 1;
  group: string;
  /** Identifies the message (conversation id # index), for out-of-fold bookkeeping. */
  key?: string;
}

export interface LrOptions {
  epochs: number;
  l2: number;
  rate: number;
  seed: number;
  /** Keep only features seen in at least this many training rows. */
  minCount: number;
  /** Drop weights smaller than this in absolute value. */
  prune: number;
}

// LW_LR='{"rate":0.05}' overrides options for experiments (how the learning rate was compared).
export const DEFAULT_LR: LrOptions = { epochs: 15, l2: 1e-4, rate: 0.03, seed: 7, minCount: 3, prune: 0.02, ...(process.env.LW_LR ? (JSON.parse(process.env.LW_LR) as Partial<LrOptions>) : {}) };

/** mulberry32: a tiny seeded PRNG (shared with the history generator). */
export const rng = seededRandom;

export interface Fitted {
  bias: number;
  /** Readable names (needs `recordNames(true)` while features were built). */
  weights: Record<string, number>;
  byId: Map<number, number>;
}

export function trainLogistic(rows: readonly Row[], opts: LrOptions = DEFAULT_LR): Fitted {
  const counts = new Map<number, number>();
  for (const r of rows) for (const id of r.f.ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  const ids = [...counts.entries()].filter(([, n]) => n >= opts.minCount).map(([k]) => k).sort((a, b) => a - b);
  const index = new Map(ids.map((k, i) => [k, i]));
  const X = rows.map((r) => {
    const idx: number[] = [];
    const val: number[] = [];
    for (let j = 0; j < r.f.ids.length; j++) {
      const i = index.get(r.f.ids[j] as number);
      const v = r.f.vals[j] as number;
      if (i !== undefined && v !== 0) {
        idx.push(i);
        val.push(v);
      }
    }
    return { idx, val, y: r.y };
  });
  const w = new Float64Array(ids.length);
  const g2 = new Float64Array(ids.length).fill(1e-8);
  let b = 0;
  let gb2 = 1e-8;
  const pos = rows.filter((r) => r.y === 1).length;
  b = Math.log((pos + 1) / (rows.length - pos + 1));
  const order = X.map((_, i) => i);
  const rand = rng(opts.seed);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const t = order[i] as number;
      order[i] = order[j] as number;
      order[j] = t;
    }
    for (const oi of order) {
      const x = X[oi];
      if (x === undefined) continue;
      let z = b;
      for (let k = 0; k < x.idx.length; k++) z += (w[x.idx[k] as number] as number) * (x.val[k] as number);
      const p = 1 / (1 + Math.exp(-z));
      const g = p - x.y;
      for (let k = 0; k < x.idx.length; k++) {
        const j = x.idx[k] as number;
        const grad = g * (x.val[k] as number) + opts.l2 * (w[j] as number);
        g2[j] = (g2[j] as number) + grad * grad;
        w[j] = (w[j] as number) - (opts.rate * grad) / Math.sqrt(g2[j] as number);
      }
      gb2 += g * g;
      b -= (opts.rate * g) / Math.sqrt(gb2);
    }
  }
  const weights: Record<string, number> = {};
  const byId = new Map<number, number>();
  ids.forEach((id, i) => {
    const v = w[i] as number;
    // Prune tiny weights and round: keeps model.json small and diff-friendly.
    if (Math.abs(v) < opts.prune) return;
    const r = Math.round(v * 1000) / 1000;
    byId.set(id, r);
    const name = featureName(id);
    if (name !== undefined) weights[name] = r;
  });
  return { bias: Math.round(b * 1000) / 1000, weights, byId };
}

export function sigmoidScore(m: Fitted, f: Features): number {
  let z = m.bias;
  for (let j = 0; j < f.ids.length; j++) {
    const wk = m.byId.get(f.ids[j] as number);
    if (wk !== undefined) z += wk * (f.vals[j] as number);
  }
  return 1 / (1 + Math.exp(-z));
}

/** Deterministic assignment of groups to k folds (by a seeded shuffle of sorted group ids). */
export function groupFolds(groups: readonly string[], k: number, seed: number): Map<string, number> {
  const uniq = [...new Set(groups)].sort();
  const rand = rng(seed);
  for (let i = uniq.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = uniq[i] as string;
    uniq[i] = uniq[j] as string;
    uniq[j] = t;
  }
  return new Map(uniq.map((g, i) => [g, i % k]));
}

/** The threshold that maximises F1 over a grid (ties → the middle-most). */
export function bestThreshold(scored: ReadonlyArray<{ p: number; y: 0 | 1 }>): number {
  let best = 0.5;
  let bestF = -1;
  for (let t = 0.1; t <= 0.9001; t += 0.025) {
    let tp = 0, fp = 0, fn = 0;
    for (const s of scored) {
      if (s.p >= t) { if (s.y === 1) tp++; else fp++; } else if (s.y === 1) fn++;
    }
    const f = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
    if (f > bestF + 1e-9 || (Math.abs(f - bestF) <= 1e-9 && Math.abs(t - 0.5) < Math.abs(best - 0.5))) {
      bestF = f;
      best = Math.round(t * 1000) / 1000;
    }
  }
  return best;
}
