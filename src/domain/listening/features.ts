/**
 * Sparse features for the trained labels, as hashed integer ids.
 *
 * Why hashed: building a string per feature ("u:donat", "b:would_you") and looking it up in a
 * map was a fifth of the analyzer's time. A feature is a kind plus up to two parts (stems);
 * its id is a hash of the kind's hash and the parts' hashes, which the tokenizer already
 * computed once per stem. The model file keeps readable names ("b:would you"); `nameId` maps
 * a name to the same id, so weights stay explainable and the runtime never builds strings.
 *
 * The text part of a message's features is cached by text; the context part (overlap with
 * the customer's last turn, whether the agent had just asked for something) is a handful of
 * cheap additions made per conversation.
 */
import { CUE_NAMES, cueFamilyIds, STOPWORDS } from './lexicons.ts';
import { strHash, type Lexed, type TokenInfo } from './nlp.ts';

/** Hashed feature ids (unique, ascending) with their values. */
export interface Features {
  ids: Int32Array;
  vals: Float64Array;
}

const MASK = 0x3fffffff; // 30 bits: ids stay small integers (fast map keys, exact in JSON)

function mix(h: number, x: number): number {
  h = Math.imul(h ^ x, 0x9e3779b1);
  return (h ^ (h >>> 15)) >>> 0;
}

/** Id of a feature given its kind's hash and its parts' hashes. */
export function fid(kind: number, a?: number, b?: number): number {
  let h = kind;
  if (a !== undefined) h = mix(h, a);
  if (b !== undefined) h = mix(h, b);
  return h & MASK;
}

/** Id of a feature name: "kind" or "kind:part" or "kind:part part". */
export function nameId(name: string): number {
  const colon = name.indexOf(':');
  if (colon < 0) return fid(strHash(name));
  const kind = strHash(name.slice(0, colon));
  const parts = name.slice(colon + 1).split(' ');
  return fid(kind, strHash(parts[0] ?? ''), parts.length > 1 ? strHash(parts.slice(1).join(' ')) : undefined);
}

/**
 * Feature names by id, recorded only while `recordNames` is on (training), so model.json can
 * store readable names; at run time no name is ever built.
 */
let names: Map<number, string> | null = null;
export function recordNames(on: boolean): Map<number, string> | null {
  if (on) names ??= new Map();
  else names = null;
  return names;
}
export function featureName(id: number): string | undefined {
  return names?.get(id);
}

const K = (kind: string): number => strHash(kind);
const KIND = {
  u: K('u'), un: K('un'), b: K('b'), f1: K('f1'), f2: K('f2'), fc: K('fc'), len: K('len'), end: K('end'),
  s1: K('s1'), sq1: K('sq1'), sq2: K('sq2'), ls1: K('ls1'), ls2: K('ls2'), lq2: K('lq2'), qt: K('qt'), lx: K('lx'),
  you: K('you'), me: K('me'), nsent: K('nsent'), xa: K('xa'),
};

/**
 * A growing list of feature ids; `done()` sorts and drops duplicates. Almost every feature is
 * an indicator (value 1): only the few real-valued ones are kept aside, so sorting is a plain
 * numeric sort of an Int32Array (no comparator, no per-feature objects). The id buffer is
 * reused between messages (one builder per use, see TEXT / CTX below), so building a message's
 * features allocates only its result.
 */
