import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { writeAuditCheckpoints } from '../../src/app/audit-checkpoints.ts';
import { loadAuditSigningKey } from '../../src/app/audit-signing-key.ts';
import { seedDemo } from '../../src/app/seed-demo.ts';
import { openStore, type Store } from '../../src/db/store.ts';
import { buildServer } from '../../src/http/server.ts';
import { runCli, startServe } from '../support/cli.ts';
import { withDatabase } from '../support/global-setup.ts';
import { onPostgres } from '../support/store.ts';

/**
 * Backup, restore and migrate-store always start from an embedded data folder, in both suite runs:
 * on the PostgreSQL run too, the source is a PGlite folder and the target a fresh database.
 */
const adminUrl = inject('pgTemplate')?.adminUrl ?? process.env.FAIRDESK_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let root: string;
let source: string;
let demo: { tenantId: string; token: string };
const embedded = () => ({ dataDir: source, databaseUrl: undefined });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'fairdesk-store-'));
  source = join(root, 'source');
  cpSync(inject('pgliteTemplate'), source, { recursive: true });
  // One demo seed for the whole file (the card-sales generator makes it the slow part).
  const store = await openStore({ dataDir: source });
  try {
    const seeded = await seedDemo(store.db);
    demo = { tenantId: seeded.tenantId, token: seeded.token };
    await writeAuditCheckpoints(store.db, loadAuditSigningKey({ dataDir: source, env: {}, create: true })!);
  } finally {
    await store.close();
  }
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe(`backup and restore of the embedded store (suite on ${onPostgres ? 'PostgreSQL' : 'the embedded store'})`, () => {
  it('backs up through a running server, restores into a new folder with matching counts, and refuses what it must', async () => {
    const file = join(root, 'demo.fdbackup');
    const server = await startServe(embedded());
    let manifest: { tables: Record<string, number>; files: Array<{ name: string }>; route: string; migration: string };
    try {
      // A write just before the backup must be in it.
      const made = await fetch(`${server.url}/api/v1/customers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${demo.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Written Before Backup' }),
      });
      expect(made.status).toBe(201);

      const res = await runCli(['backup', '--out', file, '--json', '--data', source], embedded());
      expect({ code: res.code, stderr: res.stderr }).toEqual({ code: 0, stderr: '' });
      manifest = JSON.parse(res.stdout);
      expect(manifest.route).toBe('admin-socket');
      expect(manifest.migration).toMatch(/^\d{4}-/);
      expect(manifest.tables.audit_log).toBeGreaterThan(20);
      expect(manifest.files.map((f) => f.name).sort()).toEqual(['audit-signing-key.pem', 'pgdata.tar.gz']);

      // Never into a folder a server holds, not even with --force.
      const held = await runCli(['restore', file, '--force', '--data', source], embedded());
      expect(held.code).toBe(1);
      expect(held.stderr).toMatch(/in use by process \d+/);
    } finally {
      await server.stop();
    }

    const restored = join(root, 'restored');
    const first = await runCli(['restore', file, '--json', '--data', restored], { dataDir: restored, databaseUrl: undefined });
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
    const result = JSON.parse(first.stdout) as { rows: number; auditKey: boolean };
    expect(result.rows).toBe(Object.values(manifest.tables).reduce((a, b) => a + b, 0));
    expect(result.auditKey).toBe(true);

    const again = await runCli(['restore', file, '--data', restored], { dataDir: restored, databaseUrl: undefined });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is not empty/);

    // The restored folder holds the last write, and its audit chain verifies against the restored key's checkpoints.
    const store = await openStore({ dataDir: restored });
    try {
      const names = await store.db.selectFrom('customers').select('name').where('tenant_id', '=', demo.tenantId).execute();
      expect(names.map((n) => n.name)).toContain('Written Before Backup');
    } finally {
      await store.close();
    }
    const verify = await runCli(['audit', 'verify', '--json', '--data', restored], { dataDir: restored, databaseUrl: undefined });
    expect(verify.code).toBe(0);
    const report = JSON.parse(verify.stdout) as { ok: boolean; tenants: Array<{ tenantId: string; checkpoints: number }> };
    expect(report.ok).toBe(true);
    expect(report.tenants.find((t) => t.tenantId === demo.tenantId)!.checkpoints).toBeGreaterThan(0);

    // A damaged file is refused before anything is written.
    const bytes = readFileSync(file);
    bytes[bytes.length - 4096] = bytes[bytes.length - 4096]! ^ 0xff;
    const damaged = join(root, 'damaged.fdbackup');
    writeFileSync(damaged, bytes);
    const elsewhere = join(root, 'from-damaged');
    const bad = await runCli(['restore', damaged, '--data', elsewhere], { dataDir: elsewhere, databaseUrl: undefined });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/sha256/);
    expect(existsSync(join(elsewhere, 'pg'))).toBe(false);

    // On PostgreSQL, backup says what to use instead.
    const onPg = await runCli(['backup', '--out', join(root, 'x'), '--data', join(root, 'pgdata')], { dataDir: join(root, 'pgdata'), databaseUrl: adminUrl });
    expect(onPg.code).toBe(1);
    expect(onPg.stderr).toMatch(/pg_dump/);
  }, 180_000);
});

describe('migrate-store: a demo data folder moved to PostgreSQL', () => {
  const database = `fdt_migrate_${process.pid}_${Date.now().toString(36)}`;
  const targetUrl = withDatabase(adminUrl, database);
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${database}`);
    await admin.end();
  });
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
  });

  it('copies every table, verifies counts and the audit chain, refuses a second copy, and serves the same API answers', async () => {
    const res = await runCli(['migrate-store', '--to', targetUrl, '--json', '--data', source], embedded());
    expect({ code: res.code, stderr: res.stderr.replace(/copy \[.*\n?/g, '').trim() }).toEqual({ code: 0, stderr: '' });
    const summary = JSON.parse(res.stdout) as { ok: boolean; rows: number; tables: Array<{ table: string; source: number; copied: number; target: number }>; audit: { ok: boolean } };
    expect(summary.ok).toBe(true);
    expect(summary.audit.ok).toBe(true);
    for (const t of summary.tables) expect(t, t.table).toMatchObject({ copied: t.source, target: t.source });
    const copied = new Map(summary.tables.map((t) => [t.table, t.copied]));
    for (const table of ['tenants', 'customers', 'conversations', 'messages', 'audit_log', 'audit_checkpoints', 'offers', 'subscriptions']) {
      expect(copied.get(table), table).toBeGreaterThan(0);
    }

    const twice = await runCli(['migrate-store', '--to', targetUrl, '--data', source], embedded());
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/already holds 1 tenant/);

    const stores: Store[] = [await openStore({ dataDir: source }), await openStore({ databaseUrl: targetUrl, dataDir: source })];
    const apps = await Promise.all(stores.map((store) => buildServer({ store, logger: false })));
    try {
      const get = async (url: string) =>
        Promise.all(
          apps.map(async (app) => {
            const r = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${demo.token}` } });
            // The one field that is the instant of answering, not stored data.
            return { status: r.statusCode, body: r.body.replace(/"checkedAt":"[^"]+"/, '"checkedAt":"(now)"') };
          }),
        );
      const customers = JSON.parse((await get('/api/v1/customers?limit=100'))[0]!.body) as { data: Array<{ id: string }> };
      expect(customers.data.length).toBeGreaterThan(10);
      // Fixed periods, so "the last 90 days" cannot move between the two answers.
      const period = `from=${new Date(Date.now() - 400 * 86_400_000).toISOString()}&to=${new Date(Date.now() + 86_400_000).toISOString()}`;
      const paths = [
        '/api/v1/customers?limit=100',
        '/api/v1/conversations?limit=100',
        '/api/v1/charter',
        '/api/v1/subscriptions?limit=100',
        '/api/v1/offers?limit=100',
        ...customers.data.slice(0, 6).flatMap((c) => [`/api/v1/customers/${c.id}`, `/api/v1/customers/${c.id}/entitlements`, `/api/v1/customers/${c.id}/spend`]),
        `/api/v1/reports/parity?${period}`,
        `/api/v1/reports/listening?${period}`,
        `/api/v1/reports/incentives?${period}`,
        `/api/v1/reports/cancellations?${period}`,
        '/api/v1/audit?limit=50',
        '/api/v1/audit/verify',
      ];
      for (const path of paths) {
        const [embeddedAnswer, postgresAnswer] = await get(path);
        expect(embeddedAnswer!.status, path).toBe(200);
        expect(postgresAnswer, path).toEqual(embeddedAnswer);
      }
    } finally {
      await Promise.all(apps.map((app) => app.close()));
      await Promise.all(stores.map((store) => store.close()));
    }
  }, 180_000);
});

describe('fairdesk export conversations', () => {
  it('writes the demo tenant\'s conversations as JSON Lines with their messages, filtered by status', async () => {
    const out = join(root, 'conversations.jsonl');
    const res = await runCli(['export', 'conversations', '--tenant', 'demo', '--out', out, '--json', '--data', source], embedded());
    expect({ code: res.code, stderr: res.stderr.replace(/export \[.*\n?/g, '').trim() }).toEqual({ code: 0, stderr: '' });
    const result = JSON.parse(res.stdout) as { conversations: number; messages: number };
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { status: string; messages: unknown[] });
    expect(lines).toHaveLength(result.conversations);
    expect(result.conversations).toBeGreaterThanOrEqual(12);
    expect(lines.reduce((n, l) => n + l.messages.length, 0)).toBe(result.messages);

    const open = await runCli(['export', 'conversations', '--tenant', 'demo', '--status', 'open', '--out', out, '--json', '--data', source], embedded());
    const openLines = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { status: string });
    expect(JSON.parse(open.stdout).conversations).toBe(openLines.length);
    expect(openLines.length).toBeLessThan(lines.length);
    expect(new Set(openLines.map((l) => l.status))).toEqual(new Set(['open']));

    const bad = await runCli(['export', 'conversations', '--tenant', 'demo', '--status', 'lost', '--out', out, '--data', source], embedded());
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--status: must be/);
  }, 60_000);
});
