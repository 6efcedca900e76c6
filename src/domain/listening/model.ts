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
