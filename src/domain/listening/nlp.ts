/**
 * Tokenisation with wink-nlp, plus the cheap extras the analyzer needs (character offsets,
 * light stems, negation scope, sentence ids). Only wink's tokenizer runs (empty pipeline):
 * the rest is a single pass over the tokens, which keeps throughput near the bare tokenizer.
 */
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import type { Label } from './types.ts';
import { baseMask, normMask, orPairs, pairsOf, textMask, type PairTable } from './phrases.ts';

export type TokenKind = 'word' | 'punct' | 'number' | 'space' | 'other';

/**
 * What a token value always means, computed once per distinct value and shared by every
 * token with that value (tokens are parallel arrays in `Lexed`, not one object each: fewer
 * objects for the garbage collector to copy while messages stay cached).
 */
export interface TokenInfo {
  kind: TokenKind;
  /** word or number: the tokens features are made of. */
  isWord: boolean;
  /** Lower-cased form; wink expands contractions ("n't" → "not", "ca" → "can"). */
  norm: string;
  /** Light suffix-stripped form of `norm`, so "donating", "donated", "donates" meet. */
  stem: string;
  /** `strHash(stem)`: features are hashed from it without building strings. */
  h: number;
  negator: boolean;
  /** Punctuation or space that ends a sentence. */
  sentEnd: boolean;
  /** Phrase-pattern mask words of the norm (phrases.ts), as plain numbers for a cheap OR. */
  m0: number; m1: number; m2: number;
  /** Two-run phrase patterns that may start at this norm (checked against the next norm). */
  pairs: PairTable | null;
  /** The norm holds a space (whitespace tokens): the message's mask takes the general path. */
  spacey: boolean;
  /** Word-class flags (stopword, filler, …), filled in lazily by features.ts; -1 until then. */
  wf: number;
}

export interface Lexed {
  text: string;
  /** Number of tokens. */
  n: number;
  /** Per token: its value's facts (kind, norm, stem, hash). */
  info: TokenInfo[];
  /** Per token: character offsets in `text` (end exclusive). */
  start: Int32Array;
  end: Int32Array;
  /** Per token: 1 inside the scope of a negation word ("not", "never", "no" …). */
  neg: Uint8Array;
  /** Norms joined by single spaces: rules match regexes on this. */
  normText: string;
  /** Start of each token inside `normText`. */
  normStarts: Int32Array;
  /** [first token, last token] of each sentence. */
  sentences: Array<[number, number]>;
  /** Phrase patterns this message may match (see phrases.ts); clear bits certainly do not. */
  mask: Int32Array;
  /**
   * Per-text results memoised on the tokenised message (it is cached by text, so these are
   * caches by text too, without a map lookup each): cue families (lexicons.ts), content stems
   * and text features (features.ts), rule hits (rules.ts). Created undefined: one object shape.
   */
  families?: readonly number[] | undefined;
  stems?: Set<string> | undefined;
  features?: { ids: Int32Array; vals: Float64Array } | undefined;
  agentRules?: ReadonlyArray<{ label: Label; start: number; end: number }> | undefined;
  customerRules?: ReadonlyArray<{ label: Label; start: number; end: number }> | undefined;
}

type Wink = ReturnType<typeof winkNLP>;
let wink: Wink | null = null;

/** The wink instance, loaded once (the model takes ~100 ms to load). */
export function getWink(): Wink {
  if (wink === null) wink = winkNLP(model, []);
  return wink;
}

const NEGATORS = new Set(['not', 'no', 'never', 'nothing', 'none', 'nobody', 'neither', 'nor', 'cannot', 'without']);
const SENTENCE_END = /^[.!?]+$|^\.\.+$|\n/;

/** FNV-1a over UTF-16 code units: the base of hashed feature ids (see features.ts). */
export function strHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

interface StemInfo { stem: string; h: number }
const stemCache = new Map<string, StemInfo>();

/** A deliberately light stemmer (cached): good enough for feature sharing, cheap enough for speed. */
export function stem(word: string): string {
  return stemInfo(word).stem;
}

function stemInfo(word: string): StemInfo {
  const hit = stemCache.get(word);
  if (hit !== undefined) return hit;
  const s = stemUncached(word);
  const info = { stem: s, h: strHash(s) };
  if (stemCache.size > 50_000) stemCache.clear();
  stemCache.set(word, info);
  return info;
}

