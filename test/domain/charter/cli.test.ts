import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { charterCheckCommand, charterSchemaCommand, type CharterCliOutput } from '../../../src/cli/commands/charter-offline.ts';
import { MINIMAL_YAML } from './fixtures.ts';

async function run(make: (io: CharterCliOutput) => Command, args: string[]) {
  let stdout = '';
  let stderr = '';
  const cmd = make({ out: (t) => void (stdout += t), err: (t) => void (stderr += t) }).exitOverride();
  process.exitCode = undefined;
  await cmd.parseAsync(args, { from: 'user' });
  const code = process.exitCode ?? 0;
  process.exitCode = undefined;
  return { stdout, stderr, code };
}

const dir = mkdtempSync(join(tmpdir(), 'fairdesk-charter-cli-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

afterEach(() => {
  process.exitCode = undefined;
});

describe('fairdesk charter check', () => {
  it('summarises a valid charter and exits 0', async () => {
    const r = await run(charterCheckCommand, ['examples/charter.yaml']);
    expect(r).toEqual({
      stdout: 'examples/charter.yaml: valid — "Northwind Broadband service charter": 5 severities, 10 minimum targets, 3 tiers (Loyal, Plus, Business); Europe/London, 10 holidays\n',
      stderr: '',
      code: 0,
    });
  });

  it('prints every error as FILE:LINE:COLUMN: path: message and exits 1', async () => {
    const p = file('bad.yaml', MINIMAL_YAML.replace('timeZone: Europe/London', 'timeZone: Europe/Londn').replace('  maxDays: 30', '  maxDays: 30\n  maxDayz: 31'));
    const r = await run(charterCheckCommand, [p]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toEqual([
      `${p}:3:13: businessHours.timeZone: is not an IANA time zone (e.g. "Europe/London")`,
      `${p}:39:3: exceptions.maxDayz: unknown key "maxDayz"`,
      '2 errors',
      '',
    ]);
  });

  it('reports YAML syntax errors on the whole document', async () => {
    const p = file('syntax.yaml', 'name: [unclosed\n');
    const r = await run(charterCheckCommand, [p]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: \\(document\\): YAML: `));
  });

  it('exits 1 when the file cannot be read', async () => {
    const r = await run(charterCheckCommand, [join(dir, 'missing.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot read: ENOENT');
  });
});

describe('fairdesk charter schema', () => {
  it('prints the JSON Schema', async () => {
    const r = await run(charterSchemaCommand, []);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as { $schema: string; title: string };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.title).toBe('Fairdesk service charter');
  });
});