class Builder {
  private buf = new Int32Array(512);
  private n = 0;
  private realIds: number[] = [];
  private realVals: number[] = [];
  /** An indicator feature. */
  add(id: number): void {
    if (this.n === this.buf.length) {
      const bigger = new Int32Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.n++] = id;
  }
  /** A real-valued feature (the last value given for an id wins, as a map would keep it). */
  addReal(id: number, v: number): void {
    this.add(id);
    if (v !== 1) {
      this.realIds.push(id);
      this.realVals.push(v);
    }
  }
  /**
   * The sorted, de-duplicated features. With `scratch`, the result views this builder's own
   * buffers and is valid only until its next use (context features, consumed at once);
   * otherwise it is a fresh copy. Indicator-only values view one shared array of ones
   * (results are read-only), which saves an allocation per message.
   */
  done(scratch = false): Features {
    const sorted = this.buf.subarray(0, this.n);
    // Context rows are short: an insertion sort beats the native sort's call overhead there.
    if (this.n <= 32) insertionSort(sorted);
    else sorted.sort();
    let n = 0;
    for (let i = 0; i < sorted.length; i++) {
      const id = sorted[i] as number;
      // Indicator features: a repeated word counts once.
      if (n > 0 && sorted[n - 1] === id) continue;
      sorted[n++] = id;
    }
    const ids = scratch ? sorted.subarray(0, n) : sorted.slice(0, n);
    let vals: Float64Array;
    if (this.realIds.length === 0) vals = ones(n);
    else {
      if (scratch) {
        if (this.vbuf.length < n) this.vbuf = new Float64Array(Math.max(n, this.vbuf.length * 2));
        vals = this.vbuf.subarray(0, n).fill(1);
      } else vals = new Float64Array(n).fill(1);
      for (let k = 0; k < this.realIds.length; k++) {
        const at = indexOf(ids, this.realIds[k] as number);
        if (at >= 0) vals[at] = this.realVals[k] as number;
      }
    }
    this.n = 0;
    this.realIds.length = 0;
    this.realVals.length = 0;
    return { ids, vals };
  }
  private vbuf = new Float64Array(64);
}

function insertionSort(a: Int32Array): void {
  for (let i = 1; i < a.length; i++) {
    const x = a[i] as number;
    let j = i - 1;
    while (j >= 0 && (a[j] as number) > x) {
      a[j + 1] = a[j] as number;
      j--;
    }
    a[j + 1] = x;
  }
}

let ONES = new Float64Array(1024).fill(1);
/** n ones, as a view of a shared array (never written to). */
function ones(n: number): Float64Array {
  if (ONES.length < n) ONES = new Float64Array(Math.max(n, ONES.length * 2)).fill(1);
  return ONES.subarray(0, n);
}

// Text features and context features are built by different builders: building an agent
// turn's context may compute its (cached) text features midway.
const TEXT = new Builder();
const CTX = new Builder();

/** Record a feature's readable name (training only: `names` is null at run time). */
function nm(id: number, name: string): void {
  if (names !== null && !names.has(id)) names.set(id, name);
}

/** Constant features by name (lengths, punctuation, context flags). */
const constIds = new Map<string, number>();
function cid(name: string): number {
  let id = constIds.get(name);
  if (id === undefined) constIds.set(name, (id = nameId(name)));
  return id;
}
function addConst(f: Builder, name: string, v = 1): void {
  const id = cid(name);
  f.addReal(id, v);
  if (names !== null) nm(id, name);
}

/** A constant feature with its id computed once. */
interface Const { id: number; name: string }
const cst = (name: string): Const => ({ id: cid(name), name });
/** Constant features `prefix + key` for a few keys, looked up without building strings. */
function table(prefix: string, keys: readonly string[]): Readonly<Record<string, Const>> {
  return Object.fromEntries(keys.map((k) => [k, cst(prefix + k)]));
}
function addC(f: Builder, c: Const, v = 1): void {
  f.addReal(c.id, v);
  if (names !== null) nm(c.id, c.name);
}

function lengthBucket(n: number): string {
  if (n <= 1) return '1';
  if (n <= 3) return '2-3';
  if (n <= 7) return '4-7';
  if (n <= 15) return '8-15';
  if (n <= 31) return '16-31';
  return '32+';
}

const isWord = (t: TokenInfo): boolean => t.isWord;
const isQ = (t: TokenInfo): boolean => t.kind === 'punct' && t.norm.includes('?');
// Fillers that open a sentence without changing what it does ("Okay. So, um, what …").
const FILLER: ReadonlySet<string> = new Set(['okay', 'ok', 'so', 'um', 'uh', 'well', 'and', 'but', 'yeah', 'yes', 'right', 'alright', 'mm-hmm', 'mm', 'hmm', 'now', 'oh', 'like', 'then', 'great', 'good', 'sure', 'all']);

