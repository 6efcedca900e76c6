/**
 * Sparse features for the trained labels. The text part of a message's features is cached by
 * text; the context part (overlap with the customer's last turn, whether the agent just asked
 * for something) is a handful of cheap additions made per conversation.
 */
import { CUES, STOPWORDS } from './lexicons.ts';
import type { Lexed } from './nlp.ts';

/** Feature name → value (1 for indicator features). */
export type Features = Map<string, number>;

function lengthBucket(n: number): string {
  if (n <= 1) return '1';
  if (n <= 3) return '2-3';
  if (n <= 7) return '4-7';
  if (n <= 15) return '8-15';
  if (n <= 31) return '16-31';
  return '32+';
}

const textCache = new Map<string, Features>();

/** Context-free features of a message's text (cached; do not mutate the result). */
export function textFeatures(lexed: Lexed): Features {
  const hit = textCache.get(lexed.text);
  if (hit !== undefined) return hit;
  const f: Features = new Map();
  const words = lexed.tokens.filter((t) => t.kind === 'word' || t.kind === 'number');
  let prev: string | null = null;
  for (const t of words) {
    const s = t.kind === 'number' ? '#' : t.stem;
    f.set(`u:${t.neg ? '!' : ''}${s}`, 1);
    if (prev !== null) f.set(`b:${prev}_${s}`, 1);
    prev = s;
  }
  const w0 = words[0]?.stem;
  const w1 = words[1]?.stem;
  if (w0 !== undefined) f.set(`f1:${w0}`, 1);
  if (w0 !== undefined && w1 !== undefined) f.set(`f2:${w0}_${w1}`, 1);
  // Skip a leading "okay/so/yeah" so the first real word is seen too ("Okay. So you feel …").
  const firstContent = words.find((t) => !STOPWORDS.has(t.norm) || t.norm === 'you' || t.norm === 'what' || t.norm === 'how');
  if (firstContent !== undefined) f.set(`fc:${firstContent.stem}`, 1);
  f.set(`len:${lengthBucket(words.length)}`, 1);
  const qCount = lexed.tokens.reduce((n, t) => n + (t.norm.includes('?') ? 1 : 0), 0);
  if (qCount > 0) f.set('q:any', 1);
  if (qCount > 1) f.set('q:many', 1);
  const last = lexed.tokens[lexed.tokens.length - 1];
  if (last !== undefined) f.set(`end:${last.kind === 'punct' ? last.norm.slice(-1) : last.kind}`, 1);
  if (lexed.text.endsWith('-') || lexed.text.endsWith('—')) f.set('end:cut', 1);
  // Last sentence is a question: the usual shape of an ask ("…. Would you like to donate?").
  const lastSentence = lexed.sentences[lexed.sentences.length - 1];
  if (lastSentence !== undefined && lexed.tokens[lastSentence[1]]?.norm.includes('?')) f.set('q:last', 1);
  let you = 0;
  let me = 0;
  for (const t of words) {
    if (t.norm === 'you' || t.norm === 'your' || t.norm === "you're" || t.norm === 'yourself') you++;
    if (t.norm === 'i' || t.norm === 'my' || t.norm === "i'm" || t.norm === 'me') me++;
  }
  if (you > 0) f.set(`you:${you > 2 ? '3+' : you}`, 1);
  if (me > 0) f.set(`me:${me > 2 ? '3+' : me}`, 1);
  for (const [name, re] of Object.entries(CUES)) {
    re.lastIndex = 0;
    if (re.test(lexed.normText)) f.set(`lx:${name}`, 1);
  }
  if (textCache.size > 20_000) textCache.clear();
  textCache.set(lexed.text, f);
  return f;
}

const stemsOf = new WeakMap<Lexed, Set<string>>();

