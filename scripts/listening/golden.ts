/**
 * Output digest of the analyzer over every conversation in `../shared/data/*\/dev.jsonl`, so a
 * speed-up can prove it changed nothing: prints a SHA-256 of the JSON outputs and writes the
 * outputs themselves to a tmp file (for diffing). Only `role`, `text` and `author` are passed.
 *
 * Also checks a warm second pass (caches must not change outputs) and `checkDraftReply` with
 * each conversation's last agent turn as the draft.
 *
 * Run: `npx tsx scripts/listening/golden.ts [--out /tmp/listening-golden.jsonl]`
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeConversation, checkDraftReply, clearListeningCaches, type InputConversation, type InputMessage } from '../../src/domain/listening/index.ts';
import { DEFAULT_DATA } from './data.ts';

function load(): InputConversation[] {
  const convs: InputConversation[] = [];
  if (!existsSync(DEFAULT_DATA)) throw new Error(`no data at ${DEFAULT_DATA}`);
  for (const corpus of readdirSync(DEFAULT_DATA).sort()) {
    const f = join(DEFAULT_DATA, corpus, 'dev.jsonl');
    if (!existsSync(f)) continue;
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const row = JSON.parse(line) as { id?: unknown; messages?: Array<Record<string, unknown>> };
      const messages: InputMessage[] = (row.messages ?? []).map((m) => {
        const msg: InputMessage = { role: m.role as InputMessage['role'], text: m.text as string };
        if (typeof m.author === 'string') msg.author = m.author;
        return msg;
      });
      convs.push({ id: typeof row.id === 'string' ? row.id : undefined, messages });
    }
  }
  return convs;
}

const outArg = process.argv.indexOf('--out');
const outPath = outArg >= 0 ? (process.argv[outArg + 1] ?? '/tmp/listening-golden.jsonl') : '/tmp/listening-golden.jsonl';
const convs = load();
clearListeningCaches();
const lines: string[] = [];
for (const c of convs) lines.push(JSON.stringify(analyzeConversation(c)));
// A warm pass must give the same outputs as the cold one.
let warmDiff = 0;
convs.forEach((c, i) => { if (JSON.stringify(analyzeConversation(c)) !== lines[i]) warmDiff++; });
const drafts: string[] = [];
for (const c of convs) {
  const last = c.messages.length - 1;
  let j = last;
  while (j >= 0 && c.messages[j]?.role !== 'agent') j--;
  if (j < 0) continue;
  drafts.push(JSON.stringify(checkDraftReply(c.messages.slice(0, j), c.messages[j]?.text ?? '', c.messages[j]?.author)));
}
const body = lines.join('\n') + '\n';
const digest = createHash('sha256').update(body).digest('hex');
const draftDigest = createHash('sha256').update(drafts.join('\n')).digest('hex');
writeFileSync(outPath, body);
writeFileSync(outPath.replace(/\.jsonl$/, '') + '.drafts.jsonl', drafts.join('\n') + '\n');
process.stdout.write(`conversations ${convs.length}\nanalyze digest ${digest}\ndraft digest   ${draftDigest}\nwarm-pass differences ${warmDiff}\noutputs in ${outPath}\n`);
if (warmDiff > 0) process.exitCode = 1;