interface SentenceShape {
  /** First and second non-filler word of the sentence (token indices, or -1). */
  w0: number;
  w1: number;
  question: boolean;
  /** Last word before the sentence's "?" (tag questions: "…, right?"). */
  tag: number;
}

function shape(lexed: Lexed, a: number, b: number): SentenceShape {
  const toks = lexed.info;
  let w0 = -1;
  let w1 = -1;
  let question = false;
  let tag = -1;
  let lastWord = -1;
  for (let i = a; i <= b; i++) {
    const t = toks[i] as TokenInfo;
    if (isQ(t)) {
      question = true;
      if (tag < 0) tag = lastWord;
      continue;
    }
    if (!isWord(t)) continue;
    lastWord = i;
    if (w0 < 0) {
      if ((flags(t) & F_FILL) === 0 || i === b) w0 = i;
    } else if (w1 < 0) w1 = i;
  }
  return { w0, w1, question, tag };
}

/**
 * Context-free features of a message's text (do not mutate the result). Memoised on the
 * tokenised message, which is itself cached by text.
 */
export function textFeatures(lexed: Lexed): Features {
  return (lexed.features ??= textFeaturesUncached(lexed));
}

const LEN_KEYS = ['1', '2-3', '4-7', '8-15', '16-31', '32+'] as const;
const LEN = table('len:', LEN_KEYS);
const COUNT3 = ['', '1', '2', '3+'];
const YOU = table('you:', COUNT3.slice(1));
const ME = table('me:', COUNT3.slice(1));
const WE = table('we:', COUNT3.slice(1));
const Q_ANY = cst('q:any');
const Q_MANY = cst('q:many');
const END_CUT = cst('end:cut');
const START_CUT = cst('start:cut');
const END_KIND = table('end:', ['word', 'number', 'space', 'other']);
/** Per cue family (index in CUE_NAMES): the `lx:`, `pc:lx:`, `xa:lx:`, `pa:lx:`, `pcu:lx:` features. */
const LX = CUE_NAMES.map((n) => cst(`lx:${n}`));
const PC_LX = CUE_NAMES.map((n) => cst(`pc:lx:${n}`));
const XA_LX = CUE_NAMES.map((n) => cst(`xa:lx:${n}`));
const PA_LX = CUE_NAMES.map((n) => cst(`pa:lx:${n}`));
const PCU_LX = CUE_NAMES.map((n) => cst(`pcu:lx:${n}`));

function addCues(f: Builder, table: readonly Const[], families: readonly number[]): void {
  for (let i = 0; i < families.length; i++) addC(f, table[families[i] as number] as Const);
}

