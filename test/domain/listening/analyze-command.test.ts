import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { analyzeCommand } from '../../../src/cli/commands/analyze.ts';

const dir = mkdtempSync(join(tmpdir(), 'fairdesk-analyze-'));
const conv = (id: string, author?: string): string => JSON.stringify({ id, messages: [
  { role: 'agent', text: 'Would you like to upgrade today?', ...(author ? { author } : {}), gold: ['sales_ask'] },
  { role: 'customer', text: 'No thanks.' },
  { role: 'agent', text: 'How about upgrading for only $5?', ...(author ? { author } : {}) },
] });

describe('fairdesk analyze', () => {
  afterEach(() => { process.exitCode = undefined; vi.restoreAllMocks(); });

  it('writes one line per conversation, in input order', async () => {
    const input = join(dir, 'in.jsonl');
    const out = join(dir, 'out.jsonl');
    writeFileSync(input, [conv('a'), '', conv('b'), conv('c')].join('\n') + '\n');
    await analyzeCommand().parseAsync([input, '--out', out, '--no-progress'], { from: 'user' });
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; findings: Array<{ type: string }> });
    expect(lines.map((l) => l.id)).toEqual(['a', 'b', 'c']);
    expect(lines[0]?.findings.map((f) => f.type)).toContain('push_after_refusal');
    expect(process.exitCode ?? 0).toBe(0);
  });

  it('exits 1 naming the line of unreadable input', async () => {
    const input = join(dir, 'bad.jsonl');
    writeFileSync(input, `${conv('a')}\n{"messages": [{"role": "robot", "text": "x"}]}\n`);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await analyzeCommand().parseAsync([input, '--out', join(dir, 'bad.out'), '--no-progress'], { from: 'user' });
    expect(process.exitCode).toBe(1);
    expect(err.mock.calls.map((c) => String(c[0])).join('')).toMatch(/line 2/);
  });

  it('writes a self-contained HTML report with charts and a per-agent chart', async () => {
    const input = join(dir, 'rep.jsonl');
    const out = join(dir, 'report.html');
    writeFileSync(input, [conv('a', 'ann'), conv('b', 'bob')].join('\n'));
    await analyzeCommand().parseAsync(['--report', input, '--out', out, '--no-progress'], { from: 'user' });
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/<svg/);
    expect(html).toMatch(/Mean listening score per agent/);
    expect(html).toMatch(/ann/);
    expect(html).not.toMatch(/<script|https?:\/\/(?!fairdesk)/);
  });
});
