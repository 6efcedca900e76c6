import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../../src/app/create-tenant.ts';
import { withTenant } from '../../src/db/with-tenant.ts';
import { newId } from '../../src/db/ids.ts';
import { openTestStore } from '../support/store.ts';

let store: Awaited<ReturnType<typeof openTestStore>>;
beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => store?.dispose());

describe('concurrent transactions on one store', () => {
  it('20 concurrent tenant transactions each see only their own rows and every insert counts', async () => {
    const tenants = await Promise.all(Array.from({ length: 20 }, (_, i) => createTenant(store.db, { name: `Concurrent ${i}`, actor: 'test' })));
    const results = await Promise.all(
      tenants.map(({ tenant }) =>
        withTenant(store.db, tenant.id, async (tx) => {
          const inserted = await tx
            .insertInto('customers')
            .values([1, 2, 3].map((n) => ({ tenant_id: tenant.id, id: newId(), name: `${tenant.id}-${n}`, attributes: '{}' })))
            .executeTakeFirst();
          await new Promise((r) => setTimeout(r, Math.random() * 5));
          const seen = (await sql<{ name: string }>`select name from customers`.execute(tx)).rows;
          return { tenant: tenant.id, inserted: Number(inserted.numInsertedOrUpdatedRows), seen: seen.map((r) => r.name) };
        }),
      ),
    );
    for (const r of results) {
      expect(r.inserted).toBe(3);
      expect(r.seen.sort()).toEqual([1, 2, 3].map((n) => `${r.tenant}-${n}`));
    }
  });

  it('a failed transaction rolls back whole and does not disturb the next', async () => {
    const { tenant } = await createTenant(store.db, { name: 'Rollback', actor: 'test' });
    const failing = withTenant(store.db, tenant.id, async (tx) => {
      await tx.insertInto('customers').values({ tenant_id: tenant.id, id: newId(), name: 'never', attributes: '{}' }).execute();
      throw new Error('boom');
    });
    const other = withTenant(store.db, tenant.id, (tx) => tx.selectFrom('customers').select('name').execute());
    await expect(failing).rejects.toThrow('boom');
    expect(await other).toEqual([]);
    expect(await withTenant(store.db, tenant.id, (tx) => tx.selectFrom('customers').select('name').execute())).toEqual([]);
  });
});