function textFeaturesUncached(lexed: Lexed): Features {
  const f = TEXT;
  const toks = lexed.info;
  let prev: TokenInfo | null = null;
  let words = 0;
  let you = 0;
  let me = 0;
  let we = 0;
  let first: TokenInfo | null = null;
  let second: TokenInfo | null = null;
  let firstContent: TokenInfo | null = null;
  let qCount = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as TokenInfo;
    if (isQ(t)) qCount++;
    if (!isWord(t)) continue;
    words++;
    const neg = lexed.neg[i] === 1;
    const u = fid(neg ? KIND.un : KIND.u, t.h);
    f.add(u);
    if (names !== null) nm(u, `${neg ? 'un' : 'u'}:${t.stem}`);
    if (prev !== null) {
      const b = fid(KIND.b, prev.h, t.h);
      f.add(b);
      if (names !== null) nm(b, `b:${prev.stem} ${t.stem}`);
    }
    prev = t;
    if (first === null) first = t;
    else if (second === null) second = t;
    const n = t.norm;
    if (firstContent === null && ((flags(t) & F_STOP) === 0 || n === 'you' || n === 'what' || n === 'how')) firstContent = t;
    if (n === 'you' || n === 'your' || n === 'yourself') you++;
    else if (n === 'i' || n === 'my' || n === 'me') me++;
    else if (n === 'we' || n === 'us' || n === 'our') we++;
  }
  if (first !== null) {
    const id1 = fid(KIND.f1, first.h);
    f.add(id1);
    if (names !== null) nm(id1, `f1:${first.stem}`);
    if (second !== null) {
      const id2 = fid(KIND.f2, first.h, second.h);
      f.add(id2);
      if (names !== null) nm(id2, `f2:${first.stem} ${second.stem}`);
    }
  }
  // Skip a leading "okay/so/yeah" so the first real word is seen too ("Okay. So you feel …").
  if (firstContent !== null) {
    const idc = fid(KIND.fc, firstContent.h);
    f.add(idc);
    if (names !== null) nm(idc, `fc:${firstContent.stem}`);
  }
  addC(f, LEN[lengthBucket(words)] as Const);
  if (qCount > 0) addC(f, Q_ANY);
  if (qCount > 1) addC(f, Q_MANY);
  const last = toks[toks.length - 1];
  if (last !== undefined) {
    if (last.kind === 'punct') addConst(f, `end:${last.norm.slice(-1)}`);
    else addC(f, END_KIND[last.kind] as Const);
  }
  if (lexed.text.endsWith('-') || lexed.text.endsWith('—')) addC(f, END_CUT);
  if (you > 0) addC(f, YOU[COUNT3[you > 2 ? 3 : you] as string] as Const);
  if (me > 0) addC(f, ME[COUNT3[me > 2 ? 3 : me] as string] as Const);
  if (we > 0) addC(f, WE[COUNT3[we > 2 ? 3 : we] as string] as Const);
  // AnnoMI turns cut by an interruption start or end with a dash: they continue the same move.
  if (lexed.text.startsWith('-') || lexed.text.startsWith('—')) addC(f, START_CUT);
  // Each sentence's shape is read once and shared by the sentence and move features.
  const shapes = lexed.sentences.map(([a, b]) => shape(lexed, a, b));
  sentenceFeatures(lexed, f, shapes);
  moveFeatures(lexed, f, shapes);
  addCues(f, LX, cueFamilyIds(lexed));
  return f.done();
}

/**
 * How each sentence opens, and whether it asks: MI codes a turn by what it does, and a
 * question is a sentence with interrogative syntax ("Do you …", "What …", "Tell me …"), with or
 * without a "?"; a statement with a rising "?" is usually a reflection. The last sentence gets
 * its own features: it is where a turn's main move usually sits.
 */
function sentenceFeatures(lexed: Lexed, f: Builder, shapes: readonly SentenceShape[]): void {
  const toks = lexed.info;
  const sents = lexed.sentences;
  let qSents = 0;
  for (let s = 0; s < sents.length; s++) {
    const sh = shapes[s] as SentenceShape;
    if (sh.w0 < 0) continue;
    const t0 = toks[sh.w0] as TokenInfo;
    const t1 = sh.w1 >= 0 ? (toks[sh.w1] as TokenInfo) : null;
    if (sh.question) {
      qSents++;
      addW(f, KIND.sq1, 'sq1', t0);
      if (t1 !== null) addW2(f, KIND.sq2, 'sq2', t0, t1);
      if (sh.tag >= 0) addW(f, KIND.qt, 'qt', toks[sh.tag] as TokenInfo);
    } else {
      addW(f, KIND.s1, 's1', t0);
    }
    if (s === sents.length - 1 || (s === sents.length - 2 && lastIsFiller(lexed))) {
      addW(f, KIND.ls1, 'ls1', t0);
      if (t1 !== null) {
        if (sh.question) addW2(f, KIND.lq2, 'lq2', t0, t1);
        else addW2(f, KIND.ls2, 'ls2', t0, t1);
      }
      if (sh.question) addC(f, Q_LAST);
    }
  }
  addC(f, NSENT[sents.length > 3 ? 4 : sents.length] as Const);
  if (qSents > 0 && qSents === sents.length) addC(f, Q_ALL);
}

