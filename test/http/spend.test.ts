import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer, startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
let customerId: string;
beforeAll(async () => {
  t = await startTestApp();
  customerId = await makeCustomer(t, t.a, { customerSince: '2021-04-01' });
});
afterAll(async () => t?.close());

const entry = (externalId: string, amountMinor = 4999) => ({ amountMinor, currency: 'EUR', at: '2026-10-01T10:00:00Z', source: 'billing', externalId });

describe('spend entries', () => {
  it('records an entry and lists it', async () => {
    const res = await t.call('POST', `/api/v1/customers/${customerId}/spend`, { body: entry('inv-1') });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ amountMinor: 4999, currency: 'EUR', externalId: 'inv-1', at: '2026-10-01T10:00:00.000Z' });
    const list = await t.call('GET', `/api/v1/customers/${customerId}/spend`);
    expect(list.json.data.map((e: { externalId: string }) => e.externalId)).toEqual(['inv-1']);
    expect((await t.call('GET', `/api/v1/customers/${customerId}`)).json.customerSince).toBe('2021-04-01');
  });

  it('is idempotent on externalId: the same entry again is 200 and counted once', async () => {
    const first = await t.call('POST', `/api/v1/customers/${customerId}/spend`, { body: entry('inv-2') });
    const again = await t.call('POST', `/api/v1/customers/${customerId}/spend`, { body: entry('inv-2') });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.json.id).toBe(first.json.id);
    const rows = await t.store.db.selectFrom('spend_entries').select('id').where('external_id', '=', 'inv-2').execute();
    expect(rows).toHaveLength(1);
  });

  it('refuses the same externalId with different figures (409 naming the field)', async () => {
    await t.call('POST', `/api/v1/customers/${customerId}/spend`, { body: entry('inv-3') });
    const res = await t.call('POST', `/api/v1/customers/${customerId}/spend`, { body: entry('inv-3', 100) });
    expect(res.status).toBe(409);
    expect(res.json.errors[0].pointer).toBe('/externalId');
  });

  it('takes refunds as negative amounts and rejects fractions and bad currencies', async () => {
    expect((await t.call('POST', `/api/v1/customers/${customerId}/spend`, { body: entry('refund-1', -4999) })).status).toBe(201);
    const fraction = await t.call('POST', `/api/v1/customers/${customerId}/spend`, { body: entry('x-1', 49.99) });
    expect(fraction.status).toBe(400);
    expect(fraction.json.errors[0].pointer).toBe('/amountMinor');
    const currency = await t.call('POST', `/api/v1/customers/${customerId}/spend`, { body: { ...entry('x-2'), currency: 'euro' } });
    expect(currency.json.errors[0].pointer).toBe('/currency');
  });

  it("is 404 for another tenant's customer", async () => {
    expect((await t.call('POST', `/api/v1/customers/${customerId}/spend`, { as: t.b, body: entry('b-1') })).status).toBe(404);
    expect((await t.call('GET', `/api/v1/customers/${customerId}/spend`, { as: t.b })).status).toBe(404);
  });
});
