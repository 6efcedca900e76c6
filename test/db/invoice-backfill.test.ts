/**
 * Migration 0011 gives every charge already in the ledger an invoice (numbered per tenant in the order
 * the money moved) and links refunds to the invoice they give money back on; numbering then continues
 * without a gap.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { issueInvoice } from '../../src/app/billing-ledger.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { migrations } from '../../src/db/migrations/index.ts';
import { openStore, type Store } from '../../src/db/store.ts';
import { withTenant } from '../../src/db/with-tenant.ts';
import { withDatabase } from '../support/global-setup.ts';
import { onPostgres } from '../support/store.ts';

let store: Store;
let dispose: () => Promise<void>;

beforeAll(async () => {
  // An empty store (not the migrated template), brought only up to the migration before 0011.
  const dataDir = mkdtempSync(join(tmpdir(), 'fairdesk-backfill-'));
  const pgTemplate = inject('pgTemplate');
  let databaseUrl: string | undefined;
  let dropDatabase = async () => {};
  if (pgTemplate) {
    const name = `${pgTemplate.prefix}_backfill_${process.pid}`;
    const admin = new pg.Client({ connectionString: pgTemplate.adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
    await admin.end();
    databaseUrl = withDatabase(pgTemplate.adminUrl, name);
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: pgTemplate.adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  store = await openStore({ dataDir, databaseUrl, migrate: false });
  dispose = async () => {
    await store.close();
    await dropDatabase();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const migrator = new Migrator({ db: store.db as Kysely<unknown>, provider: { getMigrations: async () => migrations } });
  const { error } = await migrator.migrateTo('0010-notices');
  if (error) throw error;
}, 120_000);
afterAll(async () => dispose?.());

const T1 = '01900000-0000-7000-8000-000000000001';
const T2 = '01900000-0000-7000-8000-000000000002';
const id = (tenant: number, n: number) => `01900000-0000-7000-8000-${String(tenant).padStart(4, '0')}${String(n).padStart(8, '0')}`;

async function seedTenant(tenant: string, t: number): Promise<{ sub: string; other: string; customer: string }> {
  const customer = id(t, 1);
  const product = id(t, 2);
  const plan = id(t, 3);
  const sub = id(t, 4);
  const other = id(t, 5);
  await sql`insert into tenants (id, slug, name) values (${tenant}, ${`t${t}`}, ${`Tenant ${t}`})`.execute(store.db);
  await sql`insert into customers (tenant_id, id, name) values (${tenant}, ${customer}, 'Old Customer')`.execute(store.db);
  await sql`insert into products (tenant_id, id, name) values (${tenant}, ${product}, 'Fax Line')`.execute(store.db);
  await sql`insert into plans (tenant_id, id, product_id, name, price_minor, currency, interval) values (${tenant}, ${plan}, ${product}, 'Pro', 1999, 'EUR', 'month')`.execute(store.db);
  for (const [s, ref] of [
    [sub, `R${t}A`],
    [other, `R${t}B`],
  ] as const) {
    await sql`insert into subscriptions (tenant_id, id, customer_id, plan_id, status, current_period_start, current_period_end, price_history, started_at, reference)
      values (${tenant}, ${s}, ${customer}, ${plan}, 'active', '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z', '[{"priceMinor":1999,"from":"2026-01-01T00:00:00Z"}]', '2026-01-01T00:00:00Z', ${ref})`.execute(store.db);
  }
  return { sub, other, customer };
}

async function charge(tenant: string, chargeId: string, v: { sub: string; customer: string; kind: 'charge' | 'refund'; amount: number; start: string | null; at: string; external: string }) {
  await sql`insert into charges (tenant_id, id, subscription_id, customer_id, kind, amount_minor, currency, period_start, period_end, at, external_id)
    values (${tenant}, ${chargeId}, ${v.sub}, ${v.customer}, ${v.kind}, ${v.amount}, 'EUR', ${v.start}, ${v.start ? new Date(new Date(v.start).getTime() + 30 * 86_400_000).toISOString() : null}, ${v.at}, ${v.external})`.execute(store.db);
}

describe(`migration 0011 backfills invoices (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('gives every existing charge an invoice, numbered per tenant in time order, links refunds, and numbering continues', async () => {
    const one = await seedTenant(T1, 1);
    const two = await seedTenant(T2, 2);
    // Tenant 1: February and March renewals (inserted out of order), a refund of the March charge,
    // a cancellation refund of February's period, and a refund on a subscription never charged here.
    await charge(T1, id(1, 20), { ...one, kind: 'charge', amount: 1999, start: '2026-03-01T00:00:00Z', at: '2026-03-01T00:00:00Z', external: 'renewal:march' });
    await charge(T1, id(1, 10), { ...one, kind: 'charge', amount: 1799, start: '2026-02-01T00:00:00Z', at: '2026-02-01T00:00:00Z', external: 'renewal:february' });
    await charge(T1, id(1, 30), { ...one, kind: 'refund', amount: 1999, start: '2026-03-01T00:00:00Z', at: '2026-03-02T00:00:00Z', external: `refund-of:${id(1, 20)}` });
    await charge(T1, id(1, 31), { ...one, kind: 'refund', amount: 500, start: '2026-02-10T00:00:00Z', at: '2026-02-10T00:00:00Z', external: 'cancellation-refund:x' });
    await charge(T1, id(1, 32), { sub: one.other, customer: one.customer, kind: 'refund', amount: 100, start: null, at: '2026-02-11T00:00:00Z', external: 'cancellation-refund:y' });
    // Tenant 2: one charge, numbered from 1 in its own sequence.
    await charge(T2, id(2, 10), { ...two, kind: 'charge', amount: 1999, start: '2026-01-15T00:00:00Z', at: '2026-01-15T00:00:00Z', external: 'renewal:t2' });

    await migrateToLatest(store.db as Kysely<unknown>);

    const charges = await store.db.selectFrom('charges').select(['id', 'tenant_id', 'kind', 'invoice_id']).orderBy('id').execute();
    const invoices = await store.db.selectFrom('invoices').selectAll().orderBy('tenant_id').orderBy('number').execute();
    const invoiceOf = (chargeId: string) => charges.find((c) => c.id === chargeId)!.invoice_id;
    expect(charges.filter((c) => c.kind === 'charge' && !c.invoice_id)).toEqual([]);
    expect(invoices.map((i) => [i.tenant_id, Number(i.number), i.external_id, Number(i.total_minor), Number(i.credit_applied_minor)])).toEqual([
      [T1, 1, 'renewal:february', 1799, 0],
      [T1, 2, 'renewal:march', 1999, 0],
      [T2, 1, 'renewal:t2', 1999, 0],
    ]);
    expect(invoiceOf(id(1, 10))).toBe(invoices[0]!.id);
    expect(invoiceOf(id(1, 20))).toBe(invoices[1]!.id);
    expect(invoiceOf(id(1, 30))).toBe(invoices[1]!.id); // refund-of the March charge
    expect(invoiceOf(id(1, 31))).toBe(invoices[0]!.id); // February's period
    expect(invoiceOf(id(1, 32))).toBeNull(); // nothing of that subscription was ever invoiced
    const lines = await store.db.selectFrom('invoice_lines').selectAll().where('tenant_id', '=', T1).orderBy('amount_minor').execute();
    expect(lines.map((l) => [l.kind, l.description, Number(l.amount_minor), l.position])).toEqual([
      ['plan', 'Pro', 1799, 1],
      ['plan', 'Pro', 1999, 1],
    ]);

    // From now on a charge without an invoice is refused by the database.
    await expect(
      charge(T1, id(1, 40), { ...one, kind: 'charge', amount: 1, start: null, at: '2026-04-01T00:00:00Z', external: 'manual:no-invoice' }),
    ).rejects.toThrow(/charges_charge_has_invoice/);

    // The next invoice of tenant 1 is number 3; tenant 2's is 2.
    const next = async (tenant: string, sub: string, customer: string, key: string) =>
      withTenant(store.db, tenant, (tx) =>
        issueInvoice(tx, { tenantId: tenant, subscriptionId: sub, customerId: customer, amountMinor: 1999, currency: 'EUR', periodStart: null, periodEnd: null, at: new Date(), externalId: key, description: 'Pro' }),
      );
    expect(Number((await next(T1, one.sub, one.customer, 'renewal:april')).number)).toBe(3);
    expect(Number((await next(T2, two.sub, two.customer, 'renewal:t2-next')).number)).toBe(2);
  });
});
