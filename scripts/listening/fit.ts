/**
 * Fitting a ListeningModel from gold-labelled conversations: one logistic regression per
 * trainable label, thresholds chosen on grouped out-of-fold predictions inside the training
 * data (so evaluation folds are never used for any choice).
 */
import { agentFeatureRows, customerFeatureRows, type RoleLexed } from '../../src/domain/listening/labelling.ts';
import { recordNames, type Features } from '../../src/domain/listening/features.ts';
import { AUX_LABELS, compileLabels, type AuxLabel, predictOne, type LabelModel, type ListeningModel } from '../../src/domain/listening/model.ts';
import { lex } from '../../src/domain/listening/nlp.ts';
import { LABELS, type Label } from '../../src/domain/listening/types.ts';
import { annotatedLabels, type GoldConversation } from './data.ts';
import { bestThreshold, DEFAULT_LR, groupFolds, sigmoidScore, trainLogistic, type LrOptions, type Row } from './lr.ts';

/** Labels left to the hand-written rules unless `trainRuleLabels` is set. */
export const RULE_LABELS: ReadonlySet<string> = new Set([
  'cancel_request', 'consent_given', 'consent_refused', 'constraint', 'complaint',
  'sensitive_request', 'offer', 'acknowledgement', 'cancel_confirmation',
]);

export interface FitOptions {
  lr: LrOptions;
  minPositives: number;
  trainRuleLabels: boolean;
  innerFolds: number;
  /** Called with a short status line (progress on stderr). */
  progress?: (msg: string) => void;
}

export const DEFAULT_FIT: FitOptions = { lr: DEFAULT_LR, minPositives: 30, trainRuleLabels: false, innerFolds: 3 };

interface Prepared {
  conv: GoldConversation;
  lexed: RoleLexed[];
  agentF: Map<number, Features>;
}

/** Lex once; agent features do not depend on any model. */
export function prepare(convs: readonly GoldConversation[]): Prepared[] {
  // Record feature names while features are built, so model.json stores readable names.
  recordNames(true);
  return convs.map((conv) => {
    const lexed = conv.messages.map((m) => ({ role: m.role, lexed: m.role === 'system' ? null : lex(m.text) }));
    return { conv, lexed, agentF: agentFeatureRows(lexed) };
  });
}

function trainableLabels(prepared: readonly Prepared[], opts: FitOptions): Array<{ label: Label; role: 'agent' | 'customer' }> {
  const pos = new Map<string, { agent: number; customer: number }>();
  for (const p of prepared) {
    for (const m of p.conv.messages) {
      for (const g of m.gold ?? []) {
        if (m.role === 'system') continue;
        const c = pos.get(g) ?? { agent: 0, customer: 0 };
        c[m.role]++;
        pos.set(g, c);
      }
    }
  }
  const out: Array<{ label: Label; role: 'agent' | 'customer' }> = [];
  for (const label of LABELS) {
    const c = pos.get(label);
    if (c === undefined || (!opts.trainRuleLabels && RULE_LABELS.has(label))) continue;
    const role = c.agent >= c.customer ? 'agent' : 'customer';
    if (c[role] >= opts.minPositives) out.push({ label, role });
  }
  return out;
}

function rowsFor(prepared: readonly Prepared[], label: string, role: 'agent' | 'customer', annotated: Map<string, Set<string>>, custF: Map<Prepared, Map<number, Features>>): Row[] {
  const rows: Row[] = [];
  for (const p of prepared) {
    if (!(annotated.get(p.conv.corpus)?.has(label) ?? false)) continue;
    const feats = role === 'agent' ? p.agentF : custF.get(p);
    if (feats === undefined) continue;
    for (const [i, f] of feats) {
      const gold = p.conv.messages[i]?.gold;
      if (gold === undefined) continue;
      rows.push({ f, y: gold.includes(label) ? 1 : 0, group: p.conv.group, key: `${p.conv.id}#${i}` });
    }
  }
  return rows;
}

/** A label model plus its out-of-fold probabilities on the training rows (by row key). */
function fitLabel(rows: readonly Row[], role: 'agent' | 'customer', opts: FitOptions): { model: LabelModel; oof: Map<string, number> } {
  const folds = groupFolds(rows.map((r) => r.group), opts.innerFolds, opts.lr.seed + 1);
  const scored: Array<{ p: number; y: 0 | 1 }> = [];
  const oof = new Map<string, number>();
  for (let k = 0; k < opts.innerFolds; k++) {
    const train = rows.filter((r) => folds.get(r.group) !== k);
    const test = rows.filter((r) => folds.get(r.group) === k);
    const m = trainLogistic(train, opts.lr);
    for (const r of test) {
      const p = sigmoidScore(m, r.f);
      scored.push({ p, y: r.y });
      if (r.key !== undefined) oof.set(r.key, p);
    }
  }
  const m = trainLogistic(rows, opts.lr);
  return { model: { role, bias: m.bias, threshold: bestThreshold(scored), weights: m.weights }, oof };
}

