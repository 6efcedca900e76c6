/**
 * The trained part of the analyzer: one logistic regression per label over sparse hashed
 * features, with a decision threshold chosen on out-of-fold predictions at training time.
 * model.json keeps readable feature names; `compile` turns them into ids once.
 */
import { nameId, type Features } from './features.ts';
import type { Label, Role } from './types.ts';

export interface LabelModel {
  role: Exclude<Role, 'system'>;
  bias: number;
  /** Probability at or above which the label is given. */
  threshold: number;
  /**
   * Refusal only: the probability a refusal needs before a later ask makes a
   * `push_after_refusal` finding (tuned inside the training folds; absent = `threshold`).
   */
  findingThreshold?: number;
  /** Feature name → weight (names as in features.ts: "u:donat", "b:would you", "lx:delay" …). */
  weights: Record<string, number>;
}

export interface ListeningModel {
  version: 1;
  /** Free text: the corpora and command used, for the model card. */
  trainedOn: string[];
  labels: Partial<Record<Label, LabelModel>>;
  /**
   * Auxiliary models that label nothing in the output: `advice` (agent information/advice
   * turns, AnnoMI's "therapist input") tells advice from reflection and feeds the score;
   * `comply` (customer agrees, reacts positively or names an amount) tells assent from refusal.
   */
  aux?: Partial<Record<AuxLabel, LabelModel>>;
}

/** Auxiliary (internal) labels: trained like the others, never emitted as message labels. */
export const AUX_LABELS = ['advice', 'comply'] as const;
export type AuxLabel = (typeof AUX_LABELS)[number];

/**
 * A model compiled for speed: per role, an open-addressing table from feature id to a slot of
 * per-label weights, so each feature costs one probe however many labels there are.
 */
export interface CompiledRole {
  labels: Array<Label | AuxLabel>;
  bias: Float64Array;
  /** Slot → feature id + 1 (0 = empty). */
  keys: Int32Array;
  /** Slot × labels → weight. */
  weights: Float64Array;
  mask: number;
  /** Partial scores of the text features, per text (they do not depend on context). */
  baseCache: Map<string, Float64Array>;
}

function slotOf(c: CompiledRole, id: number): number {
  const key = id + 1;
  let s = (id ^ (id >>> 13)) & c.mask;
  for (;;) {
    const k = c.keys[s] as number;
    if (k === key) return s;
    if (k === 0) return -1;
    s = (s + 1) & c.mask;
  }
}

/** Compile the labels of one role (or one label alone, for training). */
export function compileLabels(entries: ReadonlyArray<[Label | AuxLabel, LabelModel]>): CompiledRole {
  const labels = entries.map(([l]) => l);
  const L = labels.length;
  const ids = new Map<number, number>();
  for (const [, m] of entries) for (const k of Object.keys(m.weights)) if (!ids.has(nameId(k))) ids.set(nameId(k), ids.size);
  let size = 16;
  while (size < ids.size * 2) size *= 2;
  const c: CompiledRole = {
    labels,
    bias: Float64Array.from(entries.map(([, m]) => m.bias)),
    keys: new Int32Array(size),
    weights: new Float64Array(size * Math.max(1, L)),
    mask: size - 1,
    baseCache: new Map(),
  };
  entries.forEach(([, m], li) => {
    for (const [k, w] of Object.entries(m.weights)) {
      const id = nameId(k);
      let s = slotOf(c, id);
      if (s < 0) {
        s = (id ^ (id >>> 13)) & c.mask;
        while ((c.keys[s] as number) !== 0) s = (s + 1) & c.mask;
        c.keys[s] = id + 1;
      }
      c.weights[s * L + li] = (c.weights[s * L + li] as number) + w;
    }
  });
  return c;
}

const compiledCache = new WeakMap<ListeningModel, Record<'agent' | 'customer', CompiledRole>>();

export function compile(model: ListeningModel): Record<'agent' | 'customer', CompiledRole> {
  const hit = compiledCache.get(model);
  if (hit !== undefined) return hit;
  const build = (role: 'agent' | 'customer'): CompiledRole =>
    compileLabels([
      ...(Object.keys(model.labels) as Label[]).flatMap((l): Array<[Label, LabelModel]> => {
        const m = model.labels[l];
        return m !== undefined && m.role === role ? [[l, m]] : [];
      }),
      ...(Object.keys(model.aux ?? {}) as AuxLabel[]).flatMap((l): Array<[AuxLabel, LabelModel]> => {
        const m = model.aux?.[l];
        return m !== undefined && m.role === role ? [[l, m]] : [];
      }),
    ]);
  const out = { agent: build('agent'), customer: build('customer') };
  compiledCache.set(model, out);
  return out;
}

function addInto(acc: Float64Array, c: CompiledRole, f: Features): void {
  const L = c.labels.length;
  const { ids, vals } = f;
  for (let j = 0; j < ids.length; j++) {
    const s = slotOf(c, ids[j] as number);
    if (s < 0) continue;
    const x = vals[j] as number;
    const o = s * L;
    for (let i = 0; i < L; i++) acc[i] = (acc[i] as number) + (c.weights[o + i] as number) * x;
  }
}

/** The weight of feature `id` for label index `li` (0 when absent). */
export function weightOf(c: CompiledRole, li: number, id: number): number {
  const s = slotOf(c, id);
  return s < 0 ? 0 : (c.weights[s * c.labels.length + li] as number);
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

/** P(label | features) under one compiled single-label model (training). */
export function predictOne(c: CompiledRole, f: Features): number {
  const z = new Float64Array(1);
  addInto(z, c, f);
  return 1 / (1 + Math.exp(-((z[0] as number) + (c.bias[0] as number))));
}

/** Forget cached partial scores (benchmarks). */
export function clearCompiledCaches(model: ListeningModel): void {
  const c = compiledCache.get(model);
  if (c !== undefined) {
    c.agent.baseCache.clear();
    c.customer.baseCache.clear();
  }
}
