import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer, startTestApp, type TestApp, type TestTenant } from '../support/app.ts';
import { magicLink } from '../support/isolation.ts';
import { onPostgres } from '../support/store.ts';

let t: TestApp;
let pro: string; // 19.99 a month: fax, seats
let lite: string; // 4.99 a month: fax
let aliceId: string;
let alice: string; // Alice's portal session cookie
let bobId: string;
let bob: string;
let slugA: string;
let slugB: string;
let carolB: string; // a customer of tenant B
beforeAll(async () => {
  t = await startTestApp();
  const product = (await t.call('POST', '/api/v1/products', { body: { name: 'Fax Line' } })).json.id as string;
  const plan = async (body: Record<string, unknown>, as: TestTenant = t.a, productId = product) =>
    (await t.call('POST', '/api/v1/plans', { as, body: { productId, currency: 'EUR', interval: 'month', ...body } })).json.id as string;
  pro = await plan({ name: 'Pro', priceMinor: 1999, features: ['fax', 'seats'] });
  lite = await plan({ name: 'Lite', priceMinor: 499, features: ['fax'] });
  slugA = (await t.call('GET', '/api/v1/tenant')).json.slug as string;
  slugB = (await t.call('GET', '/api/v1/tenant', { as: t.b })).json.slug as string;
  aliceId = await makeCustomer(t, t.a, { name: 'Alice', emails: ['alice@example.com'], timeZone: 'Europe/Berlin' });
  bobId = await makeCustomer(t, t.a, { name: 'Bob', emails: ['bob@example.com'] });
  carolB = await makeCustomer(t, t.b, { name: 'Carol', emails: ['carol@example.com'] });
  alice = await signIn(slugA, 'alice@example.com');
  bob = await signIn(slugA, 'bob@example.com');
  const productB = (await t.call('POST', '/api/v1/products', { as: t.b, body: { name: 'Other' } })).json.id as string;
  proB = await plan({ name: 'B Pro', priceMinor: 999 }, t.b, productB);
}, 60_000);
afterAll(async () => t?.close());
let proB: string;

async function signIn(slug: string, email: string): Promise<string> {
  const token = await magicLink(t.app, t.store, slug, email);
  const res = await t.app.inject({ method: 'POST', url: `/api/v1/portal/${slug}/sessions`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ token }) });
  expect(res.statusCode).toBe(200);
  const cookie = res.cookies.find((c) => c.name === '__Host-fairdesk_session')!;
  return `__Host-fairdesk_session=${cookie.value}`;
}

