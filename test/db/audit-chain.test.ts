import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { exportAuditCheckpoints, writeAuditCheckpoints, type ExportedLine } from '../../src/app/audit-checkpoints.ts';
import { loadAuditSigningKey, type AuditSigningKey } from '../../src/app/audit-signing-key.ts';
import { createCustomer } from '../../src/app/create-customer.ts';
import { createTenant } from '../../src/app/create-tenant.ts';
import { verifyAuditLog, type TenantAuditVerdict } from '../../src/app/verify-audit-log.ts';
import { chainHash, type AuditRowContent } from '../../src/domain/audit-chain.ts';
import { newId } from '../../src/db/ids.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { migrations } from '../../src/db/migrations/index.ts';
import type { DB } from '../../src/db/schema.ts';
import { secureSchema } from '../../src/db/security.ts';
import { openStore } from '../../src/db/store.ts';
import { withTenant } from '../../src/db/with-tenant.ts';
import { withDatabase } from '../support/global-setup.ts';
import { onPostgres, openTestStore } from '../support/store.ts';

let store: Awaited<ReturnType<typeof openTestStore>>;
let key: AuditSigningKey;
beforeAll(async () => {
  store = await openTestStore();
  key = loadAuditSigningKey({ dataDir: store.dataDir, env: {}, create: true })!;
});
afterAll(async () => store?.dispose());

/** A tenant with `customers` customers made through the real use-case: 2 + customers audit rows. */
async function tenantWithHistory(customers = 6): Promise<string> {
  const { tenant } = await createTenant(store.db, { name: `Audit ${newId().slice(-8)}`, actor: 'test' });
  for (let i = 0; i < customers; i++) {
    await createCustomer({ db: store.db, tenantId: tenant.id, actor: 'token:test' }, { name: `Customer ${i}`, emails: [`c${i}@example.com`], phones: [], attributes: {} });
  }
  return tenant.id;
}

async function verdictOf(tenantId: string, exported?: ExportedLine[]): Promise<TenantAuditVerdict> {
  const report = await verifyAuditLog(store.db, { tenantIds: [tenantId], trustedKeys: [key], ...(exported ? { exported } : {}) });
  expect(report.tenants).toHaveLength(1);
  expect(report.ok).toBe(report.tenants[0]!.firstBroken === null);
  return report.tenants[0]!;
}

/** The superuser's view of a row (the attacker with the database). */
async function rowAt(tenantId: string, seq: number): Promise<{ id: string; hash: string }> {
  const { rows } = await sql<{ id: string; hash: string }>`select id, hash from audit_log where tenant_id = ${tenantId} and seq = ${seq}`.execute(store.db);
  return rows[0]!;
}

const superuser = (query: ReturnType<typeof sql>) => query.execute(store.db);

