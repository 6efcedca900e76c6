import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer, startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const days = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();

async function ok(url: string, body: unknown, status = 201) {
  const res = await t.call('POST', url, { body });
  expect(res.status, `${url}: ${res.body}`).toBe(status);
  return res.json;
}

describe('GET /api/v1/cancellations (a customer’s attempts, each with its confirmation)', () => {
  it('lists a customer’s attempts newest first, filtered by customer or subscription, with the confirmation figures', async () => {
    const product = await ok('/api/v1/products', { name: 'Broadband' });
    const plan = await ok('/api/v1/plans', { productId: product.id, name: 'Fibre', priceMinor: 3000, currency: 'GBP', interval: 'month', features: ['broadband'] });
    const subscribe = async (customerId: string) =>
      ok('/api/v1/subscriptions', { customerId, planId: plan.id, startedAt: days(-400), currentPeriodStart: days(-10), currentPeriodEnd: days(20), priceHistory: [{ priceMinor: 3000, from: days(-400) }] });
    const ann = await makeCustomer(t, t.a, { name: 'Ann' });
    const other = await makeCustomer(t, t.a, { name: 'Other' });
    const s1 = await subscribe(ann);
    const s2 = await subscribe(ann);
    const s3 = await subscribe(other);
    const withdrawn = await ok(`/api/v1/subscriptions/${s1.id}/cancellations`, { channel: 'agent', timing: 'period_end' });
    await ok(`/api/v1/cancellations/${withdrawn.id}/withdraw`, undefined, 200);
    const confirmed = await ok(`/api/v1/subscriptions/${s2.id}/cancellations`, { channel: 'portal', timing: 'period_end' });
    await ok(`/api/v1/cancellations/${confirmed.id}/confirm`, undefined, 200);
    await ok(`/api/v1/subscriptions/${s3.id}/cancellations`, { channel: 'agent', timing: 'period_end' });

    const list = await t.call('GET', `/api/v1/cancellations?customerId=${ann}`);
    expect(list.status).toBe(200);
    expect(list.json.data.map((c: { id: string }) => c.id)).toEqual([confirmed.id, withdrawn.id]);
    expect(list.json.data[0]).toMatchObject({ status: 'confirmed', channel: 'portal', subscriptionId: s2.id, refund: { currency: 'GBP' } });
    expect(list.json.data[0].confirmedAt).toEqual(expect.any(String));
    expect(list.json.data[0].effectiveAt).toEqual(expect.any(String));
    expect(list.json.data[1]).toMatchObject({ status: 'withdrawn', confirmedAt: null });

    const one = await t.call('GET', `/api/v1/cancellations?subscriptionId=${s1.id}&limit=1`);
    expect(one.json.data.map((c: { id: string }) => c.id)).toEqual([withdrawn.id]);
    expect(one.json.nextCursor).toBeNull();

    // Another tenant sees none of them.
    const foreign = await t.call('GET', `/api/v1/cancellations?customerId=${ann}`, { as: t.b });
    expect(foreign.status).toBe(200);
    expect(foreign.json.data).toEqual([]);
  });
});
