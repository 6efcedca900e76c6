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

/** A possible first run of a match: equal to `lit` (`exact`), or starting with it. */
interface FirstRun {
  lit: string;
  exact: boolean;
}

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

/** A partial first run: literal so far, whether unknown characters may follow, whether it ended. */
interface State { lit: string; open: boolean; done: boolean }
const key = (s: State): string => `${s.done ? 1 : 0}${s.open ? 1 : 0}${s.lit}`;
const MAX_STATES = 5_000;

function dedupe(states: State[]): State[] {
  const seen = new Map<string, State>();
  for (const s of states) seen.set(key(s), s);
  if (seen.size > MAX_STATES) throw new Unsupported('too many states');
  return [...seen.values()];
}

function step(node: Node, states: State[]): State[] {
  const live = states.filter((s) => !s.done);
  const done = states.filter((s) => s.done);
  if (live.length === 0) return states;
  let out: State[];
  switch (node.t) {
    case 'empty':
      return states;
    case 'char':
      out = live.map((s) => (node.c === ' ' ? { lit: s.lit, open: s.open, done: true } : s.open ? s : { lit: s.lit + node.c, open: false, done: false }));
      break;
    case 'class':
      if (node.chars !== null) out = live.flatMap((s) => (s.open ? [s] : (node.chars as string[]).map((c) => ({ lit: s.lit + c, open: false, done: false }))));
      // A class that may match a space may end the run here: "starts with lit" covers both.
      else out = live.map((s) => ({ lit: s.lit, open: true, done: node.space }));
      break;
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
        const more = step(node.node, cur).map((s) => (s.done ? s : { lit: s.lit, open: true, done: false }));
        cur = [...cur, ...more];
      }
      out = cur;
      break;
    }
  }
  return dedupe([...done, ...out]);
}

/** The runs a match of ALT can start with, or null when the analysis gives up (always run). */
function firstRuns(alt: string): FirstRun[] | null {
  try {
    const states = step(parse(alt), [{ lit: '', open: false, done: false }]);
    // The pattern is followed by `(?= |$)`: a run still open at the end ends there.
    return dedupe(states).map((s) => ({ lit: s.lit, exact: !s.open }));
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
}

// ---- registry -----------------------------------------------------------------------------

const exactRuns = new Map<string, number[]>();
const prefixRuns: Array<{ lit: string; bit: number }> = [];
const alwaysBits: number[] = [];
const bitOf = new WeakMap<RegExp, number>();
const registered: RegExp[] = [];
let count = 0;

/** Mask words per message (32 patterns per word). */
export const MASK_WORDS = 3; // nlp.ts keeps three words per token value

/**
 * A phrase pattern `(?:^| )(?:source)(?= |$)` (global), registered with the pre-filter.
 * Call at module load only (masks computed before a registration would miss its bit).
 */
export function phrase(source: string): RegExp {
  const re = new RegExp(`(?:^| )(?:${source})(?= |$)`, 'g');
  const bit = count++;
  if (bit >= MASK_WORDS * 32) throw new Error('phrases.ts: raise MASK_WORDS');
  bitOf.set(re, bit);
  registered.push(re);
  const runs = firstRuns(source);
  if (runs === null || runs.some((r) => !r.exact && r.lit === '')) {
    alwaysBits.push(bit);
    return re;
  }
  for (const r of runs) {
    if (r.exact) {
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

/** OR into `mask` the patterns a match could start with at a run equal to `run`. */
function orRun(mask: Int32Array, run: string): void {
  const list = exactRuns.get(run);
  if (list !== undefined) for (const b of list) setBit(mask, b);
  for (const p of prefixRuns) if (run.startsWith(p.lit)) setBit(mask, p.bit);
}

/** The patterns a message could match given one token's norm (norms may hold spaces: split). */
export function normMask(norm: string): Int32Array {
  const mask = new Int32Array(MASK_WORDS);
  if (norm.includes(' ')) for (const run of norm.split(' ')) orRun(mask, run);
  else orRun(mask, norm);
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

/** For tests: the first runs a phrase source can start with (null: not narrowed). */
export function firstRunsOf(source: string): ReadonlyArray<{ lit: string; exact: boolean }> | null {
  return firstRuns(source);
}

/** Every registered phrase pattern (tests check the pre-filter never hides a match). */
export function registeredPhrases(): readonly RegExp[] {
  return registered;
}