describe(`the audit chain on a store (${onPostgres ? 'PostgreSQL' : 'embedded'})`, () => {
  it('chains every write of the real use-cases, gap-free from seq 1, and verifies', async () => {
    const tenantId = await tenantWithHistory(4);
    const { rows } = await sql<{ seq: number; action: string }>`select seq, action from audit_log where tenant_id = ${tenantId} order by seq`.execute(store.db);
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rows.map((r) => r.action)).toEqual(['api_token.issued', 'tenant.created', 'customer.created', 'customer.created', 'customer.created', 'customer.created']);
    expect(await verdictOf(tenantId)).toMatchObject({ rows: 6, head: 6, firstBroken: null });
  });

  it('signs checkpoints only when the head moved, and checks them', async () => {
    const tenantId = await tenantWithHistory(2);
    expect(await writeAuditCheckpoints(store.db, key, { tenantIds: [tenantId] })).toEqual([{ tenantId, seq: 4, written: true }]);
    expect(await writeAuditCheckpoints(store.db, key, { tenantIds: [tenantId] })).toEqual([{ tenantId, seq: 4, written: false }]);
    await createCustomer({ db: store.db, tenantId, actor: 'test' }, { name: 'One more', emails: [], phones: [], attributes: {} });
    expect(await writeAuditCheckpoints(store.db, key, { tenantIds: [tenantId] })).toEqual([{ tenantId, seq: 5, written: true }]);
    expect(await verdictOf(tenantId)).toMatchObject({ rows: 5, checkpoints: 2, firstBroken: null });
  });

  describe('tampering by the database superuser is named at the first broken link', () => {
    it('an edited row (any field)', async () => {
      for (const [column, value] of [['action', 'customer.deleted'], ['actor', 'someone-else'], ['entity_id', 'x'], ['fields', '{}'], ['at', null]] as const) {
        const tenantId = await tenantWithHistory(3);
        const target = await rowAt(tenantId, 3);
        if (column === 'at') await superuser(sql`update audit_log set at = at + interval '1 microsecond' where tenant_id = ${tenantId} and seq = 3`);
        else await superuser(sql`update audit_log set ${sql.ref(column)} = ${value} where tenant_id = ${tenantId} and seq = 3`);
        expect([column, (await verdictOf(tenantId)).firstBroken]).toEqual([column, { seq: 3, id: target.id, problem: expect.stringMatching(/edited/) }]);
      }
    });

    it('a deleted row (a gap)', async () => {
      const tenantId = await tenantWithHistory(4);
      const next = await rowAt(tenantId, 4);
      await superuser(sql`delete from audit_log where tenant_id = ${tenantId} and seq = 3`);
      expect((await verdictOf(tenantId)).firstBroken).toEqual({ seq: 3, id: next.id, problem: expect.stringMatching(/seq 3 is missing/) });
    });

    it('a truncated tail, with the head still ahead', async () => {
      const tenantId = await tenantWithHistory(4);
      await superuser(sql`delete from audit_log where tenant_id = ${tenantId} and seq > 4`);
      expect((await verdictOf(tenantId)).firstBroken).toEqual({ seq: 5, id: null, problem: expect.stringMatching(/truncated tail: the head is at seq 6/) });
    });

    it('a truncated tail with the head rewound: caught by a stored checkpoint, or else by an exported one', async () => {
      const tenantId = await tenantWithHistory(4);
      await writeAuditCheckpoints(store.db, key, { tenantIds: [tenantId] });
      const exported = await exportAuditCheckpoints(store.db, key, { tenantIds: [tenantId] });
      const four = await rowAt(tenantId, 4);
      await superuser(sql`delete from audit_log where tenant_id = ${tenantId} and seq > 4`);
      await superuser(sql`update audit_heads set seq = 4, hash = ${four.hash} where tenant_id = ${tenantId}`);
      expect((await verdictOf(tenantId)).firstBroken).toEqual({ seq: 5, id: null, problem: expect.stringMatching(/truncated tail: the stored checkpoint .* covers seq 6/) });

      // The attacker removes the stored checkpoints too: only the copy kept elsewhere still knows.
      await superuser(sql`delete from audit_checkpoints where tenant_id = ${tenantId}`);
      expect((await verdictOf(tenantId)).firstBroken).toBeNull();
      expect((await verdictOf(tenantId, exported)).firstBroken).toEqual({ seq: 5, id: null, problem: expect.stringMatching(/truncated tail: the exported checkpoint .* covers seq 6/) });
    });

    it('two rows reordered (their seq swapped)', async () => {
      const tenantId = await tenantWithHistory(3);
      const three = await rowAt(tenantId, 3);
      await superuser(sql`update audit_log set seq = -2 where tenant_id = ${tenantId} and seq = 2`);
      await superuser(sql`update audit_log set seq = 2 where tenant_id = ${tenantId} and seq = 3`);
      await superuser(sql`update audit_log set seq = 3 where tenant_id = ${tenantId} and seq = -2`);
      expect((await verdictOf(tenantId)).firstBroken).toEqual({ seq: 2, id: three.id, problem: expect.stringMatching(/prev_hash/) });
    });

    it('a row deleted and reinserted at the end', async () => {
      const tenantId = await tenantWithHistory(3);
      const three = await rowAt(tenantId, 3);
      await superuser(sql`update audit_log set seq = 6 where tenant_id = ${tenantId} and seq = 2`);
      await superuser(sql`update audit_heads set seq = 6 where tenant_id = ${tenantId}`);
      expect((await verdictOf(tenantId)).firstBroken).toEqual({ seq: 2, id: three.id, problem: expect.stringMatching(/seq 2 is missing/) });
    });

    it('a row appended without the head', async () => {
      const tenantId = await tenantWithHistory(1);
      const last = await rowAt(tenantId, 3);
      await superuser(sql`insert into audit_log (tenant_id, id, at, actor, action, entity_type, entity_id, fields, seq, prev_hash, hash)
        values (${tenantId}, ${newId()}, now(), 'x', 'x', 'x', 'x', '{}', 4, ${last.hash}, 'x')`);
      expect((await verdictOf(tenantId)).firstBroken).toEqual({ seq: 4, id: null, problem: expect.stringMatching(/beyond the head/) });
    });

    it('a rewritten chain (every hash recomputed, head moved) is caught by a checkpoint', async () => {
      const tenantId = await tenantWithHistory(4);
      await writeAuditCheckpoints(store.db, key, { tenantIds: [tenantId] });
      const exported = await exportAuditCheckpoints(store.db, key, { tenantIds: [tenantId] });
      await rewriteFrom(tenantId, 3, (row) => ({ ...row, action: row.seq === 3 ? 'customer.viewed' : row.action }));
      const six = await rowAt(tenantId, 6);
      expect((await verdictOf(tenantId)).firstBroken).toEqual({ seq: 6, id: six.id, problem: expect.stringMatching(/differs from the stored checkpoint/) });
      await superuser(sql`delete from audit_checkpoints where tenant_id = ${tenantId}`);
      expect((await verdictOf(tenantId)).firstBroken).toBeNull();
      expect((await verdictOf(tenantId, exported)).firstBroken).toEqual({ seq: 6, id: six.id, problem: expect.stringMatching(/differs from the exported checkpoint/) });
    });

    it('a forged stored checkpoint (its signature no longer holds)', async () => {
      const tenantId = await tenantWithHistory(2);
      await writeAuditCheckpoints(store.db, key, { tenantIds: [tenantId] });
      await superuser(sql`update audit_checkpoints set hash = ${'0'.repeat(64)} where tenant_id = ${tenantId}`);
      expect((await verdictOf(tenantId)).firstBroken).toEqual({ seq: 4, id: null, problem: expect.stringMatching(/invalid signature/) });
    });

    it('a checkpoint signed by a key nobody trusts', async () => {
      const tenantId = await tenantWithHistory(1);
      const other = loadAuditSigningKey({ dataDir: mkdtempSync(join(tmpdir(), 'fairdesk-key-')), env: {}, create: true })!;
      await writeAuditCheckpoints(store.db, other, { tenantIds: [tenantId] });
      expect((await verdictOf(tenantId)).firstBroken).toEqual({ seq: 3, id: null, problem: expect.stringMatching(/not known here/) });
      // With the other key's export given, it is trusted and holds.
      expect((await verdictOf(tenantId, await exportAuditCheckpoints(store.db, other, { tenantIds: [tenantId] }))).firstBroken).toBeNull();
    });
  });

  it('keeps one tenant gap-free under concurrent writers, including racing first writers', async () => {
    const tenantId = newId();
    // A tenant with no audit row yet, so the writers also race to create its head.
    await superuser(sql`insert into tenants (id, slug, name) values (${tenantId}, ${`race-${tenantId.slice(-8)}`}, 'Race')`);
    await Promise.all(
      Array.from({ length: 24 }, (_, i) => createCustomer({ db: store.db, tenantId, actor: 'test' }, { name: `Racer ${i}`, emails: [], phones: [], attributes: {} })),
    );
    const { rows } = await sql<{ seq: number }>`select seq from audit_log where tenant_id = ${tenantId} order by seq`.execute(store.db);
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(await verdictOf(tenantId)).toMatchObject({ rows: 24, head: 24, firstBroken: null });
  });

  describe('append-only for the application role', () => {
    it('runs as NOSUPERUSER NOBYPASSRLS and may not UPDATE, DELETE or TRUNCATE audit rows or checkpoints', async () => {
      const tenantId = await tenantWithHistory(1);
      await writeAuditCheckpoints(store.db, key, { tenantIds: [tenantId] });
      const role = await withTenant(store.db, tenantId, async (tx) =>
        (await sql<{ user: string; super: boolean; bypass: boolean }>`select current_user as user, rolsuper as super, rolbypassrls as bypass from pg_roles where rolname = current_user`.execute(tx)).rows[0],
      );
      expect(role).toEqual({ user: 'fairdesk_app', super: false, bypass: false });
      for (const statement of [
        sql`update audit_log set action = 'x' where tenant_id = ${tenantId}`,
        sql`delete from audit_log where tenant_id = ${tenantId}`,
        sql`truncate audit_log`,
        sql`update audit_checkpoints set hash = 'x' where tenant_id = ${tenantId}`,
        sql`delete from audit_checkpoints where tenant_id = ${tenantId}`,
      ]) {
        await expect(withTenant(store.db, tenantId, (tx) => statement.execute(tx))).rejects.toThrow(/permission denied/);
      }
      // It can still read and append (the head moves with every write).
      expect((await verdictOf(tenantId)).firstBroken).toBeNull();
    });

    it('takes back UPDATE and DELETE granted behind its back, on the next start', async () => {
      const tenantId = await tenantWithHistory(1);
      await superuser(sql.raw('grant update, delete on audit_log to fairdesk_app'));
      await secureSchema(store.db as Kysely<unknown>);
      await expect(withTenant(store.db, tenantId, (tx) => sql`delete from audit_log where tenant_id = ${tenantId}`.execute(tx))).rejects.toThrow(/permission denied/);
    });
  });
});