/** A request as a signed-in customer, from the portal's own pages (same-origin). */
async function portal(cookie: string, method: 'GET' | 'POST', path: string, body?: unknown) {
  const res = await t.app.inject({
    method,
    url: `/api/v1/portal/${path}`,
    headers: { cookie, 'sec-fetch-site': 'same-origin', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  return { status: res.statusCode, json: res.json() };
}

const DAY = 86_400_000;
const iso = (days: number) => new Date(Date.now() + days * DAY).toISOString();

/** A Pro subscription out of cooling-off whose price rose from 17.99 to 19.99 thirty days ago. */
async function subscription(customerId: string, as: TestTenant = t.a, planId = pro): Promise<{ id: string; reference: string }> {
  const res = await t.call('POST', '/api/v1/subscriptions', {
    as,
    body: {
      customerId,
      planId,
      startedAt: iso(-400),
      currentPeriodStart: iso(-10),
      currentPeriodEnd: iso(20),
      priceHistory: [
        { priceMinor: 1799, from: iso(-400) },
        { priceMinor: 1999, from: iso(-30) },
      ],
    },
  });
  if (res.status !== 201) throw new Error(`subscription: ${res.status} ${res.body}`);
  return res.json;
}

describe(`portal cancellation API (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('lists my own subscriptions with plan, the price I pay, and the cancellation that stands', async () => {
    const mine = await subscription(aliceId);
    await subscription(bobId);
    const list = await portal(alice, 'GET', `${slugA}/subscriptions`);
    expect(list.status).toBe(200);
    expect(list.json.nextCursor).toBeNull();
    const row = list.json.data.find((s: { id: string }) => s.id === mine.id);
    expect(row).toMatchObject({ reference: mine.reference, planId: pro, planName: 'Pro', priceMinor: 1999, currency: 'EUR', interval: 'month', status: 'active', openCancellation: null });
    expect(row.renewsAt).toBe(row.currentPeriodEnd);
    // Only Alice's subscriptions.
    const owners = await t.store.db.selectFrom('subscriptions').select(['id', 'customer_id']).execute();
    const aliceIds = new Set(owners.filter((o) => o.customer_id === aliceId).map((o) => o.id));
    expect(list.json.data.every((s: { id: string }) => aliceIds.has(s.id))).toBe(true);

    const asked = await portal(alice, 'POST', `${slugA}/subscriptions/${mine.id}/cancellations`, {});
    const again = await portal(alice, 'GET', `${slugA}/subscriptions`);
    expect(again.json.data.find((s: { id: string }) => s.id === mine.id).openCancellation).toMatchObject({ id: asked.json.id, status: 'requested', channel: 'portal' });
  });

  it('states beforehand what each timing means in my figures, and "Cancel now" then gives exactly that', async () => {
    const mine = await subscription(aliceId);
    const row = (await portal(alice, 'GET', `${slugA}/subscriptions`)).json.data.find((s: { id: string }) => s.id === mine.id);
    expect(row.ifCancelledNow.withdrawal).toBe(false);
    expect(row.ifCancelledNow.periodEnd).toEqual({ effectiveAt: row.currentPeriodEnd, refundMinor: 0 });
    // Immediate: the price paid when this 30-day period began (17.99; the rise to 19.99 came 30 days ago, before it) × unused whole days ÷ 30.
    expect(row.ifCancelledNow.immediate.refundMinor).toBeGreaterThan(0);
    expect(row.ifCancelledNow.immediate.refundMinor).toBeLessThanOrEqual(Math.floor((1999 * 20) / 30));
    const asked = await portal(alice, 'POST', `${slugA}/subscriptions/${mine.id}/cancellations`, { timing: 'immediate' });
    const done = await portal(alice, 'POST', `${slugA}/cancellations/${asked.json.id}/confirm`);
    expect(done.json.refund.amountMinor).toBe(row.ifCancelledNow.immediate.refundMinor);

    // Inside cooling-off either timing is a withdrawal with everything paid for the period back.
    const fresh = (await t.call('POST', '/api/v1/subscriptions', { body: { customerId: aliceId, planId: pro } })).json;
    const newRow = (await portal(alice, 'GET', `${slugA}/subscriptions`)).json.data.find((s: { id: string }) => s.id === fresh.id);
    expect(newRow.ifCancelledNow.withdrawal).toBe(true);
    expect(newRow.ifCancelledNow.periodEnd.refundMinor).toBe(newRow.priceMinor);
    expect(newRow.ifCancelledNow.immediate.refundMinor).toBe(newRow.priceMinor);
  });

  it('price rise: request shows the clarification, decline, confirm — with the confirmation and the cancellation, three steps', async () => {
    const sub = await subscription(aliceId);
    const req = await portal(alice, 'POST', `${slugA}/subscriptions/${sub.id}/cancellations`, { reason: 'price' });
    expect(req.status).toBe(201);
    expect(req.json).toMatchObject({ status: 'clarified', channel: 'portal', timing: 'period_end', offer: null, steps: 1 });
    expect(req.json.clarification.facts).toMatchObject({ oldPriceMinor: 1799, newPriceMinor: 1999, yearlyDifferenceMinor: 2400 });
    const id = req.json.id as string;

    const got = await portal(alice, 'GET', `${slugA}/cancellations/${id}`);
    expect(got.json).toMatchObject({ id, status: 'clarified' });
    const declined = await portal(alice, 'POST', `${slugA}/cancellations/${id}/decline-offer`);
    expect(declined.json).toMatchObject({ status: 'requested', shownOutcome: 'declined', steps: 2 });
    const confirmed = await portal(alice, 'POST', `${slugA}/cancellations/${id}/confirm`);
    expect(confirmed.status).toBe(200);
    expect(confirmed.json.reference).toMatch(/^CX-/);
    expect(confirmed.json.noChargesAfter).toBe(confirmed.json.effectiveAt);
    expect(confirmed.json.refund).toEqual({ amountMinor: 0, currency: 'EUR', basis: 'none_period_end', toPaymentMethodMinor: 0, asCreditMinor: 0 });
    expect(confirmed.json.cancellation).toMatchObject({ id, status: 'confirmed', steps: 3, effectiveAt: confirmed.json.effectiveAt });
    // The audit log names the customer as the actor.
    const audit = await t.store.db.selectFrom('audit_log').select(['action', 'actor']).where('entity_id', '=', id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['cancellation.requested', 'cancellation.declined', 'cancellation.confirmed']));
    expect(new Set(audit.map((a) => a.actor))).toEqual(new Set([`customer:${aliceId}`]));
    // The confirmation e-mail is queued to Alice.
    const jobs = await t.store.db.selectFrom('outbox').select('payload').where('kind', '=', 'email.send').execute();
    expect(jobs.map((j) => j.payload as Record<string, unknown>).find((p) => p.cancellationId === id)).toMatchObject({ to: 'alice@example.com', reference: confirmed.json.reference });
  });

  it('accept the offer: the attempt ends, the subscription moves to the cheaper plan from the next renewal, recorded', async () => {
    await t.call('POST', `/api/v1/customers/${aliceId}/usage`, { body: { unit: 'fax', quantity: 4, at: iso(-3), externalId: `fax-${aliceId}` } });
    const sub = await subscription(aliceId);
    const req = await portal(alice, 'POST', `${slugA}/subscriptions/${sub.id}/cancellations`, { reason: 'unused', timing: 'period_end' });
    expect(req.json).toMatchObject({ status: 'offered', offer: { planId: lite, planName: 'Lite' } });
    const accepted = await portal(alice, 'POST', `${slugA}/cancellations/${req.json.id}/accept-offer`);
    expect(accepted.status).toBe(200);
    expect(accepted.json).toMatchObject({ status: 'withdrawn', shownOutcome: 'accepted', steps: 2 });
    expect(accepted.json.endedAt).not.toBeNull();
    const after = (await t.call('GET', `/api/v1/subscriptions/${sub.id}`)).json;
    expect(after).toMatchObject({ planId: lite, status: 'active' });
    expect(after.renewsAt).not.toBeNull();
    expect(after.priceHistory.at(-1)).toEqual({ priceMinor: 499, from: after.currentPeriodEnd });
    const audit = await t.store.db.selectFrom('audit_log').select('action').where('entity_id', 'in', [sub.id, req.json.id]).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['cancellation.offer_accepted', 'subscription.plan_changed']));
    // The attempt is over: nothing more may happen to it.
    expect((await portal(alice, 'POST', `${slugA}/cancellations/${req.json.id}/confirm`)).status).toBe(409);
    // In the portal list the subscription has no standing cancellation and shows today's price (the new one starts at renewal).
    const list = await portal(alice, 'GET', `${slugA}/subscriptions`);
    expect(list.json.data.find((s: { id: string }) => s.id === sub.id)).toMatchObject({ planName: 'Lite', priceMinor: 1999, openCancellation: null });
  });

  it('withdraw before confirming keeps the subscription; a confirmed one cannot be withdrawn', async () => {
    const sub = await subscription(aliceId);
    const req = await portal(alice, 'POST', `${slugA}/subscriptions/${sub.id}/cancellations`, { timing: 'immediate' });
    const withdrawn = await portal(alice, 'POST', `${slugA}/cancellations/${req.json.id}/withdraw`);
    expect(withdrawn.json).toMatchObject({ status: 'withdrawn', steps: 1 });
    expect((await t.call('GET', `/api/v1/subscriptions/${sub.id}`)).json).toMatchObject({ status: 'active', renewsAt: expect.any(String) });
    // A new attempt may start after a withdrawn one.
    const next = await portal(alice, 'POST', `${slugA}/subscriptions/${sub.id}/cancellations`, {});
    expect(next.status).toBe(201);
    await portal(alice, 'POST', `${slugA}/cancellations/${next.json.id}/confirm`);
    const refused = await portal(alice, 'POST', `${slugA}/cancellations/${next.json.id}/withdraw`);
    expect(refused.status).toBe(409);
    expect(refused.json.detail).toBe('a confirmed cancellation can only be reversed by the customer');
  });

  it("is 404 for another customer's and another tenant's subscriptions and cancellations, and changes nothing", async () => {
    const bobs = await subscription(bobId);
    const bobAttempt = await portal(bob, 'POST', `${slugA}/subscriptions/${bobs.id}/cancellations`, { reason: 'price' });
    expect(bobAttempt.status).toBe(201);
    const foreign = await subscription(carolB, t.b, proB);
    const foreignAttempt = await t.call('POST', `/api/v1/subscriptions/${foreign.id}/cancellations`, { as: t.b, body: { channel: 'api', timing: 'period_end' } });
    const before = await t.store.db.selectFrom('cancellations').select(['id', 'status', 'steps']).orderBy('id').execute();
    for (const sub of [bobs.id, foreign.id]) {
      const res = await portal(alice, 'POST', `${slugA}/subscriptions/${sub}/cancellations`, {});
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.json)).not.toContain(bobs.reference);
    }
    for (const id of [bobAttempt.json.id, foreignAttempt.json.id]) {
      expect((await portal(alice, 'GET', `${slugA}/cancellations/${id}`)).status).toBe(404);
      for (const action of ['decline-offer', 'accept-offer', 'withdraw', 'confirm']) {
        expect((await portal(alice, 'POST', `${slugA}/cancellations/${id}/${action}`)).status).toBe(404);
      }
    }
    expect(await t.store.db.selectFrom('cancellations').select(['id', 'status', 'steps']).orderBy('id').execute()).toEqual(before);
    // Alice's session at tenant B's slug is not a session there.
    expect((await portal(alice, 'GET', `${slugB}/subscriptions`)).status).toBe(401);
    // Bob still reaches his own.
    expect((await portal(bob, 'GET', `${slugA}/cancellations/${bobAttempt.json.id}`)).status).toBe(200);
  });

  it('refuses a channel in the body (the server sets it), unknown fields and bad ids with 400', async () => {
    const sub = await subscription(aliceId);
    const bad = await portal(alice, 'POST', `${slugA}/subscriptions/${sub.id}/cancellations`, { channel: 'agent', timing: 'soon' });
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/channel', '/timing']);
    expect((await portal(alice, 'GET', `${slugA}/cancellations/not-a-uuid`)).status).toBe(400);
  });
});