const Q_LAST = cst('q:last');
const Q_ALL = cst('q:all');
const NSENT = ['0', '1', '2', '3', '4+'].map((k) => cst(`nsent:${k}`));

/** A feature of one word (kind + stem), named only while recording. */
function addW(f: Builder, kind: number, kindName: string, t: TokenInfo): void {
  const id = fid(kind, t.h);
  f.add(id);
  if (names !== null) nm(id, `${kindName}:${t.stem}`);
}
function addW2(f: Builder, kind: number, kindName: string, a: TokenInfo, b: TokenInfo): void {
  const id = fid(kind, a.h, b.h);
  f.add(id);
  if (names !== null) nm(id, `${kindName}:${a.stem} ${b.stem}`);
}

// What separates a reflection from advice (MI): a reflection restates the client with "you" plus
// a verb of feeling, wanting or thinking ("you feel …", "you're worried …"); advice puts a modal
// after "you" ("you should / need to / could try"), opens with an imperative ("Make sure …",
// "Try …"), or brings the counsellor's own opinion or information ("I think you …", "research").
const YOU_MODAL: ReadonlySet<string> = new Set(['should', 'need', 'have', 'must', 'could', 'can', 'might', 'ought', 'better', 'gotta']);
const YOU_INNER: ReadonlySet<string> = new Set(['feel', 'feeling', 'felt', 'sound', 'sounds', 'seem', 'seems', 'want', 'wanted', 'wish', 'hope', 'worry', 'worried', 'think', 'thought', 'believe', 'know', 'like', 'love', 'hate', 'enjoy', 'care', 'mean', 'saying', 'said', 'noticed', 'realize', 'realized', 'wonder', 'wondering', 'struggle', 'struggling', 'concerned', 'scared', 'afraid', 'frustrated', 'tired', 'ready', 'sure', 'unsure', 'torn', 'stuck']);
const IMPERATIVE: ReadonlySet<string> = new Set(['make', 'try', 'take', 'tell', 'go', 'keep', 'stop', 'start', 'avoid', 'remember', 'let', 'call', 'pick', 'talk', 'consider', 'find', 'use', 'cut', 'drink', 'eat', 'quit', 'come', 'bring', 'put', 'give', 'get', 'ask', 'look', 'check', 'do', 'be', 'stay', 'read', 'write', 'set', 'think', 'please', 'listen', 'trust', 'imagine', 'promise']);
const INFO: ReadonlySet<string> = new Set(['research', 'studies', 'study', 'percent', 'recommended', 'recommend', 'guidelines', 'guideline', 'doctors', 'doctor', 'risk', 'risks', 'limit', 'dangerous', 'damage', 'important', 'actually', 'statistics', 'evidence', 'effects', 'effect', 'problems', 'medication', 'medicine', 'healthy', 'health', 'safe', 'unsafe', 'law', 'illegal', 'rules']);
const AUX_DO: ReadonlySet<string> = new Set(['do', 'does', 'did', 'are', 'is', 'can', 'could', 'would', 'will', 'have', 'has']);

// Word classes as bits, read once per distinct token value (set lookups per token added up).
const F_STOP = 1;
const F_FILL = 2;
const F_YMOD = 4;
const F_YINN = 8;
const F_IMP = 16;
const F_INFO = 32;
function flags(t: TokenInfo): number {
  if (t.wf < 0) {
    const n = t.norm;
    t.wf = (STOPWORDS.has(n) ? F_STOP : 0) | (FILLER.has(n) ? F_FILL : 0) | (YOU_MODAL.has(n) ? F_YMOD : 0)
      | (YOU_INNER.has(n) ? F_YINN : 0) | (IMPERATIVE.has(n) ? F_IMP : 0) | (INFO.has(n) ? F_INFO : 0);
  }
  return t.wf;
}

