/**
 * Tokenisation with wink-nlp, plus the cheap extras the analyzer needs (character offsets,
 * light stems, negation scope, sentence ids). Only wink's tokenizer runs (empty pipeline):
 * the rest is a single pass over the tokens, which keeps throughput near the bare tokenizer.
 */
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { baseMask, normMask, orPairs, pairsOf, textMask, type PairEntry } from './phrases.ts';

export type TokenKind = 'word' | 'punct' | 'number' | 'space' | 'other';

export interface Token {
  /** Lower-cased form; wink expands contractions ("n't" → "not", "ca" → "can"). */
  norm: string;
  /** Light suffix-stripped form of `norm`, so "donating", "donated", "donates" meet. */
  stem: string;
  /** `strHash(stem)`: features are hashed from it without building strings. */
  h: number;
  start: number;
  end: number;
  kind: TokenKind;
  /** Inside the scope of a negation word ("not", "never", "no" …). */
  neg: boolean;
  /** Sentence number inside the message. */
  sent: number;
}

export interface Lexed {
  text: string;
  tokens: Token[];
  /** Norms joined by single spaces: rules match regexes on this. */
  normText: string;
  /** Start of each token inside `normText`. */
  normStarts: number[];
  /** [first token, last token] of each sentence. */
  sentences: Array<[number, number]>;
  /** Phrase patterns this message may match (see phrases.ts); clear bits certainly do not. */
  mask: Int32Array;
  /** Cue families found (lexicons.ts memoises them here). */
  families?: readonly number[];
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

interface ValueInfo {
  kind: TokenKind; norm: string; stem: string; h: number; negator: boolean;
  /** Punctuation or space that ends a sentence. */
  sentEnd: boolean;
  /** Phrase-pattern mask words of the norm (phrases.ts), as plain numbers for a cheap OR. */
  m0: number; m1: number; m2: number;
  /** Two-run phrase patterns that may start at this norm (checked against the next norm). */
  pairs: readonly PairEntry[] | null;
  /** The norm holds a space (whitespace tokens): the message's mask takes the general path. */
  spacey: boolean;
}
const valueCache = new Map<string, ValueInfo>();

function valueInfo(value: string): ValueInfo {
  const hit = valueCache.get(value);
  if (hit !== undefined) return hit;
  const kind = kindOfValue(value);
  const norm = kind === 'space' ? value : normalise(value, undefined);
  const si = kind === 'number' ? NUMBER_STEM : stemInfo(norm);
  const mask = normMask(norm);
  const info: ValueInfo = {
    kind, norm, stem: si.stem, h: si.h, negator: NEGATORS.has(norm),
    sentEnd: (kind === 'punct' || kind === 'space') && SENTENCE_END.test(value),
    m0: mask[0] as number, m1: mask[1] as number, m2: mask[2] as number,
    pairs: pairsOf(norm), spacey: norm.includes(' '),
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
  return lexValues(text, nlp.readDoc(text).tokens().out() as string[]);
}

/** The token pass over wink's token values (apart, so it can be timed without wink). */
export function lexValues(text: string, values: readonly string[]): Lexed {
  const tokens: Token[] = new Array(values.length);
  const normStarts: number[] = new Array(values.length);
  const sentences: Array<[number, number]> = [];
  const normParts: string[] = new Array(values.length);
  let cursor = 0;
  let normLen = 0;
  let negLeft = 0;
  let sent = 0;
  let sentStart = 0;
  let mask = baseMask();
  let spacey = values.length === 0;
  let prevPairs: readonly PairEntry[] | null = null;
  let m0 = 0;
  let m1 = 0;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] ?? '';
    // indexOf finds the value at the cursor first, as startsWith-then-indexOf did.
    let start = text.indexOf(value, cursor);
    let end: number;
    if (start < 0) end = start = cursor;
    else end = start + value.length;
    cursor = end;
    // One cached lookup per distinct token value gives kind, norm, stem and hash together;
    // only a word before "n't" ("ca", "wo") needs the next token to decide its norm.
    let info = valueInfo(value);
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
    const neg = !info.negator && negLeft > 0 && kind === 'word';
    if (info.negator) negLeft = 4;
    else if (kind === 'punct' || kind === 'space') negLeft = 0;
    else if (kind === 'word') negLeft--;
    tokens[i] = { norm, stem: info.stem, h: info.h, start, end, kind, neg, sent };
    normParts[i] = norm;
    normStarts[i] = normLen;
    normLen += norm.length + 1;
    if (info.sentEnd) {
      sentences.push([sentStart, i]);
      sent++;
      sentStart = i + 1;
    }
  }
  if (sentStart < values.length) sentences.push([sentStart, values.length - 1]);
  mask[0] = (mask[0] as number) | m0;
  mask[1] = (mask[1] as number) | m1;
  mask[2] = (mask[2] as number) | m2;
  const normText = normParts.join(' ');
  // Norms holding spaces (or no tokens at all) split runs differently: read normText itself.
  if (spacey) mask = textMask(normText);
  return { text, tokens, normText, normStarts, sentences, mask };
}


/** Map a match in `normText` back to character offsets in the original text. */
export function normRangeToSpan(lexed: Lexed, normStart: number, normEnd: number): { start: number; end: number } | null {
  const { normStarts, tokens } = lexed;
  let first = -1;
  let last = -1;
  for (let i = 0; i < tokens.length; i++) {
    const s = normStarts[i] ?? 0;
    const e = s + (tokens[i]?.norm.length ?? 0);
    if (e > normStart && s < normEnd) {
      if (first < 0) first = i;
      last = i;
    }
  }
  if (first < 0) return null;
  const a = tokens[first];
  const b = tokens[last];
  if (a === undefined || b === undefined || b.end < a.start) return null;
  return { start: a.start, end: b.end };
}

/** Forget cached tokenisations (benchmarks measure cold analysis with this). */
export function clearLexCache(): void {
  cache.clear();
  stemCache.clear();
  valueCache.clear();
}
