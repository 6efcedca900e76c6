import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ROLE, GLOBAL_TABLES, WORKER_ROLE } from '../../src/db/tables.ts';
import { openTestStore } from '../support/store.ts';

let store: Awaited<ReturnType<typeof openTestStore>>;
beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => store?.dispose());

async function tenantTables(): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(store.db);
  const globals = new Set<string>(GLOBAL_TABLES);
  return rows.map((r) => r.table_name).filter((t) => !globals.has(t)).sort();
}

describe('the schema keeps every tenant in its own lane', () => {
  it('has tenant tables (the test is not vacuous)', async () => {
    expect(await tenantTables()).toEqual(expect.arrayContaining(['customers', 'conversations', 'messages', 'audit_log', 'outbox']));
  });

  it('leads every tenant table primary key with tenant_id', async () => {
    const { rows } = await sql<{ table: string; first: string }>`
      select c.conrelid::regclass::text as table, a.attname as first
      from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
      where c.contype = 'p' and c.connamespace = 'public'::regnamespace`.execute(store.db);
    const firstColumn = new Map(rows.map((r) => [r.table, r.first]));
    for (const table of await tenantTables()) expect([table, firstColumn.get(table)]).toEqual([table, 'tenant_id']);
  });

  it('leads every unique index of tenant data with tenant_id', async () => {
    const { rows } = await sql<{ table: string; index: string; def: string }>`
      select t.relname as table, i.relname as index, pg_get_indexdef(i.oid) as def
      from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
      where x.indisunique and t.relnamespace = 'public'::regnamespace`.execute(store.db);
    const tables = new Set(await tenantTables());
    const tenantIndexes = rows.filter((r) => tables.has(r.table));
    expect(tenantIndexes.length).toBeGreaterThan(3);
    for (const r of tenantIndexes) expect([r.index, r.def]).toEqual([r.index, expect.stringMatching(/USING btree \(tenant_id[,)]/)]);
  });

  it('ENABLEs and FORCEs row-level security with a tenant policy on every tenant table', async () => {
    const { rows } = await sql<{ relname: string; enabled: boolean; forced: boolean; policies: number }>`
      select c.relname, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
             (select count(*)::int from pg_policies p where p.tablename = c.relname and p.policyname = c.relname || '_tenant_isolation') as policies
      from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'`.execute(store.db);
    const byName = new Map(rows.map((r) => [r.relname, r]));
    for (const table of await tenantTables()) {
      expect({ table, ...byName.get(table) }).toMatchObject({ table, enabled: true, forced: true, policies: 1 });
    }
  });

  it('runs tenant work as roles that are neither superuser nor able to bypass RLS', async () => {
    const { rows } = await sql<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean }>`
      select rolname, rolsuper, rolbypassrls from pg_roles where rolname in (${APP_ROLE}, ${WORKER_ROLE}) order by rolname`.execute(store.db);
    expect(rows).toEqual([
      { rolname: APP_ROLE, rolsuper: false, rolbypassrls: false },
      { rolname: WORKER_ROLE, rolsuper: false, rolbypassrls: false },
    ]);
  });
});