function moveFeatures(lexed: Lexed, f: Builder, shapes: readonly SentenceShape[]): void {
  const toks = lexed.info;
  let youModal = 0;
  let youInner = 0;
  let imperative = 0;
  let iYou = 0;
  let info = 0;
  let butOpen = false;
  let words = 0;
  let prevWord = '';
  let prev2 = '';
  for (let s = 0; s < lexed.sentences.length; s++) {
    const a = (lexed.sentences[s] as [number, number])[0];
    const sh = shapes[s] as SentenceShape;
    if (sh.w0 >= 0) {
      const t0 = toks[sh.w0] as TokenInfo;
      const n0 = t0.norm;
      if (!sh.question && (flags(t0) & F_IMP) !== 0 && !(n0 === 'do' && sh.w1 >= 0 && (toks[sh.w1] as TokenInfo).norm === 'you')) imperative++;
      if (n0 === 'but' || (toks[a] as TokenInfo).norm === 'but') butOpen = true;
    }
  }
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as TokenInfo;
    if (!isWord(t)) continue;
    words++;
    const n = t.norm;
    const fl = flags(t);
    if (prevWord === 'you' && !AUX_DO.has(prev2)) {
      if ((fl & F_YMOD) !== 0) youModal++;
      else if ((fl & F_YINN) !== 0) youInner++;
    }
    // "you are feeling", "you're worried", "you don't want": one word in between.
    if (prev2 === 'you' && (prevWord === 'are' || prevWord === 'were' || prevWord === 'not' || prevWord === 'really' || prevWord === 'do' || prevWord === 'just') && (fl & F_YINN) !== 0) youInner++;
    if (prev2 === 'i' && (prevWord === 'think' || prevWord === 'want' || prevWord === 'would' || prevWord === 'need' || prevWord === 'suggest' || prevWord === 'recommend' || prevWord === 'know') && n === 'you') iYou++;
    if ((fl & F_INFO) !== 0) info++;
    prev2 = prevWord;
    prevWord = n;
  }
  if (youModal > 0) addC(f, youModal > 1 ? MV.youModal2 : MV.youModal1);
  if (youInner > 0) addC(f, youInner > 1 ? MV.youInner2 : MV.youInner1);
  if (youModal > 0 && youInner === 0) addC(f, MV.modalOnly);
  if (youInner > 0 && youModal === 0) addC(f, MV.innerOnly);
  if (imperative > 0) addC(f, imperative > 1 ? MV.imp2 : MV.imp1);
  if (iYou > 0) addC(f, MV.iYou);
  if (info > 0) addC(f, MV.info[info > 2 ? 3 : info] as Const);
  if (butOpen) addC(f, MV.but);
  // Long declarative turns with directive moves are lectures, not restatements.
  const directive = youModal + imperative + iYou;
  if (directive > 0) addC(f, MV_DIR[lengthBucket(words)] as Const);
}

const MV = {
  youModal1: cst('mv:you_modal:1'), youModal2: cst('mv:you_modal:2+'),
  youInner1: cst('mv:you_inner:1'), youInner2: cst('mv:you_inner:2+'),
  modalOnly: cst('mv:modal_only'), innerOnly: cst('mv:inner_only'),
  imp1: cst('mv:imp:1'), imp2: cst('mv:imp:2+'), iYou: cst('mv:i_you'),
  info: ['', '1', '2', '3+'].map((k) => cst(`mv:info:${k}`)),
  but: cst('mv:but'),
};
const MV_DIR = table('mv:dir:', LEN_KEYS);

/** Whether the last sentence is only a filler ("… Okay?" / "… Yeah."). */
function lastIsFiller(lexed: Lexed): boolean {
  const last = lexed.sentences[lexed.sentences.length - 1];
  if (last === undefined) return false;
  for (let i = last[0]; i <= last[1]; i++) {
    const t = lexed.info[i] as TokenInfo;
    if (isWord(t) && (flags(t) & F_FILL) === 0) return false;
  }
  return true;
}


