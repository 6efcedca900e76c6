import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer, startTestApp, type TestApp, type TestTenant } from '../support/app.ts';
import { onPostgres } from '../support/store.ts';

let t: TestApp;
let product: string;
let pro: string; // 19.99 a month, everything
let lite: string; // 4.99 a month, seats capped at 3
beforeAll(async () => {
  t = await startTestApp();
  product = (await t.call('POST', '/api/v1/products', { body: { name: 'Net Workspace', description: 'Shared fax and file space' } })).json.id;
  const plan = async (body: Record<string, unknown>) => {
    const res = await t.call('POST', '/api/v1/plans', { body: { productId: product, currency: 'EUR', interval: 'month', ...body } });
    if (res.status !== 201) throw new Error(`plan: ${res.status} ${res.body}`);
    return res.json.id as string;
  };
  pro = await plan({ name: 'Pro', priceMinor: 1999, features: ['fax', 'seats', 'archive'] });
  lite = await plan({ name: 'Lite', priceMinor: 499, features: ['fax', 'seats'], limits: { seats: 3 } });
  await plan({ name: 'Basic', priceMinor: 299, features: ['fax'], limits: { fax: 10 } });
}, 60_000);
afterAll(async () => t?.close());

const DAY = 86_400_000;
const iso = (days: number) => new Date(Date.now() + days * DAY).toISOString();

