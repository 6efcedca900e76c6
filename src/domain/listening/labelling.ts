/**
 * Per-message labelling: trained models for the labels a corpus annotates (sales asks,
 * refusals, reflections, questions), rules for the rest. Agent turns are labelled first so a
 * customer turn can use "the agent had just asked for something" as context.
 */
import { agentContextFeatures, contentStems, customerContextFeatures, FEATURE, fid, hasFeature, merge, textFeatures, type Features } from './features.ts';
import { lex, strHash, type Lexed, type TokenInfo } from './nlp.ts';
import { compile, predictAll, weightOf, type CompiledRole, type ListeningModel } from './model.ts';
import { agentRuleHits, asksConsent, onlyOffersHelp, customerRuleHits, explicitAskSpan, pressureSpan, questionSpan, strongRefusalSpan } from './rules.ts';
import type { InputMessage, Label } from './types.ts';

/** A label on one message, with the words that show it. */
export interface LabelHit {
  label: Label;
  start: number;
  end: number;
}

export interface LabelledMessage {
  role: InputMessage['role'];
  lexed: Lexed | null;
  hits: LabelHit[];
  /** Model probabilities, for scores and evaluation. */
  probs: Partial<Record<Label, number>>;
  author: string | undefined;
  /** Agent turns: pressure to turn a no into a yes ("Are you sure?"), a push only after a refusal. */
  pressure?: { start: number; end: number } | null;
  /** Agent turns with a sensitive request: asks the customer's consent for an action (not merely for data); false on other turns. */
  asksConsent?: boolean;
  /** Customer turns: a refusal sure enough to make a later ask a push (see `findingThreshold`). */
  firmRefusal?: boolean;
  /** Agent turns: gives information or advice (auxiliary `advice` model; undefined without it). */
  advice?: boolean;
}

const AGENT_TRAINED: readonly Label[] = ['sales_ask', 'reflection', 'question'];
const CUSTOMER_TRAINED: readonly Label[] = ['refusal'];

/** Read only `role`, `text` and `author`: never `gold`, `raw` or anything else. */
function readMessage(m: InputMessage): { role: InputMessage['role']; text: string; author: string | undefined } {
  const role = m.role === 'agent' || m.role === 'customer' ? m.role : 'system';
  const text = typeof m.text === 'string' ? m.text : '';
  const author = typeof m.author === 'string' ? m.author : undefined;
  return { role, text, author };
}

const K_U = strHash('u');
const K_UN = strHash('un');
const K_B = strHash('b');

/** The sentence that carries most of the model's evidence (word and bigram weights), as a span. */
function evidenceSpan(lexed: Lexed, c: CompiledRole, li: number): { start: number; end: number } {
  let best = -Infinity;
  let span = { start: 0, end: lexed.text.length };
  for (const [a, b] of lexed.sentences) {
    let score = 0;
    let prev = -1;
    for (let i = a; i <= b && i < lexed.n; i++) {
      const t = lexed.info[i] as TokenInfo;
      if (!t.isWord) continue;
      score += weightOf(c, li, fid(lexed.neg[i] === 1 ? K_UN : K_U, t.h));
      if (prev >= 0) score += weightOf(c, li, fid(K_B, prev, t.h));
      prev = t.h;
    }
    if (a < lexed.n && b < lexed.n && score > best && (lexed.end[b] as number) > (lexed.start[a] as number)) {
      best = score;
      span = { start: lexed.start[a] as number, end: lexed.end[b] as number };
    }
  }
  return span;
}

function wholeSpan(lexed: Lexed): { start: number; end: number } {
  return lexed.n > 0 ? { start: lexed.start[0] as number, end: lexed.end[lexed.n - 1] as number } : { start: 0, end: 0 };
}

/**
 * A hit whose evidence span is worked out only if someone reads it (most never are): from the
 * model's word weights (`c`, label index `li`), or the rule fallback when `c` is null. A class
 * rather than closures: closures per message were a measurable cost.
 */
class LazyHit implements LabelHit {
  readonly label: Label;
  private readonly lexed: Lexed;
  private readonly c: CompiledRole | null;
  private readonly li: number;
  private span: { start: number; end: number } | null = null;
  constructor(label: Label, lexed: Lexed, c: CompiledRole | null, li: number) {
    this.label = label;
    this.lexed = lexed;
    this.c = c;
    this.li = li;
  }
  private get(): { start: number; end: number } {
    if (this.span === null) {
      this.span = this.c !== null ? evidenceSpan(this.lexed, this.c, this.li)
        : (this.label === 'question' ? questionSpan(this.lexed) : null) ?? wholeSpan(this.lexed);
    }
    return this.span;
  }
  get start(): number { return this.get().start; }
  get end(): number { return this.get().end; }
}

