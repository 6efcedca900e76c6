/**
 * Profiling driver: cold analysis passes over twitter-care + stc3 (as in bench/listening.ts),
 * without the tokenizer reference, so `node --cpu-prof` sees only the analyzer.
 * Run: `node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof scripts/listening/prof.ts [passes]`
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeConversation, clearListeningCaches, type InputConversation } from '../../src/domain/listening/index.ts';
import { DEFAULT_DATA } from './data.ts';

const convs: InputConversation[] = [];
for (const c of ['twitter-care', 'stc3']) {
  const f = join(DEFAULT_DATA, c, 'dev.jsonl');
  if (!existsSync(f)) continue;
  for (const line of readFileSync(f, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line) as { id?: string; messages: Array<{ role: 'customer' | 'agent' | 'system'; text: string }> };
    convs.push({ id: row.id, messages: row.messages.map((m) => ({ role: m.role, text: m.text })) });
  }
}
const passes = Number(process.argv[2] ?? 10);
for (let p = 0; p < passes; p++) {
  clearListeningCaches();
  const t0 = performance.now();
  for (const c of convs) analyzeConversation(c);
  process.stdout.write(`pass ${p}: ${(performance.now() - t0).toFixed(0)} ms\n`);
}
