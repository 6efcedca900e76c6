import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportRunResult } from '../../src/app/run-import.ts';
import { runCli, startServe, type CliEnv } from '../support/cli.ts';
import { freshStoreLocation, onPostgres, type TestStoreLocation } from '../support/store.ts';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'zendesk', 'export.json');
let location: TestStoreLocation;
let env: CliEnv;
beforeAll(async () => {
  location = await freshStoreLocation();
  env = { dataDir: location.dataDir, databaseUrl: location.databaseUrl };
});
afterAll(async () => location?.dispose());

describe(`fairdesk import (${onPostgres ? 'PostgreSQL' : 'embedded store'})`, () => {
  it('imports a Zendesk export beside a running server with a progress bar, and again without one changes nothing', async () => {
    const made = await runCli(['tenant', 'create', '--name', 'Zen Import', '--slug', 'zen-import', '--json', '--data', env.dataDir], env);
    expect(made.code).toBe(0);
    const server = await startServe(env);
    let first: ImportRunResult;
    try {
      const run = await runCli(['import', 'zendesk', FIXTURE, '--tenant', 'zen-import', '--json', '--data', env.dataDir], env);
      expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
      expect(run.stderr).toMatch(/import zendesk \[/);
      first = JSON.parse(run.stdout) as ImportRunResult;
      expect(first).toMatchObject({ kind: 'zendesk', source: 'export.json', imported: 19, skipped: 2, rejected: 10 });
    } finally {
      await server.stop();
    }
    const again = await runCli(['import', 'zendesk', FIXTURE, '--tenant', 'zen-import', '--data', env.dataDir], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('31 record(s) — 0 imported, 0 updated, 21 skipped, 10 rejected.');
    expect(again.stdout).toContain('record 17 (tickets[4]): requester_id: user 99999 is not an imported end-user');

    const bad = await runCli(['import', 'zendesk', join(import.meta.dirname, 'no-such-file.json'), '--tenant', 'zen-import', '--data', env.dataDir], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('no such file');
  }, 240_000);
});