describe('migration 0003 on a store that already has audit rows', () => {
  it('chains the existing rows per tenant in id order, and writing continues the chain', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fairdesk-m-'));
    const pgTemplate = inject('pgTemplate');
    const dbName = pgTemplate ? `${pgTemplate.prefix}_m${process.pid}` : null;
    if (pgTemplate && dbName) await adminQuery(pgTemplate.adminUrl, `create database ${dbName}`);
    const old = await openStore({ dataDir, databaseUrl: pgTemplate && dbName ? withDatabase(pgTemplate.adminUrl, dbName) : undefined, migrate: false });
    try {
      const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0003'));
      const { error } = await new Migrator({ db: old.db, provider: { getMigrations: async () => before } }).migrateToLatest();
      expect(error).toBeUndefined();
      const tenants = [newId(), newId()];
      for (const [i, id] of tenants.entries()) {
        await sql`insert into tenants (id, slug, name) values (${id}, ${`old-${i}`}, 'Old')`.execute(old.db);
        // Written the old way: `at` from now() with microseconds.
        for (let n = 0; n < 5; n++) {
          await sql`insert into audit_log (tenant_id, id, actor, action, entity_type, entity_id, fields) values (${id}, ${newId()}, 'cli', 'customer.created', 'customer', ${`c${n}`}, ${['name']})`.execute(old.db);
        }
      }
      await migrateToLatest(old.db as Kysely<unknown>);
      const db = old.db as Kysely<DB>;
      const report = await verifyAuditLog(db, { tenantIds: tenants, trustedKeys: [] });
      expect(report.tenants.map((t) => [t.rows, t.head, t.firstBroken])).toEqual([
        [5, 5, null],
        [5, 5, null],
      ]);
      await createCustomer({ db, tenantId: tenants[0]!, actor: 'test' }, { name: 'After', emails: [], phones: [], attributes: {} });
      expect((await verifyAuditLog(db, { tenantIds: [tenants[0]!], trustedKeys: [] })).tenants[0]).toMatchObject({ rows: 6, head: 6, firstBroken: null });
    } finally {
      await old.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (pgTemplate && dbName) await adminQuery(pgTemplate.adminUrl, `drop database if exists ${dbName} with (force)`);
    }
  });
});

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Rewrites a tenant's chain from `from` on with recomputed hashes and head, as a thorough attacker would. */
async function rewriteFrom(tenantId: string, from: number, change: (row: AuditRowContent) => AuditRowContent): Promise<void> {
  const { rows } = await sql<{ seq: number; id: string; at: string; actor: string; action: string; entity_type: string; entity_id: string; fields: string[]; prev_hash: string }>`
    select seq, id, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, actor, action, entity_type, entity_id, fields, prev_hash
    from audit_log where tenant_id = ${tenantId} and seq >= ${from} order by seq`.execute(store.db);
  let prev = rows[0]!.prev_hash;
  for (const r of rows) {
    const row = change({ tenantId, seq: Number(r.seq), id: r.id, at: r.at, actor: r.actor, action: r.action, entityType: r.entity_type, entityId: r.entity_id, fields: r.fields });
    const hash = chainHash(prev, row);
    await superuser(sql`update audit_log set action = ${row.action}, prev_hash = ${prev}, hash = ${hash} where tenant_id = ${tenantId} and seq = ${row.seq}`);
    prev = hash;
  }
  await superuser(sql`update audit_heads set hash = ${prev} where tenant_id = ${tenantId}`);
}
