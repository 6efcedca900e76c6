/**
 * Checks the phrase pre-filter (src/domain/listening/phrases.ts) on real text: over every message of
 * `../shared/data/*\/dev.jsonl`, every registered pattern that matches must have its mask bit set.
 * Prints how many scans the pre-filter skips; exits 1 on a hidden match.
 *
 * Run: `npx tsx scripts/listening/check-phrases.ts`
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import '../../src/domain/listening/index.ts';
import { lexUncached } from '../../src/domain/listening/nlp.ts';
import { mayMatch, registeredPhrases } from '../../src/domain/listening/phrases.ts';
import { DEFAULT_DATA } from './data.ts';

const patterns = registeredPhrases();
let messages = 0;
let scans = 0;
let skipped = 0;
let hidden = 0;
for (const corpus of readdirSync(DEFAULT_DATA).sort()) {
  const f = join(DEFAULT_DATA, corpus, 'dev.jsonl');
  if (!existsSync(f)) continue;
  for (const line of readFileSync(f, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line) as { messages?: Array<{ text?: unknown }> };
    for (const m of row.messages ?? []) {
      const lexed = lexUncached(typeof m.text === 'string' ? m.text : '');
      messages++;
      for (const re of patterns) {
        scans++;
        const may = mayMatch(lexed.mask, re);
        if (!may) skipped++;
        re.lastIndex = 0;
        if (!may && re.test(lexed.normText)) {
          hidden++;
          process.stdout.write(`HIDDEN ${re.source.slice(0, 60)} in ${JSON.stringify(lexed.normText.slice(0, 120))}\n`);
        }
      }
    }
  }
}
process.stdout.write(`messages ${messages}, patterns ${patterns.length}, scans skipped ${(100 * skipped / Math.max(1, scans)).toFixed(1)}%, hidden matches ${hidden}\n`);
if (hidden > 0) process.exitCode = 1;