/** Content stems of a message (for overlap between turns), memoised per tokenised text. */
export function contentStems(lexed: Lexed): Set<string> {
  if (lexed.stems !== undefined) return lexed.stems;
  const out = new Set<string>();
  lexed.stems = out;
  for (const t of lexed.info) {
    if (t.kind === 'word' && t.norm.length > 1 && (flags(t) & F_STOP) === 0 && t.norm.charCodeAt(0) !== 64) out.add(t.stem);
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

function turnBucket(n: number): string {
  if (n <= 1) return String(n);
  if (n <= 3) return '2-3';
  if (n <= 6) return '4-6';
  if (n <= 10) return '7-10';
  return '11+';
}

/** What an agent turn knows about the turns before it. */
export interface AgentContext {
  prevCustomer: Lexed | null;
  /** The agent's own previous turn (question chains, repeated asks). */
  prevAgent: Lexed | null;
  /** Content stems of all earlier customer turns. */
  earlierCustomerStems: Set<string>;
  /** How many agent turns came before this one. */
  agentTurn: number;
}

/** Only the context part of an agent message's features (the text part is cached apart). */
export function agentContextFeatures(lexed: Lexed, ctx: AgentContext, scratch = false): Features {
  const f = CTX;
  const mine = contentStems(lexed);
  // Overlap with the customer's last turn, counted once (the move crosses below reuse it).
  let sharedLast = 0;
  if (ctx.prevCustomer !== null) {
    const theirs = contentStems(ctx.prevCustomer);
    const shared = overlap(mine, theirs);
    sharedLast = shared;
    const ov = mine.size === 0 ? 0 : shared / mine.size;
    const cov = theirs.size === 0 ? 0 : shared / theirs.size;
    addC(f, C.ov, ov);
    addC(f, C.cov, cov);
    addC(f, OVB[bucket(ov)] as Const);
    addC(f, COVB[bucket(cov)] as Const);
    let pcWords = 0;
    for (const t of ctx.prevCustomer.info) if (t.kind === 'word') pcWords++;
    addC(f, PC_LEN[lengthBucket(pcWords)] as Const);
    if (ctx.prevCustomer.text.includes('?')) addC(f, C.pcQ);
    addCues(f, PC_LX, cueFamilyIds(ctx.prevCustomer));
  } else {
    addC(f, C.pcNone);
  }
  if (ctx.prevAgent !== null && ctx.prevAgent.text.includes('?')) addC(f, C.paQ);
  const all = overlap(mine, ctx.earlierCustomerStems);
  const ovall = mine.size === 0 ? 0 : all / mine.size;
  addC(f, C.ovall, ovall);
  // The counsellor's own agenda: content words the client never used, by count and crossed with
  // how long the turn is (a long turn of new words is information or advice, not a reflection).
  const novel = mine.size - all;
  addC(f, NOV[novel === 0 ? '0' : novel <= 2 ? '1-2' : novel <= 5 ? '3-5' : novel <= 10 ? '6-10' : '11+'] as Const);
  addC(f, NOVR[`${bucket(1 - ovall)}:${mine.size <= 3 ? 's' : mine.size <= 8 ? 'm' : 'l'}`] as Const);
  const textF = textFeatures(lexed);
  const moveOv = bucket(ctx.prevCustomer === null ? 0 : sharedLast / Math.max(1, mine.size));
  for (const mv of MOVES) if (hasFeature(textF, mv.id)) addC(f, mv.byOverlap[moveOv] as Const);
  addC(f, AT[turnBucket(ctx.agentTurn)] as Const);
  return f.done(scratch);
}

const BUCKETS = ['0', 'lo', 'mid', 'hi'] as const;
const TURNS = ['0', '1', '2-3', '4-6', '7-10', '11+'] as const;
const C = {
  ov: cst('ov'), cov: cst('cov'), ovall: cst('ovall'), pcQ: cst('pc:q'), pcNone: cst('pc:none'), paQ: cst('pa:q'),
  xaQ: cst('xa:q'), paAsk: cst('pa:ask'), anyAsk: cst('any:ask'), paNone: cst('pa:none'),
};
const OVB = table('ovb:', BUCKETS);
const COVB = table('covb:', BUCKETS);
const PC_LEN = table('pc:len:', LEN_KEYS);
const NOV = table('nov:', ['0', '1-2', '3-5', '6-10', '11+']);
const NOVR = table('novr:', BUCKETS.flatMap((b) => ['s', 'm', 'l'].map((z) => `${b}:${z}`)));
const AT = table('at:', TURNS);
const CT = table('ct:', TURNS);
const ASKS = table('asks:', ['0', '1', '2', '3+']);

/** What a customer turn knows about the turns before it. */
export interface CustomerContext {
  prevAgent: Lexed | null;
  /** Probability that the previous agent turn was a sales ask (from the sales_ask model). */
  prevAgentAsk: number;
  /** Highest sales-ask probability of any earlier agent turn. */
  anyAskBefore: number;
  /** Earlier agent turns that were likely asks (probability ≥ 0.5). */
  asksBefore: number;
  /** The customer's own previous turn. */
  prevCustomer: Lexed | null;
  /** How many customer turns came before this one. */
  customerTurn: number;
}

/**
 * Only the context part of a customer message's features. The same words mean different
 * things after an ask ("I'll think about it" answers it; elsewhere it is small talk), so the
 * turn's cue families and first word are also crossed with "the agent just asked".
 */
export function customerContextFeatures(ctx: CustomerContext, lexed?: Lexed, scratch = false): Features {
  const f = CTX;
  if (lexed !== undefined && ctx.prevAgentAsk >= 0.35) {
    addCues(f, XA_LX, cueFamilyIds(lexed));
    const first = lexed.info.find(isWord);
    if (first !== undefined) addW(f, KIND.xa, 'xa', first);
    if (lexed.text.includes('?')) addC(f, C.xaQ);
  }
  addC(f, C.paAsk, ctx.prevAgentAsk);
  addC(f, C.anyAsk, ctx.anyAskBefore);
  addC(f, ASKS[ctx.asksBefore > 2 ? '3+' : String(ctx.asksBefore)] as Const);
  addC(f, CT[turnBucket(ctx.customerTurn)] as Const);
  if (ctx.prevAgent !== null) {
    const pa = ctx.prevAgent;
    if (pa.text.includes('?')) addC(f, C.paQ);
    addCues(f, PA_LX, cueFamilyIds(pa));
  } else {
    addC(f, C.paNone);
  }
  if (ctx.prevCustomer !== null) addCues(f, PCU_LX, cueFamilyIds(ctx.prevCustomer));
  return f.done(scratch);
}

// Move features crossed with overlap: "you should …" right after the client said it is theirs.
const MOVES = ['mv:you_modal:1', 'mv:you_inner:1', 'mv:imp:1', 'mv:i_you', 'mv:info:1'].map((n) => ({ id: nameId(n), byOverlap: table(`${n}:ov`, BUCKETS) }));

/** Position of `id` in sorted `ids`, or -1. */
function indexOf(ids: Int32Array, id: number): number {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = ids[mid] as number;
    if (v === id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Whether `f` holds feature `id` (ids are sorted). */
export function hasFeature(f: Features, id: number): boolean {
  return indexOf(f.ids, id) >= 0;
}

/** Text features and context features as one set (for training). */
export function merge(a: Features, b: Features): Features {
  const out = new Builder();
  for (let i = 0; i < a.ids.length; i++) out.addReal(a.ids[i] as number, a.vals[i] as number);
  for (let i = 0; i < b.ids.length; i++) out.addReal(b.ids[i] as number, b.vals[i] as number);
  return out.done();
}

/** Ids of a few named features the rules consult. */
export const FEATURE = {
  askVerb: nameId('lx:ask_verb'),
  askFrame: nameId('lx:ask_frame'),
  qAny: nameId('q:any'),
  qLast: nameId('q:last'),
  directNo: nameId('lx:direct_no'),
  selfPity: nameId('lx:self_pity'),
  delay: nameId('lx:delay'),
  paNone: nameId('pa:none'),
  ov: nameId('ov'),
} as const;

export { CUE_NAMES };

/** Forget cached text features (benchmarks measure cold analysis with this). */
export function clearFeatureCache(): void {
  // Text features live on the tokenised messages (nlp.ts's cache): clearLexCache drops them.
}
