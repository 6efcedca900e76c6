import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileCharges } from '../../src/app/reconcile-charges.ts';
import { makeCustomer, startTestApp, type TestApp } from '../support/app.ts';
import { injectCharge } from '../support/ledger.ts';
import { onPostgres } from '../support/store.ts';

let t: TestApp;
let pro: string;
let slug: string;
let planB: string;
beforeAll(async () => {
  t = await startTestApp();
  const product = (await t.call('POST', '/api/v1/products', { body: { name: 'Fax Line' } })).json.id as string;
  const plan = async (name: string, priceMinor: number) =>
    (await t.call('POST', '/api/v1/plans', { body: { productId: product, name, priceMinor, currency: 'EUR', interval: 'month', features: ['fax'] } })).json.id as string;
  pro = await plan('Pro', 1999);
  await plan('Lite', 499);
  slug = (await t.call('GET', '/api/v1/tenant')).json.slug as string;
  const productB = (await t.call('POST', '/api/v1/products', { as: t.b, body: { name: 'Fax Line' } })).json.id as string;
  planB = (await t.call('POST', '/api/v1/plans', { as: t.b, body: { productId: productB, name: 'Pro', priceMinor: 1999, currency: 'EUR', interval: 'month', features: ['fax'] } })).json.id as string;
}, 60_000);
afterAll(async () => t?.close());

const DAY = 86_400_000;
const iso = (days: number) => new Date(Date.now() + days * DAY).toISOString();

async function subscription(customerId: string): Promise<{ id: string; reference: string }> {
  const body = {
    customerId,
    planId: pro,
    startedAt: iso(-400),
    currentPeriodStart: iso(-10),
    currentPeriodEnd: iso(20),
    priceHistory: [
      { priceMinor: 1799, from: iso(-400) },
      { priceMinor: 1999, from: iso(-30) },
    ],
  };
  return (await t.call('POST', '/api/v1/subscriptions', { body })).json;
}
const ask = async (subId: string, body: Record<string, unknown>) => (await t.call('POST', `/api/v1/subscriptions/${subId}/cancellations`, { body: { channel: 'portal', timing: 'period_end', ...body } })).json;
const act = async (id: string, action: string) => t.call('POST', `/api/v1/cancellations/${id}/${action}`);
/** Moves an attempt's start back so it began `seconds` before it was confirmed (or `hoursAgo` before now). */
async function startedBefore(id: string, change: { seconds?: number; hoursAgo?: number }) {
  const row = await t.store.db.selectFrom('cancellations').select(['confirmed_at']).where('id', '=', id).executeTakeFirstOrThrow();
  const at = change.seconds !== undefined ? new Date(row.confirmed_at!.getTime() - change.seconds * 1000) : new Date(Date.now() - change.hoursAgo! * 3_600_000);
  await t.store.db.updateTable('cancellations').set({ created_at: at }).where('id', '=', id).execute();
}