const hasEither = (base: Features, ctx: Features, id: number): boolean => hasFeature(base, id) || hasFeature(ctx, id);

/**
 * Apply a label's threshold to its probability, or a rule fallback when the model lacks the
 * label; `c` is null in the result when the fallback decided (its span is the rule's).
 */
function trainedLabel(label: Label, model: ListeningModel, c: CompiledRole, p: number | undefined, base: Features, ctx: Features, lexed: Lexed): { p: number; on: boolean; c: CompiledRole | null; li: number } {
  const m = model.labels[label];
  const li = c.labels.indexOf(label);
  if (m !== undefined && p !== undefined && li >= 0) {
    // The sales-ask model learned donation asks; an explicit "would you like to buy/upgrade …?"
    // in any trade counts too.
    const explicitAsk = label === 'sales_ask' && hasEither(base, ctx, FEATURE.askVerb) && hasEither(base, ctx, FEATURE.askFrame) && hasEither(base, ctx, FEATURE.qLast);
    return { p, on: p >= m.threshold || explicitAsk, c, li };
  }
  // Fallbacks keep the analyzer useful with a model trained on other labels.
  let on = false;
  if (label === 'question') on = questionSpan(lexed) !== null;
  else if (label === 'sales_ask') on = hasEither(base, ctx, FEATURE.askVerb) && hasEither(base, ctx, FEATURE.askFrame) && hasEither(base, ctx, FEATURE.qAny);
  else if (label === 'reflection') on = false;
  else if (label === 'refusal') on = hasEither(base, ctx, FEATURE.directNo) || hasEither(base, ctx, FEATURE.selfPity) || hasEither(base, ctx, FEATURE.delay);
  return { p: on ? 1 : 0, on, c: null, li };
}

const trainedLabelsOf = new WeakMap<ListeningModel, Record<'agent' | 'customer', Label[]>>();

/** The built-in trained labels of a role, plus any label a user's model was trained on (memoised per model). */
function trainedLabels(model: ListeningModel, role: 'agent' | 'customer', builtIn: readonly Label[]): Label[] {
  let memo = trainedLabelsOf.get(model);
  if (memo === undefined) {
    const of = (r: 'agent' | 'customer', b: readonly Label[]): Label[] =>
      [...b, ...(Object.keys(model.labels) as Label[]).filter((l) => model.labels[l]?.role === r && !b.includes(l))];
    memo = { agent: of('agent', AGENT_TRAINED), customer: of('customer', CUSTOMER_TRAINED) };
    trainedLabelsOf.set(model, memo);
  }
  return role === 'agent' && builtIn === AGENT_TRAINED ? memo.agent : role === 'customer' && builtIn === CUSTOMER_TRAINED ? memo.customer
    : [...builtIn, ...(Object.keys(model.labels) as Label[]).filter((l) => model.labels[l]?.role === role && !builtIn.includes(l))];
}

/** A rule label is replaced by the model's when the model was trained on it. */
function overridden(model: ListeningModel, label: Label, role: 'agent' | 'customer'): boolean {
  return model.labels[label]?.role === role;
}

// Both compared on/off by outer CV in round 3 (docs/listening.md): kept on.
const ADVICE_OVER_REFLECTION = true;
const COMPLY_OVER_REFUSAL = true;

