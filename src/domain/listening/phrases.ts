/**
 * Phrase patterns over `normText` (norms joined by single spaces), with an exact pre-filter.
 *
 * Why: the ~20 cue families and the rule patterns were each scanned over every message's
 * `normText`, although most messages contain none of the words a pattern can start with. Every
 * pattern made with `phrase()` has the form `(?:^| )(?:ALT)(?= |$)`, so a match always starts
 * at the start of a space-separated "run" of `normText`. At registration, ALT is analysed once
 * into the set of runs a match can start with (an exact word, or a word prefix when `\w*` or a
 * class follows). The tokenizer ORs, per distinct token value, the patterns its run can start,
 * into a per-message mask; a pattern whose bit is clear cannot match, and the regex is not run.
 * When the bit is set, the original regex decides, so results are identical to scanning always.
 * The analysis is conservative: anything it does not understand makes the pattern always run.
 */

// ---- a small parser for the regex subset the lexicons use ----------------------------------

type Node =
  | { t: 'alt'; items: Node[] }
  | { t: 'seq'; items: Node[] }
  | { t: 'char'; c: string }
  /** A character class: `chars` when it is a short list of literal characters, else null. */
  | { t: 'class'; chars: string[] | null; space: boolean }
  | { t: 'rep'; node: Node; min: number; max: number }
  | { t: 'empty' };

class Unsupported extends Error {}

