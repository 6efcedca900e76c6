/**
 * Listening-analysis throughput on one core: conversations/s and tokens/s of
 * `analyzeConversation` over the twitter-care and stc3 texts, against wink-nlp with an empty
 * pipeline (tokenisation only) over the same texts in the same run. Caches are cleared before
 * every timed pass, so each pass analyses cold text.
 *
 * Run alone: `npx tsx bench/listening.ts [--quick]`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { analyzeConversation, clearListeningCaches, type InputConversation } from '../src/domain/listening/index.ts';

export interface BenchRecord {
  name: string;
  store: 'none';
  unit: string;
  value: number;
  reference: number;
  ratio: number;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = join(ROOT, '..', 'shared', 'data');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'listening', 'twitter-care-labelled.jsonl');

function loadConversations(): { convs: InputConversation[]; source: string } {
  const files = ['twitter-care', 'stc3'].map((c) => join(DATA, c, 'dev.jsonl')).filter((f) => existsSync(f));
  const convs: InputConversation[] = [];
  if (files.length > 0) {
    for (const f of files) {
      for (const line of readFileSync(f, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        const row = JSON.parse(line) as { id?: string; messages: Array<{ role: 'customer' | 'agent' | 'system'; text: string }> };
        convs.push({ id: row.id, messages: row.messages.map((m) => ({ role: m.role, text: m.text })) });
      }
    }
    return { convs, source: 'twitter-care + stc3 (../shared/data)' };
  }
  // Without the shared data, the committed twitter-care fixture keeps the benchmark runnable.
  for (const line of readFileSync(FIXTURE, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const r = JSON.parse(line) as { conversation: string; role: 'customer' | 'agent'; text: string; context: Array<{ role: 'customer' | 'agent'; text: string }> };
    convs.push({ id: r.conversation, messages: [...r.context, { role: r.role, text: r.text }] });
  }
  return { convs, source: 'twitter-care fixture (shared data absent)' };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

/** Run the benchmark; `quick` does fewer timed passes. */
export async function benchListening(opts: { quick?: boolean } = {}): Promise<BenchRecord[]> {
  const { convs } = loadConversations();
  const texts = convs.flatMap((c) => c.messages.map((m) => m.text));
  const nlp = winkNLP(model, []);
  let tokens = 0;
  for (const t of texts) tokens += (nlp.readDoc(t).tokens().out() as string[]).length;
  const passes = opts.quick === true ? 3 : 7;

  const tokenizeOnce = (): number => {
    const t0 = performance.now();
    let n = 0;
    for (const t of texts) n += (nlp.readDoc(t).tokens().out() as string[]).length;
    // (wink's count can differ by a token on rare texts between reads; the sum is only a sink.)
    if (n < 0) throw new Error('unreachable');
    return (performance.now() - t0) / 1000;
  };
  const analyzeOnce = (): number => {
    clearListeningCaches();
    const t0 = performance.now();
    for (const c of convs) analyzeConversation(c);
    return (performance.now() - t0) / 1000;
  };
  // Warm up both paths (JIT, model load), then alternate so both see the same machine state.
  tokenizeOnce();
  analyzeOnce();
  const ref: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < passes; i++) {
    ref.push(tokenizeOnce());
    ours.push(analyzeOnce());
  }
  const refS = median(ref);
  const oursS = median(ours);
  const rec = (name: string, unit: string, value: number, reference: number): BenchRecord => ({
    name, store: 'none', unit, value: Math.round(value), reference: Math.round(reference), ratio: Math.round((value / reference) * 1000) / 1000,
  });
  return [
    rec('listening analyze: conversations/s (twitter-care+stc3, 1 core) vs wink tokenize-only', 'conversations/s', convs.length / oursS, convs.length / refS),
    rec('listening analyze: tokens/s (twitter-care+stc3, 1 core) vs wink tokenize-only', 'tokens/s', tokens / oursS, tokens / refS),
  ];
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const quick = process.argv.includes('--quick');
  const { convs, source } = loadConversations();
  const records = await benchListening({ quick });
  process.stdout.write(`listening benchmark over ${convs.length} conversations from ${source}\n`);
  console.table(records.map((r) => ({ name: r.name, unit: r.unit, value: r.value, reference: r.reference, ratio: r.ratio })));
}