/** Label every message of a conversation (system messages get no labels). */
export function labelMessages(messages: readonly InputMessage[], model: ListeningModel): LabelledMessage[] {
  const read = messages.map(readMessage);
  const out: LabelledMessage[] = read.map((m) => ({
    role: m.role,
    lexed: m.role === 'system' ? null : lex(m.text),
    hits: [],
    probs: {},
    author: m.author,
  }));

  const compiled = compile(model);
  // Context features are consumed as they are made (scratch buffers, no allocation per turn).
  forEachAgentRow(out, 'scratch', (i, ctx) => {
    const msg = out[i];
    if (msg === undefined || msg.lexed === null) return;
    const base = textFeatures(msg.lexed);
    const probs = predictAll(compiled.agent, msg.lexed.text, base, ctx);
    for (const label of trainedLabels(model, 'agent', AGENT_TRAINED)) {
      const at = compiled.agent.labels.indexOf(label);
      const r = trainedLabel(label, model, compiled.agent, at >= 0 ? probs[at] : undefined, base, ctx, msg.lexed);
      msg.probs[label] = r.p;
      if (r.on) msg.hits.push(new LazyHit(label, msg.lexed, r.c, r.li));
    }
    if (onlyOffersHelp(msg.lexed)) msg.hits = msg.hits.filter((h) => h.label !== 'sales_ask');
    if (!msg.hits.some((h) => h.label === 'sales_ask')) {
      const pitch = explicitAskSpan(msg.lexed);
      if (pitch !== null) msg.hits.push({ label: 'sales_ask', ...pitch });
    }
    const ai = compiled.agent.labels.indexOf('advice');
    const adv = model.aux?.advice;
    if (ai >= 0 && adv !== undefined) msg.advice = (probs[ai] as number) >= adv.threshold;
    if (msg.advice === true && ADVICE_OVER_REFLECTION) {
      // Advice and reflection exclude each other in MI coding: the surer one wins.
      const am = (probs[ai] as number) - (adv?.threshold ?? 0.5);
      const rm = (msg.probs.reflection ?? 0) - (model.labels.reflection?.threshold ?? 0.5);
      if (am > rm) msg.hits = msg.hits.filter((h) => h.label !== 'reflection');
      else msg.advice = false;
    }
    msg.pressure = pressureSpan(msg.lexed);
    resolveReflectionVsQuestion(msg, model);
    msg.hits.push(...agentRuleHits(msg.lexed).filter((h) => !overridden(model, h.label, 'agent')));
    // Findings read it only on sensitive requests: the consent pattern runs only there.
    msg.asksConsent = has(msg, 'sensitive_request') && asksConsent(msg.lexed);
  });
  // Before the agent has said anything a customer turn cannot be a (model) refusal: with only
  // that label trained for customers, such turns skip features and scoring altogether (most
  // helpdesk threads open with one or more customer posts).
  const customerLabels = trainedLabels(model, 'customer', CUSTOMER_TRAINED);
  const skipBeforeAgent = customerLabels.every((l) => l === 'refusal');
  // Exactly what the full path gives a turn with no agent turn before it: the model's refusal
  // is not used there, so only an explicit refusal counts, and it is always firm.
  const beforeAgent = (i: number): void => {
    const msg = out[i];
    if (msg === undefined || msg.lexed === null) return;
    const strong = strongRefusalSpan(msg.lexed);
    if (strong !== null) msg.hits.push({ label: 'refusal', ...strong });
    msg.firmRefusal = strong !== null;
    msg.hits.push(...customerRuleHits(msg.lexed).filter((h) => !overridden(model, h.label, 'customer')));
  };
  forEachCustomerRow(out, (j) => out[j]?.probs.sales_ask ?? 0, 'scratch', (i, ctx) => {
    const msg = out[i];
    if (msg === undefined || msg.lexed === null) return;
    const base = textFeatures(msg.lexed);
    const probs = predictAll(compiled.customer, msg.lexed.text, base, ctx);
    const afterAgent = !hasFeature(ctx, FEATURE.paNone);
    for (const label of customerLabels) {
      const at = compiled.customer.labels.indexOf(label);
      const r = trainedLabel(label, model, compiled.customer, at >= 0 ? probs[at] : undefined, base, ctx, msg.lexed);
      msg.probs[label] = r.p;
      if (label === 'refusal' && !afterAgent) continue;
      if (r.on) msg.hits.push(new LazyHit(label, msg.lexed, r.c, r.li));
    }
    const ci = compiled.customer.labels.indexOf('comply');
    const cm = model.aux?.comply;
    // Assent ("I'd be happy to give $1") that the comply model is surer of than the refusal
    // model is of a no keeps the refusal label (RESPER codes many such turns as both) but does
    // not make a later ask a push.
    let assent = false;
    if (ci >= 0 && cm !== undefined && COMPLY_OVER_REFUSAL) {
      const am = (probs[ci] as number) - cm.threshold;
      const rm = (msg.probs.refusal ?? 0) - (model.labels.refusal?.threshold ?? 0.5);
      assent = am > 0 && am > rm;
    }
    const strong = strongRefusalSpan(msg.lexed);
    if (strong !== null && !msg.hits.some((h) => h.label === 'refusal')) msg.hits.push({ label: 'refusal', ...strong });
    // A push finding needs a surer refusal than the label (explicit ones always are).
    const ft = model.labels.refusal?.findingThreshold;
    msg.firmRefusal = has(msg, 'refusal') && (strong !== null || (!assent && (ft === undefined || (msg.probs.refusal ?? 0) >= ft)));
    msg.hits.push(...customerRuleHits(msg.lexed).filter((h) => !overridden(model, h.label, 'customer')));
  }, skipBeforeAgent ? beforeAgent : undefined);
  return out;
}

/**
 * A turn is coded as a reflection or a question, not both (as in MI coding): keep the one
 * the models are surer of, measured as the margin over its threshold.
 */
