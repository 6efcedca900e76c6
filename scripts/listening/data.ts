/**
 * Loading labelled conversations for training and evaluation: the corpora of
 * `../shared/data` (one conversation per JSONL line, gold labels per message) and the
 * hand-labelled twitter-care fixture (one message per line, with its preceding context).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_DATA = join(PROJECT_ROOT, '..', 'shared', 'data');
export const FIXTURE = join(PROJECT_ROOT, 'test', 'fixtures', 'listening', 'twitter-care-labelled.jsonl');

export interface GoldMessage {
  role: 'customer' | 'agent' | 'system';
  text: string;
  author?: string;
  /** Gold labels; `undefined` when the message was not annotated (context only). */
  gold?: string[];
}

export interface GoldConversation {
  id: string;
  /** Corpus name (folder of the file), used to decide which labels it annotates. */
  corpus: string;
  /** Cross-validation group: conversations with the same group never straddle folds. */
  group: string;
  messages: GoldMessage[];
  gold: Record<string, unknown>;
}

function jsonlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...jsonlFiles(p));
    else if (name.endsWith('.jsonl')) out.push(p);
  }
  return out;
}

function asMessages(v: unknown): GoldMessage[] {
  if (!Array.isArray(v)) return [];
  return v.map((m: Record<string, unknown>) => {
    const role = m.role === 'agent' || m.role === 'customer' ? m.role : 'system';
    const msg: GoldMessage = { role, text: typeof m.text === 'string' ? m.text : '' };
    if (typeof m.author === 'string') msg.author = m.author;
    if (Array.isArray(m.gold)) msg.gold = m.gold.filter((g): g is string => typeof g === 'string');
    // AnnoMI's "therapist_input" (information, advice, options) is the auxiliary training label
    // `advice` (what a reflection is not); your own data may carry `advice` in gold directly.
    if (msg.gold !== undefined && Array.isArray(m.raw) && m.raw.includes('therapist_input') && !msg.gold.includes('advice')) msg.gold = [...msg.gold, 'advice'];
    // RESPER's positive reactions, agreements and donation amounts without a resistance strategy
    // are the auxiliary label `comply` (what a refusal is not: its labels are noisy there).
    if (msg.gold !== undefined && Array.isArray(m.raw) && !msg.gold.includes('refusal') && !msg.gold.includes('comply')
      && m.raw.some((r) => typeof r === 'string' && /^(?:positive-reaction-to-donation|agree-donation|provide-donation-amount)\|not-a-strategy$/.test(r))) msg.gold = [...msg.gold, 'comply'];
    return msg;
  });
}

/** Every conversation under `dir` (recursively, `*.jsonl`), corpus = the file's folder. */
export function loadCorpora(dir: string): GoldConversation[] {
  const out: GoldConversation[] = [];
  for (const file of jsonlFiles(dir)) {
    const corpus = relative(dir, dirname(file)) || relative(dir, file).replace(/\.jsonl$/, '');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      let row: Record<string, unknown>;
      try {
        row = JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`${file}:${i + 1}: not valid JSON`);
      }
      const id = typeof row.id === 'string' ? row.id : `${corpus}-${i + 1}`;
      const gold = row.gold !== null && typeof row.gold === 'object' ? (row.gold as Record<string, unknown>) : {};
      out.push({ id, corpus, group: id, messages: asMessages(row.messages), gold });
    });
  }
  return out;
}

/** One hand-labelled message of the fixture. */
export interface FixtureRecord {
  source: string;
  conversation: string;
  message: number;
  role: 'customer' | 'agent';
  text: string;
  labels: string[];
  context: Array<{ role: 'customer' | 'agent'; text: string }>;
}

export function loadFixture(path: string = FIXTURE): FixtureRecord[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as FixtureRecord);
}

/** The fixture as mini-conversations (context + the labelled message), grouped by thread. */
export function fixtureConversations(records: readonly FixtureRecord[]): GoldConversation[] {
  return records.map((r) => ({
    id: `${r.conversation}#${r.message}`,
    corpus: 'twitter-care-labelled',
    group: r.conversation,
    messages: [...r.context.map((c) => ({ role: c.role, text: c.text })), { role: r.role, text: r.text, gold: r.labels }],
    gold: {},
  }));
}

/** Labels annotated by each corpus (a label any of its messages carries). */
export function annotatedLabels(convs: readonly GoldConversation[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const c of convs) {
    let set = out.get(c.corpus);
    if (set === undefined) out.set(c.corpus, (set = new Set()));
    for (const m of c.messages) for (const g of m.gold ?? []) set.add(g);
  }
  return out;
}