describe(`flow-health report of cancellation (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('counts by channel: started, confirmed, median clicks and seconds, abandonment, shown/declined/accepted, regret; charges after cancellation found, refunded, outstanding', async () => {
    const customerId = await makeCustomer(t, t.a, { name: 'Rita Report', emails: ['rita@example.com'] });
    await t.call('POST', `/api/v1/customers/${customerId}/usage`, { body: { unit: 'fax', quantity: 2, at: iso(-3), externalId: `fax-${customerId}` } });

    // 1. Price rise: clarification shown, declined, confirmed — 3 clicks, 10 s.
    const one = await ask((await subscription(customerId)).id, { reason: 'price' });
    await act(one.id, 'decline-offer');
    await act(one.id, 'confirm');
    await startedBefore(one.id, { seconds: 10 });
    // 2. No reason, confirmed at once — 2 clicks, 20 s; its subscription later gets a charge after the effective date.
    const twoSub = await subscription(customerId);
    const two = await ask(twoSub.id, {});
    const twoConfirmed = (await act(two.id, 'confirm')).json;
    await startedBefore(two.id, { seconds: 20 });
    // 3. Asked 25 hours ago and left: abandoned. 4. Asked and withdrawn.
    const three = await ask((await subscription(customerId)).id, {});
    await startedBefore(three.id, { hoursAgo: 25 });
    const four = await ask((await subscription(customerId)).id, {});
    await act(four.id, 'withdraw');
    // 5. Offer accepted (saved), then cancelled anyway a moment later: post-save regret; 2 clicks, 40 s.
    const fiveSub = await subscription(customerId);
    const five = await ask(fiveSub.id, { reason: 'unused' });
    expect(five.status).toBe('offered');
    await act(five.id, 'accept-offer');
    const fiveAgain = await ask(fiveSub.id, {});
    await act(fiveAgain.id, 'confirm');
    await startedBefore(fiveAgain.id, { seconds: 40 });
    // 6. Logged out: one step, confirmed at once.
    const sixSub = await subscription(customerId);
    const logged = await t.app.inject({ method: 'POST', url: `/api/v1/public/${slug}/cancellations`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ email: 'rita@example.com', reference: sixSub.reference }) });
    expect(logged.statusCode).toBe(202);

    // A charge slipped through after #2 took effect.
    const after = new Date(new Date(twoConfirmed.effectiveAt).getTime() + DAY);
    await injectCharge(t.store.db, { tenant_id: t.a.id, subscription_id: twoSub.id, customer_id: customerId, amount_minor: 1999, currency: 'EUR', period_start: after, period_end: after, at: after, external_id: `slipped-${twoSub.id}` });

    const url = `/api/v1/reports/cancellations?to=${encodeURIComponent(iso(60))}`;
    const report = await t.call('GET', url);
    expect(report.status).toBe(200);
    const portal = report.json.channels.find((c: { channel: string }) => c.channel === 'portal');
    expect(portal).toEqual({
      channel: 'portal',
      started: 6,
      confirmed: 3,
      medianClicks: 2,
      medianSecondsToConfirm: 20,
      abandoned: 1,
      withdrawn: 1,
      reversed: 0,
      clarifications: { shown: 1, declined: 1 },
      offers: { shown: 1, accepted: 1, declined: 0 },
      postSaveRegret: 1,
    });
    expect(report.json.channels.find((c: { channel: string }) => c.channel === 'logged_out')).toMatchObject({ started: 1, confirmed: 1, medianClicks: 1, abandoned: 0 });
    expect(report.json.chargesAfterCancellation).toEqual({ found: 1, refunded: 0, outstanding: 1 });

    // The reconciliation job refunds it: found stays, outstanding is 0.
    await reconcileCharges(t.store.db);
    expect((await t.call('GET', url)).json.chargesAfterCancellation).toEqual({ found: 1, refunded: 1, outstanding: 0 });

    // Another tenant sees only its own (nothing); a period that ends before it started is empty.
    expect((await t.call('GET', '/api/v1/reports/cancellations', { as: t.b })).json).toMatchObject({ channels: [], chargesAfterCancellation: { found: 0, refunded: 0, outstanding: 0 } });
    expect((await t.call('GET', `/api/v1/reports/cancellations?to=${encodeURIComponent(iso(-2))}`)).json.channels).toEqual([]);
  });

  it('counts the cancel requests customers made in conversations: raised, carried out, dismissed, open, late, median hours to carry out', async () => {
    const raise = async (name: string) => {
      const customerId = await makeCustomer(t, t.b, { name, emails: [`${name.toLowerCase().replace(/ /g, '.')}@example.com`] });
      const sub = (await t.call('POST', '/api/v1/subscriptions', { as: t.b, body: { customerId, planId: planB, startedAt: iso(-400), currentPeriodStart: iso(-10), currentPeriodEnd: iso(20) } })).json.id as string;
      const c = (await t.call('POST', '/api/v1/conversations', { as: t.b, body: { customerId, channel: 'chat', subject: 'leaving', message: { role: 'customer', text: 'Please cancel my subscription.' } } })).json;
      expect(c.cancelRequest?.status).toBe('open');
      return { conversation: c.id as string, sub };
    };
    const carried = await raise('Cara Carried');
    const dismissed = await raise('Dora Dismissed');
    const late = await raise('Lena Late');
    // Carried out now: under an hour after the message. The late one was asked two days ago and is still open.
    expect((await t.call('POST', `/api/v1/conversations/${carried.conversation}/cancel-request/carry-out`, { as: t.b, body: {} })).status).toBe(200);
    expect((await t.call('POST', `/api/v1/conversations/${dismissed.conversation}/cancel-request/dismiss`, { as: t.b, body: { reason: 'asked about a delivery, not the subscription' } })).status).toBe(200);
    await t.store.db.updateTable('cancel_requests').set({ requested_at: new Date(Date.now() - 2 * DAY), due_at: new Date(Date.now() - DAY) }).where('conversation_id', '=', late.conversation).execute();

    const report = (await t.call('GET', `/api/v1/reports/cancellations?from=${encodeURIComponent(iso(-5))}&to=${encodeURIComponent(iso(1))}`, { as: t.b })).json;
    expect(report.cancelRequests).toMatchObject({ raised: 3, carriedOut: 1, dismissed: 1, open: 1, breached: 1 });
    expect(report.cancelRequests.medianHoursToCarryOut).toBeGreaterThanOrEqual(0);
    expect(report.cancelRequests.medianHoursToCarryOut).toBeLessThan(1);
    // Tenant A's report does not see B's requests.
    expect((await t.call('GET', `/api/v1/reports/cancellations?from=${encodeURIComponent(iso(-5))}&to=${encodeURIComponent(iso(1))}`)).json.cancelRequests.raised).toBe(0);
  });

  it('refuses an empty period with 422 and a malformed date with 400, naming the parameter', async () => {
    const empty = await t.call('GET', `/api/v1/reports/cancellations?from=${encodeURIComponent(iso(0))}&to=${encodeURIComponent(iso(-1))}`);
    expect([empty.status, empty.json.errors[0].parameter]).toEqual([422, 'from']);
    const bad = await t.call('GET', '/api/v1/reports/cancellations?from=yesterday');
    expect([bad.status, bad.json.errors[0].parameter]).toEqual([400, 'from']);
  });
});