function resolveReflectionVsQuestion(msg: LabelledMessage, model: ListeningModel): void {
  const r = msg.hits.find((h) => h.label === 'reflection');
  const q = msg.hits.find((h) => h.label === 'question');
  if (r === undefined || q === undefined) return;
  const rm = (msg.probs.reflection ?? 0) - (model.labels.reflection?.threshold ?? 0.5);
  const qm = (msg.probs.question ?? 0) - (model.labels.question?.threshold ?? 0.5);
  const drop = rm >= qm ? 'question' : 'reflection';
  msg.hits = msg.hits.filter((h) => h.label !== drop);
}

/** Whether a labelled message carries `label`. */
export function has(m: LabelledMessage, label: Label): boolean {
  return m.hits.some((h) => h.label === label);
}

/** The evidence span of `label` on a message. */
export function hitOf(m: LabelledMessage, label: Label): LabelHit | undefined {
  return m.hits.find((h) => h.label === label);
}

/** Lexed message with its role: the input of feature extraction. */
export interface RoleLexed {
  role: InputMessage['role'];
  lexed: Lexed | null;
}

/**
 * What a row holds: text and context features merged (training), the context part alone, or
 * the context part in scratch buffers valid only during the callback (analysis).
 */
type RowMode = 'merged' | 'context' | 'scratch';

/** Features of every agent message (index → features), with its conversation context. */
export function agentFeatureRows(messages: readonly RoleLexed[], contextOnly = false): Map<number, Features> {
  const rows = new Map<number, Features>();
  forEachAgentRow(messages, contextOnly ? 'context' : 'merged', (i, f) => rows.set(i, f));
  return rows;
}

/** Features of every customer message, given each agent message's sales-ask probability. */
export function customerFeatureRows(messages: readonly RoleLexed[], askProb: (agentIndex: number) => number, contextOnly = false): Map<number, Features> {
  const rows = new Map<number, Features>();
  forEachCustomerRow(messages, askProb, contextOnly ? 'context' : 'merged', (i, f) => rows.set(i, f));
  return rows;
}

function forEachAgentRow(messages: readonly RoleLexed[], mode: RowMode, fn: (i: number, f: Features) => void): void {
  let prevCustomer: Lexed | null = null;
  let prevAgent: Lexed | null = null;
  const earlier = new Set<string>();
  let agentTurns = 0;
  for (let i = 0; i < messages.length; i++) {
    const msg = messages[i] as RoleLexed;
    if (msg.lexed === null) continue;
    if (msg.role === 'customer') {
      prevCustomer = msg.lexed;
      for (const s of contentStems(msg.lexed)) earlier.add(s);
      continue;
    }
    if (msg.role !== 'agent') continue;
    const ctx = agentContextFeatures(msg.lexed, { prevCustomer, prevAgent, earlierCustomerStems: earlier, agentTurn: agentTurns }, mode === 'scratch');
    fn(i, mode === 'merged' ? merge(textFeatures(msg.lexed), ctx) : ctx);
    prevAgent = msg.lexed;
    agentTurns++;
  }
}

/**
 * With `beforeAgent`, turns that no agent turn precedes go to it instead, without features:
 * the caller has shown features cannot change their labels.
 */
function forEachCustomerRow(messages: readonly RoleLexed[], askProb: (agentIndex: number) => number, mode: RowMode, fn: (i: number, f: Features) => void, beforeAgent?: (i: number) => void): void {
  let prevAgent = -1;
  let prevCustomer: Lexed | null = null;
  let anyAsk = 0;
  let asks = 0;
  let turns = 0;
  for (let i = 0; i < messages.length; i++) {
    const msg = messages[i] as RoleLexed;
    if (msg.lexed === null) continue;
    if (msg.role === 'agent') {
      prevAgent = i;
      const p = askProb(i);
      anyAsk = Math.max(anyAsk, p);
      if (p >= 0.5) asks++;
      continue;
    }
    if (msg.role !== 'customer') continue;
    if (beforeAgent !== undefined && prevAgent < 0) {
      beforeAgent(i);
      prevCustomer = msg.lexed;
      turns++;
      continue;
    }
    const ctx = customerContextFeatures({
      prevAgent: prevAgent >= 0 ? (messages[prevAgent]?.lexed ?? null) : null,
      prevAgentAsk: prevAgent >= 0 ? askProb(prevAgent) : 0,
      anyAskBefore: anyAsk,
      asksBefore: asks,
      prevCustomer,
      customerTurn: turns,
    }, msg.lexed, mode === 'scratch');
    fn(i, mode === 'merged' ? merge(textFeatures(msg.lexed), ctx) : ctx);
    prevCustomer = msg.lexed;
    turns++;
  }
}