/** Content stems of a message (for overlap between turns), memoised per tokenised text. */
export function contentStems(lexed: Lexed): Set<string> {
  const hit = stemsOf.get(lexed);
  if (hit !== undefined) return hit;
  const out = new Set<string>();
  stemsOf.set(lexed, out);
  for (const t of lexed.tokens) {
    if (t.kind === 'word' && t.norm.length > 1 && !STOPWORDS.has(t.norm) && !t.norm.startsWith('@')) out.add(t.stem);
  }
  return out;
}

function overlap(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const x of a) if (b.has(x)) n++;
  return n;
}

function bucket(x: number): string {
  if (x === 0) return '0';
  if (x < 0.2) return 'lo';
  if (x < 0.5) return 'mid';
  return 'hi';
}

/** What an agent turn knows about the customer turns before it. */
export interface AgentContext {
  prevCustomer: Lexed | null;
  /** Content stems of all earlier customer turns. */
  earlierCustomerStems: Set<string>;
  isFirstAgentTurn: boolean;
}

/** Features of an agent message: its text plus how much it restates the customer. */
export function agentFeatures(lexed: Lexed, ctx: AgentContext): Features {
  return merge(textFeatures(lexed), agentContextFeatures(lexed, ctx));
}

/** Text features plus context features, as one map (for training). */
export function merge(base: Features, ctx: Features): Features {
  const f = new Map(base);
  for (const [k, v] of ctx) f.set(k, v);
  return f;
}

/** Only the context part of an agent message's features (the text part is cached apart). */
export function agentContextFeatures(lexed: Lexed, ctx: AgentContext): Features {
  const f: Features = new Map();
  const mine = contentStems(lexed);
  if (ctx.prevCustomer !== null) {
    const theirs = contentStems(ctx.prevCustomer);
    const shared = overlap(mine, theirs);
    const ov = mine.size === 0 ? 0 : shared / mine.size;
    const cov = theirs.size === 0 ? 0 : shared / theirs.size;
    f.set('ov', ov);
    f.set('cov', cov);
    f.set(`ovb:${bucket(ov)}`, 1);
    f.set(`covb:${bucket(cov)}`, 1);
    const pcWords = ctx.prevCustomer.tokens.filter((t) => t.kind === 'word').length;
    f.set(`pc:len:${lengthBucket(pcWords)}`, 1);
    if (ctx.prevCustomer.text.includes('?')) f.set('pc:q', 1);
  } else {
    f.set('pc:none', 1);
  }
  const all = overlap(mine, ctx.earlierCustomerStems);
  f.set('ovall', mine.size === 0 ? 0 : all / mine.size);
  if (ctx.isFirstAgentTurn) f.set('pos:first', 1);
  return f;
}

/** What a customer turn knows about the agent turn before it. */
export interface CustomerContext {
  prevAgent: Lexed | null;
  /** Probability that the previous agent turn was a sales ask (from the sales_ask model). */
  prevAgentAsk: number;
  /** Highest sales-ask probability of any earlier agent turn. */
  anyAskBefore: number;
}

/** Features of a customer message: its text plus what the agent had just asked. */
export function customerFeatures(lexed: Lexed, ctx: CustomerContext): Features {
  return merge(textFeatures(lexed), customerContextFeatures(ctx));
}

/** Only the context part of a customer message's features. */
export function customerContextFeatures(ctx: CustomerContext): Features {
  const f: Features = new Map();
  f.set('pa:ask', ctx.prevAgentAsk);
  f.set('any:ask', ctx.anyAskBefore);
  if (ctx.prevAgent !== null) {
    const pa = textFeatures(ctx.prevAgent);
    if (pa.has('q:any')) f.set('pa:q', 1);
    for (const k of pa.keys()) if (k.startsWith('lx:')) f.set(`pa:${k}`, 1);
  } else {
    f.set('pa:none', 1);
  }
  return f;
}

/** Forget cached text features (benchmarks measure cold analysis with this). */
export function clearFeatureCache(): void {
  textCache.clear();
}
