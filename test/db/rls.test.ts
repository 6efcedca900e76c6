import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../../src/app/create-tenant.ts';
import { createCustomer } from '../../src/app/create-customer.ts';
import { withTenant } from '../../src/db/with-tenant.ts';
import { newId } from '../../src/db/ids.ts';
import { openTestStore } from '../support/store.ts';

let store: Awaited<ReturnType<typeof openTestStore>>;
let a: string;
let b: string;
beforeAll(async () => {
  store = await openTestStore();
  a = (await createTenant(store.db, { name: 'RLS A', actor: 'test' })).tenant.id;
  b = (await createTenant(store.db, { name: 'RLS B', actor: 'test' })).tenant.id;
  await createCustomer({ db: store.db, tenantId: a, actor: 'test' }, { name: 'Customer of A', emails: [], phones: [], attributes: {} });
  await createCustomer({ db: store.db, tenantId: b, actor: 'test' }, { name: 'Customer of B', emails: [], phones: [], attributes: {} });
});
afterAll(async () => store?.dispose());

describe('row-level security, with the application tenant filter bypassed', () => {
  it('runs as a role that is not a superuser and cannot bypass RLS', async () => {
    const who = await withTenant(store.db, a, async (tx) =>
      (
        await sql<{ user: string; super: boolean; bypass: boolean }>`
          select current_user as user, rolsuper as super, rolbypassrls as bypass from pg_roles where rolname = current_user`.execute(tx)
      ).rows[0],
    );
    expect(who).toEqual({ user: 'fairdesk_app', super: false, bypass: false });
  });

  it("hides B's rows from a query scoped to A that has no tenant filter of its own", async () => {
    const names = await withTenant(store.db, a, async (tx) => (await sql<{ name: string }>`select name from customers order by name`.execute(tx)).rows);
    expect(names).toEqual([{ name: 'Customer of A' }]);
    const audit = await withTenant(store.db, a, async (tx) => (await sql<{ tenant_id: string }>`select distinct tenant_id from audit_log`.execute(tx)).rows);
    expect(audit).toEqual([{ tenant_id: a }]);
  });

  it("refuses to write a row into B's lane from A's scope", async () => {
    await expect(
      withTenant(store.db, a, (tx) => tx.insertInto('customers').values({ tenant_id: b, id: newId(), name: 'Smuggled', attributes: '{}' }).execute()),
    ).rejects.toThrow(/row-level security/);
  });

  it("cannot update or delete B's rows from A's scope", async () => {
    const changed = await withTenant(store.db, a, async (tx) => (await sql`update customers set name = 'Hijacked' where tenant_id = ${b}`.execute(tx)).numAffectedRows);
    expect(Number(changed ?? 0)).toBe(0);
    const deleted = await withTenant(store.db, a, async (tx) => (await sql`delete from customers where tenant_id = ${b}`.execute(tx)).numAffectedRows);
    expect(Number(deleted ?? 0)).toBe(0);
    const still = await withTenant(store.db, b, async (tx) => (await sql<{ name: string }>`select name from customers`.execute(tx)).rows);
    expect(still).toEqual([{ name: 'Customer of B' }]);
  });

  it('sees nothing at all when no tenant is set', async () => {
    const rows = await store.db.transaction().execute(async (tx) => {
      await sql.raw('set local role fairdesk_app').execute(tx);
      return (await sql`select * from customers`.execute(tx)).rows;
    });
    expect(rows).toEqual([]);
  });
});