/** Train a model on `convs`. Deterministic for the same input and options. */
export function fitModel(convs: readonly GoldConversation[], trainedOn: string[], opts: FitOptions = DEFAULT_FIT, preparedIn?: Prepared[]): ListeningModel {
  const prepared = preparedIn ?? prepare(convs);
  const annotated = annotatedLabels(prepared.map((p) => p.conv));
  const labels = trainableLabels(prepared, opts);
  const model: ListeningModel = { version: 1, trainedOn, labels: {} };
  // Agent labels first: a customer turn's features include "the agent just asked for something".
  let salesOof = new Map<string, number>();
  for (const { label, role } of labels.filter((l) => l.role === 'agent')) {
    opts.progress?.(`training ${label} (${role})`);
    const fitted = fitLabel(rowsFor(prepared, label, role, annotated, new Map()), role, opts);
    model.labels[label] = fitted.model;
    if (label === 'sales_ask') salesOof = fitted.oof;
  }
  // Auxiliary labels (advice, comply): used inside the analyzer, never emitted.
  const auxOf = (role: 'agent' | 'customer'): AuxLabel[] => AUX_LABELS.filter((label) => {
    let n = 0;
    for (const p of prepared) for (const m of p.conv.messages) if (m.role === role && (m.gold?.includes(label) ?? false)) n++;
    return n >= opts.minPositives;
  });
  for (const label of auxOf('agent')) {
    opts.progress?.(`training ${label} (agent, auxiliary)`);
    (model.aux ??= {})[label] = fitLabel(rowsFor(prepared, label, 'agent', annotated, new Map()), 'agent', opts).model;
  }
  const sales = model.labels.sales_ask;
  const salesC = sales === undefined ? null : compileLabels([['sales_ask', sales]]);
  const custF = new Map<Prepared, Map<number, Features>>();
  recordNames(true);
  for (const p of prepared) {
    custF.set(p, customerFeatureRows(p.lexed, (i) => {
      // Out-of-fold sales-ask probabilities where the row was a training row: in-sample ones
      // would be over-confident, and the refusal model would lean on them more than it can at
      // run time (stacking).
      const oof = salesOof.get(`${p.conv.id}#${i}`);
      if (oof !== undefined) return oof;
      const f = p.agentF.get(i);
      return salesC !== null && f !== undefined ? predictOne(salesC, f) : 0;
    }));
  }
  for (const label of auxOf('customer')) {
    opts.progress?.(`training ${label} (customer, auxiliary)`);
    (model.aux ??= {})[label] = fitLabel(rowsFor(prepared, label, 'customer', annotated, custF), 'customer', opts).model;
  }
  for (const { label, role } of labels.filter((l) => l.role === 'customer')) {
    opts.progress?.(`training ${label} (${role})`);
    const fitted = fitLabel(rowsFor(prepared, label, role, annotated, custF), role, opts);
    model.labels[label] = fitted.model;
    if (label === 'refusal' && sales !== undefined) {
      const t = pushThreshold(prepared, fitted.oof, salesOof, sales.threshold, fitted.model.threshold);
      if (t !== null) fitted.model.findingThreshold = t;
    }
  }
  return model;
}

/**
 * The refusal probability a `push_after_refusal` finding needs. One false refusal followed by
 * any ask makes a false finding, so the finding may need more confidence than the label. Chosen
 * on out-of-fold probabilities of the training conversations only (never the evaluation fold),
 * maximising per-conversation F1 of "a sales ask after a refusal" against the corpus's own
 * conversation truth.
 */
function pushThreshold(prepared: readonly Prepared[], refusalOof: Map<string, number>, salesOof: Map<string, number>, salesT: number, labelT: number): number | null {
  type Step = { refusal: number } | { ask: boolean };
  const convs: Array<{ y: boolean; steps: Step[] }> = [];
  for (const p of prepared) {
    const y = p.conv.gold.push_after_refusal;
    if (typeof y !== 'boolean') continue;
    const steps: Step[] = [];
    p.conv.messages.forEach((m, i) => {
      const key = `${p.conv.id}#${i}`;
      if (m.role === 'customer') steps.push({ refusal: refusalOof.get(key) ?? 0 });
      else if (m.role === 'agent') steps.push({ ask: (salesOof.get(key) ?? 0) >= salesT });
    });
    convs.push({ y, steps });
  }
  if (convs.length < 30) return null;
  let best = labelT;
  let bestF = -1;
  for (let t = labelT; t <= 0.9001; t += 0.025) {
    let tp = 0, fp = 0, fn = 0;
    for (const c of convs) {
      let refused = false;
      let pred = false;
      for (const s of c.steps) {
        if ('refusal' in s) { if (s.refusal >= t) refused = true; } else if (s.ask && refused) { pred = true; break; }
      }
      if (pred && c.y) tp++; else if (pred) fp++; else if (c.y) fn++;
    }
    const f = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
    if (f > bestF + 1e-9) { bestF = f; best = Math.round(t * 1000) / 1000; }
  }
  return best;
}