/** A subscription on Pro started 400 days ago, whose price went from 17.99 to 19.99 thirty days ago. */
async function priceRiseSubscription(customerId: string, as: TestTenant = t.a) {
  const res = await t.call('POST', '/api/v1/subscriptions', {
    as,
    body: {
      customerId,
      planId: pro,
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
  return res.json as { id: string; reference: string; renewsAt: string };
}

describe(`subscriptions and fair cancellation (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('creates and lists the catalog and subscriptions with a human-readable reference', async () => {
    const customerId = await makeCustomer(t, t.a);
    const sub = await t.call('POST', '/api/v1/subscriptions', { body: { customerId, planId: lite } });
    expect(sub.status).toBe(201);
    expect(sub.json.reference).toMatch(/^NW-[2-9A-HJ-NP-Z]{6}$/);
    expect(sub.json).toMatchObject({ status: 'active', priceHistory: [{ priceMinor: 499 }] });
    expect(sub.json.renewsAt).toBe(sub.json.currentPeriodEnd);
    expect((await t.call('GET', `/api/v1/subscriptions/${sub.json.id}`)).json.reference).toBe(sub.json.reference);
    const list = await t.call('GET', `/api/v1/subscriptions?customerId=${customerId}`);
    expect(list.json.data.map((s: { id: string }) => s.id)).toEqual([sub.json.id]);
    expect((await t.call('GET', `/api/v1/plans?productId=${product}`)).json.data).toHaveLength(3);
    expect((await t.call('GET', '/api/v1/products')).json.data[0]).toMatchObject({ id: product, name: 'Net Workspace', features: [] });
    // A product lists its features and the benefit each gives; a feature named twice is refused, naming it.
    const withFeatures = await t.call('POST', '/api/v1/products', { body: { name: 'Fax Pro', features: [{ name: 'fax', benefit: 'Send and receive faxes from e-mail.' }, { name: 'archive', benefit: 'Every fax kept for ten years.' }] } });
    expect(withFeatures.status).toBe(201);
    expect(withFeatures.json.features).toEqual([{ name: 'fax', benefit: 'Send and receive faxes from e-mail.' }, { name: 'archive', benefit: 'Every fax kept for ten years.' }]);
    const twice = await t.call('POST', '/api/v1/products', { body: { name: 'Fax Twice', features: [{ name: 'fax', benefit: 'a' }, { name: 'fax', benefit: 'b' }] } });
    expect([twice.status, twice.json.errors?.[0]?.pointer]).toEqual([422, '/features/1/name']);
    const noBenefit = await t.call('POST', '/api/v1/products', { body: { name: 'Fax Bare', features: [{ name: 'fax' }] } });
    expect([noBenefit.status, noBenefit.json.errors?.[0]?.pointer]).toEqual([400, '/features/0/benefit']);
  });

  it('records usage idempotently on externalId', async () => {
    const customerId = await makeCustomer(t, t.a);
    const body = { unit: 'fax', quantity: 3, at: iso(-5), externalId: `use-${customerId}` };
    const first = await t.call('POST', `/api/v1/customers/${customerId}/usage`, { body });
    const again = await t.call('POST', `/api/v1/customers/${customerId}/usage`, { body });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.json.id).toBe(first.json.id);
    const other = await t.call('POST', `/api/v1/customers/${customerId}/usage`, { body: { ...body, quantity: 4 } });
    expect(other.status).toBe(409);
    expect(other.json.errors[0].pointer).toBe('/externalId');
  });

  it('price rise: shows the real old and new price and the yearly difference; decline, then confirm; never a second show', async () => {
    const customerId = await makeCustomer(t, t.a, { emails: ['pat@example.com'], timeZone: 'Europe/Berlin' });
    const sub = await priceRiseSubscription(customerId);
    const req = await t.call('POST', `/api/v1/subscriptions/${sub.id}/cancellations`, { body: { channel: 'portal', reason: 'price', timing: 'period_end' } });
    expect(req.status).toBe(201);
    expect(req.json).toMatchObject({ status: 'clarified', offer: null, shownOutcome: 'pending', withdrawal: false, effectiveAt: null });
    expect(req.json.clarification.facts).toMatchObject({ oldPriceMinor: 1799, newPriceMinor: 1999, yearlyDifferenceMinor: 2400, currency: 'EUR', alreadyInEffect: true });
    expect(req.json.clarification.body).toContain('€17.99');
    expect(req.json.clarification.body).toContain('€19.99');
    expect(req.json.clarification.body).toContain('€24.00 more');
    const id = req.json.id as string;

    const declined = await t.call('POST', `/api/v1/cancellations/${id}/decline-offer`);
    expect(declined.status).toBe(200);
    expect(declined.json).toMatchObject({ status: 'requested', shownOutcome: 'declined' });
    // One show per attempt: declining twice is refused, naming why.
    const twice = await t.call('POST', `/api/v1/cancellations/${id}/decline-offer`);
    expect(twice.status).toBe(409);
    expect(twice.json.detail).toBe('there is nothing to decline');
    // A second request for the same subscription does not start a second attempt (and a second show).
    const again = await t.call('POST', `/api/v1/subscriptions/${sub.id}/cancellations`, { body: { channel: 'portal', reason: 'price', timing: 'period_end' } });
    expect(again.status).toBe(409);

    const confirmed = await t.call('POST', `/api/v1/cancellations/${id}/confirm`);
    expect(confirmed.status).toBe(200);
    expect(confirmed.json.reference).toMatch(/^CX-/);
    expect(confirmed.json.effectiveAt).toBe(new Date(iso(20)).toISOString().slice(0, 16) + confirmed.json.effectiveAt.slice(16));
    expect(confirmed.json.noChargesAfter).toBe(confirmed.json.effectiveAt);
    expect(confirmed.json.refund).toEqual({ amountMinor: 0, currency: 'EUR', basis: 'none_period_end', toPaymentMethodMinor: 0, asCreditMinor: 0 });
    const got = await t.call('GET', `/api/v1/cancellations/${id}`);
    expect(got.json).toMatchObject({ status: 'confirmed', shownOutcome: 'declined', effectiveAt: confirmed.json.effectiveAt });
    expect((await t.call('GET', `/api/v1/subscriptions/${sub.id}`)).json).toMatchObject({ status: 'active', renewsAt: null });
    expect((await t.call('POST', `/api/v1/cancellations/${id}/confirm`)).status).toBe(409);
  });

  it('unused: offers the cheapest plan that covers the last 90 days of use, and nothing without a reason', async () => {
    const customerId = await makeCustomer(t, t.a);
    for (const [i, q] of [2, 3].entries()) {
      await t.call('POST', `/api/v1/customers/${customerId}/usage`, { body: { unit: 'seats', quantity: q, at: iso(-20 - i * 31), externalId: `seat-${customerId}-${i}` } });
    }
    await t.call('POST', `/api/v1/customers/${customerId}/usage`, { body: { unit: 'fax', quantity: 5, at: iso(-3), externalId: `fax-${customerId}` } });
    const sub = await priceRiseSubscription(customerId);
    const req = await t.call('POST', `/api/v1/subscriptions/${sub.id}/cancellations`, { body: { channel: 'agent', reason: 'unused', timing: 'period_end' } });
    expect(req.status).toBe(201);
    // Basic (2.99) lacks seats; Lite (4.99, 3 seats) covers a peak of 3 seats and 5 faxes.
    expect(req.json).toMatchObject({ status: 'offered', clarification: null });
    expect(req.json.offer).toMatchObject({ planId: lite, planName: 'Lite', yearlySavingMinor: (1999 - 499) * 12 });
    expect(req.json.offer.facts.peakMonthlyUsage).toMatchObject({ seats: 3, fax: 5 });
    expect(req.json.offer.facts.featuresNotIncluded).toEqual(['archive']);

    const quiet = await priceRiseSubscription(customerId);
    const none = await t.call('POST', `/api/v1/subscriptions/${quiet.id}/cancellations`, { body: { channel: 'agent', timing: 'period_end' } });
    expect(none.json).toMatchObject({ status: 'requested', clarification: null, offer: null, shownOutcome: null });
  });

  it('confirm: immediate with a prorated refund, written as negative spend, and the confirmation e-mail queued', async () => {
    const customerId = await makeCustomer(t, t.a, { name: 'Robin Roe', emails: ['robin@example.com', 'other@example.com'], timeZone: 'America/New_York' });
    const sub = await priceRiseSubscription(customerId);
    const req = await t.call('POST', `/api/v1/subscriptions/${sub.id}/cancellations`, { body: { channel: 'portal', timing: 'immediate' } });
    const res = await t.call('POST', `/api/v1/cancellations/${req.json.id}/confirm`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(['effectiveAt', 'noChargesAfter', 'reference', 'refund']);
    expect(res.json.refund.basis).toBe('prorated');
    // The period began at 19.99 (paid), and about 20 of 30 days are unused.
    expect(res.json.refund.amountMinor).toBe(Math.floor((1999 * 19) / 30));

    const row = await t.store.db.selectFrom('cancellations').selectAll().where('id', '=', req.json.id).executeTakeFirstOrThrow();
    const subRow = await t.store.db.selectFrom('subscriptions').selectAll().where('id', '=', sub.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'confirmed', reference: res.json.reference, refund_minor: res.json.refund.amountMinor });
    expect(row.effective_at!.toISOString()).toBe(res.json.effectiveAt);
    expect(subRow.status).toBe('cancelled');

    const spend = await t.store.db.selectFrom('spend_entries').selectAll().where('external_id', '=', `cancellation-refund:${req.json.id}`).executeTakeFirstOrThrow();
    expect({ amount: Number(spend.amount_minor), currency: spend.currency, customer: spend.customer_id }).toEqual({ amount: -res.json.refund.amountMinor, currency: 'EUR', customer: customerId });

    const jobs = await t.store.db.selectFrom('outbox').selectAll().where('tenant_id', '=', t.a.id).where('kind', '=', 'email.send').execute();
    const mail = jobs.map((j) => j.payload as Record<string, unknown>).find((p) => p.cancellationId === req.json.id);
    expect(mail).toBeDefined();
    expect(mail).toMatchObject({
      to: 'robin@example.com',
      reference: row.reference,
      subscriptionReference: subRow.reference,
      effectiveAt: row.effective_at!.toISOString(),
      noChargesAfter: row.effective_at!.toISOString(),
      confirmedAt: row.confirmed_at!.toISOString(),
      refundMinor: Number(row.refund_minor),
      currency: 'EUR',
      timeZone: 'America/New_York',
    });
    const text = String(mail!.text);
    expect(text).toContain(`I cancel my subscription Pro (${subRow.reference})`);
    expect(text).toContain('(America/New_York)');
    expect(text).toContain(`No charges after: `);
    expect(text).toContain(`Reference: ${row.reference}`);
    const money = `€${(res.json.refund.amountMinor / 100).toFixed(2)}`;
    expect(text).toContain(`Refund: ${money}`);
    // The local time named in the e-mail is the confirmation instant in New York.
    const ny = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' }).format(row.confirmed_at!);
    expect(text).toContain(`received on ${ny}`);
  });

  it("is 404 for another tenant's subscription, cancellation and customer", async () => {
    const customerId = await makeCustomer(t, t.a);
    const sub = await priceRiseSubscription(customerId);
    const req = await t.call('POST', `/api/v1/subscriptions/${sub.id}/cancellations`, { body: { channel: 'api', timing: 'period_end' } });
    expect((await t.call('GET', `/api/v1/subscriptions/${sub.id}`, { as: t.b })).status).toBe(404);
    expect((await t.call('POST', `/api/v1/subscriptions/${sub.id}/cancellations`, { as: t.b, body: { channel: 'api', timing: 'period_end' } })).status).toBe(404);
    expect((await t.call('GET', `/api/v1/cancellations/${req.json.id}`, { as: t.b })).status).toBe(404);
    expect((await t.call('POST', `/api/v1/cancellations/${req.json.id}/confirm`, { as: t.b })).status).toBe(404);
    expect((await t.call('POST', `/api/v1/cancellations/${req.json.id}/decline-offer`, { as: t.b })).status).toBe(404);
    expect((await t.call('POST', `/api/v1/customers/${customerId}/usage`, { as: t.b, body: { unit: 'fax', quantity: 1, at: iso(-1), externalId: 'b-1' } })).status).toBe(404);
    const foreignPlan = await t.call('POST', '/api/v1/subscriptions', { as: t.b, body: { customerId, planId: pro } });
    expect(foreignPlan.status).toBe(422);
    expect(foreignPlan.json.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/customerId', '/planId']);
    expect((await t.call('GET', `/api/v1/cancellations/${req.json.id}`)).status).toBe(200);
  });

  it('refuses bad input with 400 and rule breaks with 422', async () => {
    const customerId = await makeCustomer(t, t.a);
    const sub = await priceRiseSubscription(customerId);
    const bad = await t.call('POST', `/api/v1/subscriptions/${sub.id}/cancellations`, { body: { channel: 'fax', timing: 'whenever' } });
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/channel', '/timing']);
    expect((await t.call('POST', `/api/v1/subscriptions/${sub.id}/cancellations`, { body: { channel: 'api', timing: 'period_end', extra: 1 } })).status).toBe(400);
    expect((await t.call('POST', '/api/v1/plans', { body: { productId: product, name: 'X', priceMinor: 9.5, currency: 'EUR', interval: 'month' } })).status).toBe(400);
    const stray = await t.call('POST', '/api/v1/plans', { body: { productId: product, name: 'X', priceMinor: 100, currency: 'EUR', interval: 'month', features: ['fax'], limits: { seats: 1 } } });
    expect(stray.status).toBe(422);
    const noProduct = await t.call('POST', '/api/v1/plans', { body: { productId: customerId, name: 'X', priceMinor: 100, currency: 'EUR', interval: 'month' } });
    expect([noProduct.status, noProduct.json.errors[0].pointer]).toEqual([422, '/productId']);
    const backwards = await t.call('POST', '/api/v1/subscriptions', { body: { customerId, planId: pro, currentPeriodStart: iso(0), currentPeriodEnd: iso(-1) } });
    expect(backwards.status).toBe(422);
    expect((await t.call('GET', '/api/v1/cancellations/not-a-uuid')).status).toBe(400);
  });

  it('in cooling-off: a withdrawal with nothing shown and a full refund', async () => {
    const customerId = await makeCustomer(t, t.a);
    const sub = await t.call('POST', '/api/v1/subscriptions', { body: { customerId, planId: pro, startedAt: iso(-2) } });
    const req = await t.call('POST', `/api/v1/subscriptions/${sub.json.id}/cancellations`, { body: { channel: 'portal', reason: 'unused', timing: 'period_end' } });
    expect(req.json).toMatchObject({ status: 'requested', withdrawal: true, offer: null, clarification: null });
    const res = await t.call('POST', `/api/v1/cancellations/${req.json.id}/confirm`);
    expect(res.json.refund).toEqual({ amountMinor: 1999, currency: 'EUR', basis: 'cooling_off_full', toPaymentMethodMinor: 1999, asCreditMinor: 0 });
  });

  it('staff accept-offer: the attempt ends, the subscription moves to the offered plan (price from the next renewal), audited', async () => {
    const customerId = await makeCustomer(t, t.a);
    await t.call('POST', `/api/v1/customers/${customerId}/usage`, { body: { unit: 'fax', quantity: 2, at: iso(-3), externalId: `fax-accept-${customerId}` } });
    const sub = await priceRiseSubscription(customerId);
    const req = await t.call('POST', `/api/v1/subscriptions/${sub.id}/cancellations`, { body: { channel: 'agent', reason: 'unused', timing: 'period_end' } });
    expect(req.json.offer.planName).toBe('Basic');
    const res = await t.call('POST', `/api/v1/cancellations/${req.json.id}/accept-offer`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'withdrawn', shownOutcome: 'accepted', steps: 2 });
    const after = (await t.call('GET', `/api/v1/subscriptions/${sub.id}`)).json;
    expect(after.planId).toBe(req.json.offer.planId);
    expect(after.priceHistory.at(-1)).toEqual({ priceMinor: 299, from: after.currentPeriodEnd });
    expect(after.renewsAt).toBe(after.currentPeriodEnd);
    const audit = await t.store.db.selectFrom('audit_log').select(['action', 'entity_id']).where('entity_id', 'in', [req.json.id, sub.id]).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['cancellation.offer_accepted', 'subscription.plan_changed']));
    // Nothing to accept twice, and a clarification is not an offer.
    expect((await t.call('POST', `/api/v1/cancellations/${req.json.id}/accept-offer`)).status).toBe(409);
    const priced = await t.call('POST', `/api/v1/subscriptions/${(await priceRiseSubscription(customerId)).id}/cancellations`, { body: { channel: 'agent', reason: 'price', timing: 'period_end' } });
    const refused = await t.call('POST', `/api/v1/cancellations/${priced.json.id}/accept-offer`);
    expect([refused.status, refused.json.detail]).toEqual([409, 'there is no offer to accept']);
  });

  it('staff withdraw: the customer changed their mind before confirming; a confirmed cancellation is never withdrawn', async () => {
    const customerId = await makeCustomer(t, t.a);
    const sub = await priceRiseSubscription(customerId);
    const req = await t.call('POST', `/api/v1/subscriptions/${sub.id}/cancellations`, { body: { channel: 'agent', reason: 'price', timing: 'period_end' } });
    const res = await t.call('POST', `/api/v1/cancellations/${req.json.id}/withdraw`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'withdrawn', shownOutcome: 'pending', steps: 1 });
    expect(res.json.endedAt).not.toBeNull();
    expect((await t.call('GET', `/api/v1/subscriptions/${sub.id}`)).json.renewsAt).not.toBeNull();
    const audit = await t.store.db.selectFrom('audit_log').select('action').where('entity_id', '=', req.json.id).execute();
    expect(audit.map((a) => a.action)).toContain('cancellation.withdrawn');
    expect((await t.call('POST', `/api/v1/cancellations/${req.json.id}/confirm`)).status).toBe(409);

    const next = await t.call('POST', `/api/v1/subscriptions/${sub.id}/cancellations`, { body: { channel: 'agent', timing: 'period_end' } });
    await t.call('POST', `/api/v1/cancellations/${next.json.id}/confirm`);
    const refused = await t.call('POST', `/api/v1/cancellations/${next.json.id}/withdraw`);
    expect([refused.status, refused.json.detail]).toEqual([409, 'a confirmed cancellation can only be reversed by the customer']);
    expect((await t.call('POST', `/api/v1/cancellations/${next.json.id}/withdraw`, { as: t.b })).status).toBe(404);
  });
});