function parse(src: string): Node {
  let i = 0;
  const peek = (): string | undefined => src[i];
  function alt(): Node {
    const items: Node[] = [seq()];
    while (peek() === '|') {
      i++;
      items.push(seq());
    }
    return items.length === 1 ? (items[0] as Node) : { t: 'alt', items };
  }
  function seq(): Node {
    const items: Node[] = [];
    while (i < src.length && peek() !== '|' && peek() !== ')') {
      let atom = primary();
      atom = quantified(atom);
      items.push(atom);
    }
    return { t: 'seq', items };
  }
  function quantified(atom: Node): Node {
    const c = peek();
    let min = -1;
    let max = -1;
    if (c === '?') { min = 0; max = 1; i++; }
    else if (c === '*') { min = 0; max = Infinity; i++; }
    else if (c === '+') { min = 1; max = Infinity; i++; }
    else if (c === '{') {
      const m = /^\{(\d+)(?:,(\d*))?\}/.exec(src.slice(i));
      if (m === null) throw new Unsupported('brace');
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[2] === '' ? Infinity : Number(m[2]);
      i += m[0].length;
    }
    if (min < 0) return atom;
    if (peek() === '?') i++; // lazy: same language
    return { t: 'rep', node: atom, min, max };
  }
  function primary(): Node {
    const c = src[i++] as string;
    if (c === '(') {
      if (src.startsWith('?:', i)) {
        i += 2;
        const inner = alt();
        if (src[i++] !== ')') throw new Unsupported('group');
        return inner;
      }
      if (src.startsWith('?!', i) || src.startsWith('?=', i)) {
        // Lookarounds only restrict a match: ignoring them keeps the filter conservative.
        i += 2;
        alt();
        if (src[i++] !== ')') throw new Unsupported('lookahead');
        return { t: 'empty' };
      }
      throw new Unsupported('capture group');
    }
    if (c === '[') {
      const end = src.indexOf(']', i);
      if (end < 0) throw new Unsupported('class');
      const body = src.slice(i, end);
      i = end + 1;
      if (/^[a-z0-9']+$/.test(body)) return { t: 'class', chars: [...body], space: false };
      const negated = body.startsWith('^');
      return { t: 'class', chars: null, space: negated ? !body.includes(' ') : body.includes(' ') || body.includes('\\s') };
    }
    if (c === '\\') {
      const e = src[i++] as string;
      if (e === 'w' || e === 'd') return { t: 'class', chars: null, space: false };
      if (e === 'b' || e === 'B') return { t: 'empty' };
      if (/[a-zA-Z0-9]/.test(e)) throw new Unsupported(`escape \\${e}`);
      return { t: 'char', c: e };
    }
    if (c === '.') return { t: 'class', chars: null, space: true };
    if (c === '^' || c === '$') return { t: 'empty' };
    if (c === ')' || c === '|' || c === '?' || c === '*' || c === '+' || c === '{') throw new Unsupported(`stray ${c}`);
    return { t: 'char', c };
  }
  const node = alt();
  if (i !== src.length) throw new Unsupported('trailing');
  return node;
}

// ---- first runs ---------------------------------------------------------------------------

/**
 * A partial match: its first run (`r1`, `o1`: unknown characters may follow) and, once the
 * first space is passed, its second run (`r2`, `o2`). `phase` 0 builds the first run, 1 the
 * second, 2 is finished; `any2` means nothing is known of the second run (or there is none).
 */
interface State { r1: string; o1: boolean; r2: string; o2: boolean; phase: 0 | 1 | 2; any2: boolean }
const key = (s: State): string => `${s.phase}${s.o1 ? 1 : 0}${s.o2 ? 1 : 0}${s.any2 ? 1 : 0}${s.r1} ${s.r2}`;
const MAX_STATES = 5_000;

function dedupe(states: State[]): State[] {
  const seen = new Map<string, State>();
  for (const s of states) seen.set(key(s), s);
  if (seen.size > MAX_STATES) throw new Unsupported('too many states');
  return [...seen.values()];
}

/** The state after a space. */
function space(s: State): State {
  if (s.phase === 0) return s.o1 ? { ...s, phase: 2, any2: true } : { ...s, phase: 1 };
  return { ...s, phase: 2 };
}

/** The state after a literal character. */
function lit(s: State, c: string): State {
  if (s.phase === 0) return s.o1 ? s : { ...s, r1: s.r1 + c };
  return s.o2 ? s : { ...s, r2: s.r2 + c };
}

/** The state after a character class without a short literal list. */
function wild(s: State, mayBeSpace: boolean): State {
  // A class that may match a space may end the run here: "starts with" covers both.
  if (s.phase === 0) return mayBeSpace ? { ...s, o1: true, phase: 2, any2: true } : { ...s, o1: true };
  return mayBeSpace ? { ...s, o2: true, phase: 2 } : { ...s, o2: true };
}

function step(node: Node, states: State[]): State[] {
  const live = states.filter((s) => s.phase !== 2);
  const done = states.filter((s) => s.phase === 2);
  if (live.length === 0) return states;
  let out: State[];
  switch (node.t) {
    case 'empty':
      return states;
    case 'char':
      out = live.map((s) => (node.c === ' ' ? space(s) : lit(s, node.c)));
      break;
    case 'class': {
      const chars = node.chars;
      if (chars !== null) out = live.flatMap((s) => chars.map((c) => lit(s, c)));
      else out = live.map((s) => wild(s, node.space));
      break;
    }
    case 'seq':
      out = live;
      for (const item of node.items) out = step(item, out);
      break;
    case 'alt':
      out = node.items.flatMap((item) => step(item, live));
      break;
    case 'rep': {
      let cur = live;
      for (let k = 0; k < node.min; k++) cur = dedupe(step(node.node, cur));
      if (node.max - node.min <= 2) {
        // A few optional repetitions ("thanks?", "(?: me)?"): expand exactly.
        const all = [...cur];
        for (let k = node.min; k < node.max; k++) {
          cur = dedupe(step(node.node, cur));
          all.push(...cur);
        }
        cur = all;
      } else {
        // Further repetitions: one more step, then anything may follow within the run.
        const more = step(node.node, cur).map((s) => (s.phase === 0 ? { ...s, o1: true } : s.phase === 1 ? { ...s, o2: true } : s));
        cur = [...cur, ...more];
      }
      out = cur;
      break;
    }
  }
  return dedupe([...done, ...out]);
}

/**
 * How a match of ALT can start: its first run (equal to `lit`, or starting with it) and, when
 * every match starting so has a second run that is known, that run too (`second`).
 */
interface Start { lit: string; exact: boolean; second: { lit: string; exact: boolean } | null }

/** The ways a match of ALT can start, or null when the analysis gives up (always run). */
function starts(alt: string): Start[] | null {
  try {
    const states = step(parse(alt), [{ r1: '', o1: false, r2: '', o2: false, phase: 0, any2: false }]);
    // The pattern is followed by `(?= |$)`: a run still open at the end ends there.
    return dedupe(states).map((s) => ({
      lit: s.r1,
      exact: !s.o1,
      // A match that ends inside its first run needs nothing of the next one.
      second: s.any2 || s.o1 || (s.phase === 0) ? null : { lit: s.r2, exact: !s.o2 },
    }));
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
}

// ---- registry -----------------------------------------------------------------------------

/** A pattern that can start at run `r` if the next run is `lit` (or starts with it). */
interface PairEntry { lit: string; exact: boolean; bit: number }

/**
 * The two-run patterns that may start at one run, by their second run: exact second runs in a
 * map (one lookup per token, however many patterns start with "i" or "you"), prefixes apart.
 */
export interface PairTable { exact: Map<string, number[]>; prefix: PairEntry[] }

const exactRuns = new Map<string, number[]>();
const prefixRuns: Array<{ lit: string; bit: number }> = [];
const pairRuns = new Map<string, PairTable>();
const alwaysBits: number[] = [];
const bitOf = new WeakMap<RegExp, number>();
const registered: RegExp[] = [];
let count = 0;
/** Set once a mask has been computed: a later registration would be missing from cached masks. */
let used = false;

/** Mask words per message (32 patterns per word). */
export const MASK_WORDS = 3; // nlp.ts keeps three words per token value

/**
 * A phrase pattern `(?:^| )(?:source)(?= |$)` (global), registered with the pre-filter.
 * Call at module load only (masks computed before a registration would miss its bit).
 */
export function phrase(source: string): RegExp {
  if (used) throw new Error('phrases.ts: phrase() after masks were computed (register patterns at module load)');
  const re = new RegExp(`(?:^| )(?:${source})(?= |$)`, 'g');
  const bit = count++;
  if (bit >= MASK_WORDS * 32) throw new Error('phrases.ts: raise MASK_WORDS');
  bitOf.set(re, bit);
  registered.push(re);
  const runs = starts(source);
  if (runs === null || runs.some((r) => !r.exact && r.lit === '')) {
    alwaysBits.push(bit);
    return re;
  }
  for (const r of runs) {
    if (r.exact && r.second !== null) {
      let table = pairRuns.get(r.lit);
      if (table === undefined) pairRuns.set(r.lit, (table = { exact: new Map(), prefix: [] }));
      if (r.second.exact) {
        const bits = table.exact.get(r.second.lit);
        if (bits === undefined) table.exact.set(r.second.lit, [bit]);
        else if (!bits.includes(bit)) bits.push(bit);
      } else table.prefix.push({ lit: r.second.lit, exact: false, bit });
    } else if (r.exact) {
      const list = exactRuns.get(r.lit);
      if (list === undefined) exactRuns.set(r.lit, [bit]);
      else if (!list.includes(bit)) list.push(bit);
    } else prefixRuns.push({ lit: r.lit, bit });
  }
  return re;
}

function setBit(mask: Int32Array, b: number): void {
  mask[b >>> 5] = (mask[b >>> 5] as number) | (1 << (b & 31));
}

/** OR into `mask` the patterns a match could start with at a run equal to `run` alone. */
function orRun(mask: Int32Array, run: string): void {
  used = true;
  const list = exactRuns.get(run);
  if (list !== undefined) for (const b of list) setBit(mask, b);
  for (const p of prefixRuns) if (run.startsWith(p.lit)) setBit(mask, p.bit);
}

/** The two-run patterns that may start at a run equal to `run` (null: none). */
export function pairsOf(run: string): PairTable | null {
  return pairRuns.get(run) ?? null;
}

/** OR into `mask` the patterns of `pairs` whose second run fits `next`. */
export function orPairs(mask: Int32Array, pairs: PairTable, next: string): void {
  const bits = pairs.exact.get(next);
  if (bits !== undefined) for (let i = 0; i < bits.length; i++) setBit(mask, bits[i] as number);
  const prefix = pairs.prefix;
  for (let i = 0; i < prefix.length; i++) {
    const p = prefix[i] as PairEntry;
    if (next.startsWith(p.lit)) setBit(mask, p.bit);
  }
}

/** The mask of a whole normText, run by run (the general path, for norms holding spaces). */
export function textMask(normText: string): Int32Array {
  const mask = baseMask();
  const runs = normText.split(' ');
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i] as string;
    orRun(mask, run);
    const pairs = pairRuns.get(run);
    if (pairs !== undefined && i + 1 < runs.length) orPairs(mask, pairs, runs[i + 1] as string);
  }
  return mask;
}

/** The single-run patterns a token's norm (without spaces) can start: see `textMask` otherwise. */
export function normMask(norm: string): Int32Array {
  const mask = new Int32Array(MASK_WORDS);
  orRun(mask, norm);
  return mask;
}

/** A fresh per-message mask: the patterns the analysis could not narrow always run. */
export function baseMask(): Int32Array {
  const mask = new Int32Array(MASK_WORDS);
  for (const b of alwaysBits) setBit(mask, b);
  return mask;
}

/** Whether `re` may match a message with this mask (false: it certainly does not). */
export function mayMatch(mask: Int32Array, re: RegExp): boolean {
  const b = bitOf.get(re);
  if (b === undefined) return true;
  return ((mask[b >>> 5] as number) & (1 << (b & 31))) !== 0;
}

/** For tests: how a phrase source can start (null: not narrowed). */
export function startsOf(source: string): ReadonlyArray<{ lit: string; exact: boolean; second: { lit: string; exact: boolean } | null }> | null {
  return starts(source);
}

/** Every registered phrase pattern (tests check the pre-filter never hides a match). */
export function registeredPhrases(): readonly RegExp[] {
  return registered;
}
