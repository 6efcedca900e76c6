/**
 * The trained part of the analyzer: one logistic regression per label over sparse features,
 * with a decision threshold chosen on out-of-fold predictions at training time.
 */
import type { Features } from './features.ts';
import type { Label, Role } from './types.ts';

export interface LabelModel {
  role: Exclude<Role, 'system'>;
  bias: number;
  /** Probability at or above which the label is given. */
  threshold: number;
  weights: Record<string, number>;
}

export interface ListeningModel {
  version: 1;
  /** Free text: the corpora and command used, for the model card. */
  trainedOn: string[];
  labels: Partial<Record<Label, LabelModel>>;
}

/** P(label | features) under a label model. */
export function predict(m: LabelModel, f: Features): number {
  let z = m.bias;
  const w = m.weights;
  for (const [k, v] of f) {
    const wk = w[k];
    if (wk !== undefined) z += wk * v;
  }
  return 1 / (1 + Math.exp(-z));
}

/** The features that pushed a prediction up most (for evidence). */
export function topFeatures(m: LabelModel, f: Features, n: number): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const [k, v] of f) {
    const wk = m.weights[k];
    if (wk !== undefined && wk * v > 0) out.push([k, wk * v]);
  }
  out.sort((a, b) => b[1] - a[1]);
  return out.slice(0, n);
}

/**
 * A model compiled for speed: per role, one weight vector per feature (all labels at once),
 * so each feature costs one map lookup however many labels there are.
 */
export interface CompiledRole {
  labels: Label[];
  bias: Float64Array;
  weights: Map<string, Float64Array>;
  /** Partial scores of the text features, per text (they do not depend on context). */
  baseCache: Map<string, Float64Array>;
}

const compiledCache = new WeakMap<ListeningModel, Record<'agent' | 'customer', CompiledRole>>();

export function compile(model: ListeningModel): Record<'agent' | 'customer', CompiledRole> {
  const hit = compiledCache.get(model);
  if (hit !== undefined) return hit;
  const build = (role: 'agent' | 'customer'): CompiledRole => {
    const labels = (Object.keys(model.labels) as Label[]).filter((l) => model.labels[l]?.role === role);
    const weights = new Map<string, Float64Array>();
    labels.forEach((l, i) => {
      for (const [k, w] of Object.entries(model.labels[l]?.weights ?? {})) {
        let v = weights.get(k);
        if (v === undefined) weights.set(k, (v = new Float64Array(labels.length)));
        v[i] = w;
      }
    });
    return { labels, bias: Float64Array.from(labels.map((l) => model.labels[l]?.bias ?? 0)), weights, baseCache: new Map() };
  };
  const out = { agent: build('agent'), customer: build('customer') };
  compiledCache.set(model, out);
  return out;
}

function addInto(acc: Float64Array, c: CompiledRole, f: Features): void {
  for (const [k, x] of f) {
    const w = c.weights.get(k);
    if (w === undefined) continue;
    for (let i = 0; i < w.length; i++) acc[i] = (acc[i] as number) + (w[i] as number) * x;
  }
}

/** Probabilities of every label of a role, from cached text features and fresh context features. */
export function predictAll(c: CompiledRole, text: string, base: Features, ctx: Features): Float64Array {
  let partial = c.baseCache.get(text);
  if (partial === undefined) {
    partial = new Float64Array(c.labels.length);
    addInto(partial, c, base);
    if (c.baseCache.size > 20_000) c.baseCache.clear();
    c.baseCache.set(text, partial);
  }
  const z = Float64Array.from(partial);
  for (let i = 0; i < z.length; i++) z[i] = (z[i] as number) + (c.bias[i] as number);
  addInto(z, c, ctx);
  for (let i = 0; i < z.length; i++) z[i] = 1 / (1 + Math.exp(-(z[i] as number)));
  return z;
}

/** Forget cached partial scores (benchmarks). */
export function clearCompiledCaches(model: ListeningModel): void {
  const c = compiledCache.get(model);
  if (c !== undefined) {
    c.agent.baseCache.clear();
    c.customer.baseCache.clear();
  }
}