function stemUncached(word: string): string {
  let s = word;
  if (s.length > 3 && /^[a-z']+$/.test(s)) {
    if (s.endsWith("'s")) s = s.slice(0, -2);
    if (s.endsWith('ies') && s.length > 4) s = s.slice(0, -3) + 'y';
    else if (s.endsWith('ing') && s.length > 5) s = s.slice(0, -3);
    else if (s.endsWith('ed') && s.length > 4) s = s.slice(0, -2);
    else if (s.endsWith('ly') && s.length > 4) s = s.slice(0, -2);
    else if (s.endsWith('es') && s.length > 4 && !s.endsWith('ses')) s = s.slice(0, -2);
    else if (s.endsWith('s') && !s.endsWith('ss') && s.length > 3) s = s.slice(0, -1);
    if (s.endsWith('e') && s.length > 4) s = s.slice(0, -1);
  }
  return s;
}

const cache = new Map<string, Lexed>();
const CACHE_MAX = 20_000;

/** Tokenise `text` (cached by text, since live drafts re-analyse the same messages). */
export function lex(text: string): Lexed {
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const out = lexUncached(text);
  if (cache.size >= CACHE_MAX) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(text, out);
  return out;
}

// Contraction pieces as wink splits them ("can't" → "ca" + "n't"), normalised like wink's its.normal.
const CONTRACTION: Readonly<Record<string, string>> = { "n't": 'not', "'ll": 'will', "'re": 'are', "'ve": 'have', "'m": 'am', "'d": 'would' };
const BEFORE_NT: Readonly<Record<string, string>> = { ca: 'can', wo: 'will', sha: 'shall' };
// Numbers share one stem: "$5" and "20" say the same thing to the models.
const NUMBER_STEM: StemInfo = { stem: '#', h: strHash('#') };
const WORDISH = /[\p{L}\p{N}]/u;
const DIGIT_START = /^[$€£¥]?\d/;

function normalise(value: string, next: string | undefined): string {
  let lower = value.toLowerCase();
  if (lower.includes('’')) lower = lower.replace(/’/g, "'");
  const c = CONTRACTION[lower];
  if (c !== undefined) return c;
  if (next !== undefined && (next === "n't" || next === 'n’t')) return BEFORE_NT[lower] ?? lower;
  return lower;
}

function kindOfValue(value: string): TokenKind {
  // Fast path for plain ASCII letters, by far the most common token.
  const c0 = value.charCodeAt(0);
  if ((c0 >= 97 && c0 <= 122) || (c0 >= 65 && c0 <= 90)) return 'word';
  if (value.trim() === '') return 'space';
  if (DIGIT_START.test(value)) return 'number';
  if (WORDISH.test(value)) return 'word';
  // Emoji and emoticons carry meaning like words; other symbols are punctuation.
  return /\p{Extended_Pictographic}/u.test(value) ? 'word' : 'punct';
}

type ValueInfo = TokenInfo;
const valueCache = new Map<string, ValueInfo>();

function valueInfo(value: string): ValueInfo {
  const hit = valueCache.get(value);
  if (hit !== undefined) return hit;
  const kind = kindOfValue(value);
  const norm = kind === 'space' ? value : normalise(value, undefined);
  const si = kind === 'number' ? NUMBER_STEM : stemInfo(norm);
  const mask = normMask(norm);
  const info: ValueInfo = {
    kind, isWord: kind === 'word' || kind === 'number', norm, stem: si.stem, h: si.h, negator: NEGATORS.has(norm),
    sentEnd: (kind === 'punct' || kind === 'space') && SENTENCE_END.test(value),
    m0: mask[0] as number, m1: mask[1] as number, m2: mask[2] as number,
    pairs: pairsOf(norm), spacey: norm.includes(' '), wf: -1,
  };
  if (valueCache.size > 100_000) valueCache.clear();
  valueCache.set(value, info);
  return info;
}

/** Tokenise without touching the cache (for benchmarks). */
export function lexUncached(text: string): Lexed {
  const nlp = getWink();
  // One wink pass (token values only); norms, kinds and offsets are derived here, which is
  // cheaper than asking wink for each property.
  const toks = nlp.readDoc(text).tokens();
  // wink's lexeme ids index the per-value cache directly (an array slot instead of a string-keyed
  // map lookup per token); the values are still needed for offsets.
  return lexValues(text, toks.out() as string[], toks.out(nlp.its.uniqueId) as number[]);
}

/** Per-value facts by wink lexeme id (a value always has the same id in one wink instance). */
let infoById: Array<TokenInfo | null> = new Array<TokenInfo | null>(1 << 17).fill(null);

/** The token pass over wink's token values (apart, so it can be timed without wink). */
export function lexValues(text: string, values: readonly string[], ids?: readonly number[]): Lexed {
  const n = values.length;
  const infos: TokenInfo[] = new Array(n);
  // One backing store for the three offset arrays (typed arrays past 64 bytes live off the heap,
  // and each store costs an allocation and a sweep).
  const buf = new Int32Array(3 * n);
  const starts = buf.subarray(0, n);
  const ends = buf.subarray(n, 2 * n);
  const normStarts = buf.subarray(2 * n, 3 * n);
  const negs = new Uint8Array(n);
  const sentences: Array<[number, number]> = [];
  const normParts: string[] = new Array(n);
  let cursor = 0;
  let normLen = 0;
  let negLeft = 0;
  let sentStart = 0;
  let mask = baseMask();
  let spacey = n === 0;
  let prevPairs: PairTable | null = null;
  let m0 = 0;
  let m1 = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const value = values[i] as string;
    // indexOf finds the value at the cursor first, as startsWith-then-indexOf did.
    let start = text.indexOf(value, cursor);
    let end: number;
    if (start < 0) end = start = cursor;
    else end = start + value.length;
    cursor = end;
    // One cached lookup per distinct token value gives kind, norm, stem and hash together;
    // only a word before "n't" ("ca", "wo") needs the next token to decide its norm.
    let info: TokenInfo;
    if (ids !== undefined) {
      const id = ids[i] as number;
      const hit = infoById[id];
      if (hit !== undefined && hit !== null) info = hit;
      else {
        info = valueInfo(value);
        if (id >= infoById.length) for (let k = infoById.length; k <= id; k++) infoById.push(null);
        infoById[id] = info;
      }
    } else info = valueInfo(value);
    const next = values[i + 1];
    if (next !== undefined && (next === "n't" || next === 'n’t')) {
      const nt = BEFORE_NT[info.norm];
      if (nt !== undefined) info = valueInfo(nt);
    }
    const { kind, norm } = info;
    m0 |= info.m0;
    m1 |= info.m1;
    m2 |= info.m2;
    if (prevPairs !== null) orPairs(mask, prevPairs, norm);
    prevPairs = info.pairs;
    if (info.spacey) spacey = true;
    if (!info.negator && negLeft > 0 && kind === 'word') negs[i] = 1;
    if (info.negator) negLeft = 4;
    else if (kind === 'punct' || kind === 'space') negLeft = 0;
    else if (kind === 'word') negLeft--;
    infos[i] = info;
    starts[i] = start;
    ends[i] = end;
    normParts[i] = norm;
    normStarts[i] = normLen;
    normLen += norm.length + 1;
    if (info.sentEnd) {
      sentences.push([sentStart, i]);
      sentStart = i + 1;
    }
  }
  if (sentStart < n) sentences.push([sentStart, n - 1]);
  mask[0] = (mask[0] as number) | m0;
  mask[1] = (mask[1] as number) | m1;
  mask[2] = (mask[2] as number) | m2;
  const normText = normParts.join(' ');
  // Norms holding spaces (or no tokens at all) split runs differently: read normText itself.
  if (spacey) mask = textMask(normText);
  return {
    text, n, info: infos, start: starts, end: ends, neg: negs, normText, normStarts, sentences, mask,
    families: undefined, stems: undefined, features: undefined, agentRules: undefined, customerRules: undefined,
  };
}


/** Map a match in `normText` back to character offsets in the original text. */
export function normRangeToSpan(lexed: Lexed, normStart: number, normEnd: number): { start: number; end: number } | null {
  const { normStarts, info } = lexed;
  let first = -1;
  let last = -1;
  for (let i = 0; i < lexed.n; i++) {
    const s = normStarts[i] as number;
    const e = s + (info[i] as TokenInfo).norm.length;
    if (e > normStart && s < normEnd) {
      if (first < 0) first = i;
      last = i;
    }
  }
  if (first < 0) return null;
  const a = lexed.start[first] as number;
  const b = lexed.end[last] as number;
  if (b < a) return null;
  return { start: a, end: b };
}

/** Forget cached tokenisations (benchmarks measure cold analysis with this). */
export function clearLexCache(): void {
  cache.clear();
  stemCache.clear();
  valueCache.clear();
  infoById = new Array<TokenInfo | null>(infoById.length).fill(null);
}
