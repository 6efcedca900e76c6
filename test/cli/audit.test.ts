import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/store.ts';
import { runCli, startServe, type CliEnv } from '../support/cli.ts';
import { freshStoreLocation, onPostgres, type TestStoreLocation } from '../support/store.ts';

let location: TestStoreLocation;
let env: CliEnv;
beforeAll(async () => {
  location = await freshStoreLocation();
  env = { dataDir: location.dataDir, databaseUrl: location.databaseUrl };
});
afterAll(async () => location?.dispose());

interface VerifyJson {
  ok: boolean;
  tenants: Array<{ tenantId: string; rows: number; head: number; checkpoints: number; firstBroken: null | { seq: number; id: string | null; problem: string } }>;
}

async function verify(extra: string[] = []): Promise<{ code: number | null; json: VerifyJson; stderr: string }> {
  const res = await runCli(['audit', 'verify', '--json', '--data', env.dataDir, ...extra], env);
  return { code: res.code, json: JSON.parse(res.stdout) as VerifyJson, stderr: res.stderr };
}

/** Runs a command that must succeed and prints JSON; a failure shows its stderr. */
async function cliJson<T>(args: string[]): Promise<T> {
  const res = await runCli([...args, '--data', env.dataDir, '--json'], env);
  expect({ args, code: res.code, stderr: res.code === 0 ? '' : res.stderr }).toEqual({ args, code: 0, stderr: '' });
  return JSON.parse(res.stdout) as T;
}

/** Runs `work` with the server's store open as the connecting (super)user, as an attacker would. */
async function asSuperuser(work: (db: Awaited<ReturnType<typeof openStore>>['db']) => Promise<void>): Promise<void> {
  const store = await openStore({ dataDir: env.dataDir, databaseUrl: env.databaseUrl, migrate: false });
  try {
    await work(store.db);
  } finally {
    await store.close();
  }
}

describe(`fairdesk audit (${onPostgres ? 'PostgreSQL' : 'embedded store'})`, () => {
  it('verifies alone and beside a server, catches tampering either way, and an exported checkpoint file catches a rewound tail', async () => {
    const demo = await cliJson<{ tenantId: string }>(['demo']);
    const solo = await cliJson<{ tenantId: string }>(['tenant', 'create', '--name', 'Audit Solo']);

    // Intact, alone: exit 0, every tenant walked, progress on stderr.
    const alone = await verify();
    expect(alone.code).toBe(0);
    expect(alone.json.ok).toBe(true);
    const demoVerdict = alone.json.tenants.find((t) => t.tenantId === demo.tenantId)!;
    expect(demoVerdict.rows).toBeGreaterThan(20);
    expect(demoVerdict).toMatchObject({ head: demoVerdict.rows, firstBroken: null });
    expect(alone.stderr).toMatch(/verify \[/);

    // Sign the heads now and keep a copy elsewhere.
    const signed = await cliJson<{ tenants: Array<{ written: boolean }> }>(['audit', 'checkpoint']);
    expect(signed.tenants.every((t) => t.written)).toBe(true);
    const kept = join(env.dataDir, 'kept-checkpoints.jsonl');
    expect((await runCli(['audit', 'export-checkpoints', '--out', kept, '--data', env.dataDir], env)).code).toBe(0);
    const lines = readFileSync(kept, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string });
    expect(lines[0]!.kind).toBe('key');
    expect(lines.filter((l) => l.kind === 'checkpoint')).toHaveLength(2);

    // Intact, beside a running server (on the embedded store: through its admin socket).
    let server = await startServe(env);
    try {
      const beside = await verify(['--checkpoints', kept]);
      expect([beside.code, beside.json.ok]).toEqual([0, true]);
      expect(beside.json.tenants.find((t) => t.tenantId === demo.tenantId)!.checkpoints).toBe(2);
      const human = await runCli(['audit', 'verify', '--data', env.dataDir], env);
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/Audit log intact: \d+ tenant\(s\)/);
    } finally {
      await server.stop();
    }

    // Tamper: edit a row of the demo tenant; cut the solo tenant's tail, rewind its head, drop its stored checkpoints.
    let editedId = '';
    await asSuperuser(async (db) => {
      const row = await sql<{ id: string }>`update audit_log set action = 'customer.viewed' where tenant_id = ${demo.tenantId} and seq = 5 returning id`.execute(db);
      editedId = row.rows[0]!.id;
      const first = await sql<{ hash: string }>`select hash from audit_log where tenant_id = ${solo.tenantId} and seq = 1`.execute(db);
      await sql`delete from audit_log where tenant_id = ${solo.tenantId} and seq > 1`.execute(db);
      await sql`update audit_heads set seq = 1, hash = ${first.rows[0]!.hash} where tenant_id = ${solo.tenantId}`.execute(db);
      await sql`delete from audit_checkpoints where tenant_id = ${solo.tenantId}`.execute(db);
    });

    const broken = await verify();
    expect(broken.code).toBe(1);
    expect(broken.json.ok).toBe(false);
    expect(broken.json.tenants.find((t) => t.tenantId === demo.tenantId)!.firstBroken).toEqual({ seq: 5, id: editedId, problem: expect.stringMatching(/edited/) });
    // The rewound tail is consistent with itself: only the copy kept elsewhere shows it.
    expect(broken.json.tenants.find((t) => t.tenantId === solo.tenantId)!.firstBroken).toBeNull();
    const withKept = await verify(['--checkpoints', kept, '--tenant', solo.tenantId]);
    expect(withKept.code).toBe(1);
    expect(withKept.json.tenants).toEqual([expect.objectContaining({ tenantId: solo.tenantId, firstBroken: { seq: 2, id: null, problem: expect.stringMatching(/truncated tail: the exported checkpoint/) } })]);

    server = await startServe(env);
    try {
      const beside = await verify(['--checkpoints', kept]);
      expect(beside.code).toBe(1);
      expect(beside.json.tenants.find((t) => t.tenantId === demo.tenantId)!.firstBroken).toMatchObject({ seq: 5, id: editedId });
      expect(beside.json.tenants.find((t) => t.tenantId === solo.tenantId)!.firstBroken).toMatchObject({ seq: 2, id: null });
      const human = await runCli(['audit', 'verify', '--data', env.dataDir], env);
      expect(human.code).toBe(1);
      expect(human.stdout).toContain(`BROKEN at seq 5 (row ${editedId}): the row does not match its hash (an edited row)`);
    } finally {
      await server.stop();
    }
  }, 300_000); // a dozen spawned commands and two server starts on a shared machine

  it('explains a checkpoints file it cannot read', async () => {
    const res = await runCli(['audit', 'verify', '--checkpoints', join(env.dataDir, 'missing.jsonl'), '--data', env.dataDir], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/fairdesk: .*missing\.jsonl/);
  });
});
