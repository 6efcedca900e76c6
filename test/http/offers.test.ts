import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerOffer } from '../../src/app/decide-offer.ts';
import { makeCustomer, startTestApp, type TestApp } from '../support/app.ts';
import { BUSINESS_CARD_YAML } from '../domain/offers/fixtures.ts';

let t: TestApp;
let card: string;
let broadband: string;
let agent: string;
beforeAll(async () => {
  t = await startTestApp();
  card = (await t.call('POST', '/api/v1/products', { body: { name: 'Business Rewards Card' } })).json.id as string;
  broadband = (await t.call('POST', '/api/v1/products', { body: { name: 'Broadband' } })).json.id as string;
  const res = await t.call('POST', `/api/v1/products/${card}/fit`, { body: { source: BUSINESS_CARD_YAML } });
  if (res.status !== 201) throw new Error(`fit: ${res.status} ${res.body}`);
  agent = (await t.call('POST', '/api/v1/agents', { body: { name: 'Sam Seller', email: 'sam@example.com', role: 'agent' } })).json.id as string;
}, 60_000);
afterAll(async () => t?.close());

/** A customer with `perMonth` units of each usage in each of the last 12 full months. */
async function customerWith(attributes: Record<string, unknown>, perMonth: Record<string, number>): Promise<string> {
  const id = await makeCustomer(t, t.a, { name: 'Owner', customerSince: '2020-01-01', attributes });
  const now = new Date();
  for (let k = 1; k <= 12; k++) {
    const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - k, 15));
    for (const [unit, quantity] of Object.entries(perMonth)) {
      const r = await t.call('POST', `/api/v1/customers/${id}/usage`, { body: { unit, quantity, at: at.toISOString(), externalId: `${id}-${unit}-${k}` } });
      if (r.status !== 201) throw new Error(`usage: ${r.status} ${r.body}`);
    }
  }
  return id;
}

const business = { kind: 'business', revenue: 180000, region: 'GB' };

async function conversationOf(customerId: string): Promise<string> {
  const r = await t.call('POST', '/api/v1/conversations', { body: { customerId, channel: 'chat', subject: 'Card', message: { role: 'customer', text: 'We spend a lot on the card, is there anything with cashback?' } } });
  if (r.status !== 201) throw new Error(`conversation: ${r.status} ${r.body}`);
  return r.json.id as string;
}

describe('product fit', () => {
  it('is refused with every problem at its line and column', async () => {
    const bad = BUSINESS_CARD_YAML.replace('- revenue: { atLeast: 20000 }', '- turnover: { atLeast: 20000 }').replace('yearlyMinor: 9500', 'yearlyMinor: -1');
    const r = await t.call('POST', `/api/v1/products/${card}/fit`, { body: { source: bad } });
    expect(r.status).toBe(422);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(r.json.errors).toEqual(expect.arrayContaining([expect.objectContaining({ pointer: '/source', line: 12, detail: expect.stringMatching(/fees.yearlyMinor/) })]));
    const get = await t.call('GET', `/api/v1/products/${card}/fit`);
    expect(get.json.version).toBe(1); // nothing half-written
  });

  it('publishes versions', async () => {
    const r = await t.call('GET', `/api/v1/products/${card}/fit`);
    expect(r.status).toBe(200);
    expect(r.json.fit.fees).toEqual({ currency: 'GBP', yearlyMinor: 9500, perUnitMinor: { fx_payment: 150 } });
    expect((await t.call('GET', `/api/v1/products/${broadband}/fit`)).status).toBe(404);
  });
});

describe('what may be offered', () => {
  it('lists the card as eligible for a business that spends enough, with every term', async () => {
    const c = await customerWith(business, { card_spend: 1000 });
    const r = await t.call('GET', `/api/v1/customers/${c}/offers?statedNeed=cashback`);
    expect(r.status).toBe(200);
    expect(r.json.eligible).toEqual([expect.objectContaining({ productId: card, value: 2500, currency: 'GBP', extraCare: false })]);
    expect(r.json.eligible[0].terms.map((x: { kind: string }) => x.kind)).toEqual(['benefit', 'fee', 'unit_fee']);
    expect(r.json.eligible[0].robustness.positiveShare).toBe(1);
    // A product without a published fit is never offered.
    expect(r.json.blocked).toEqual([expect.objectContaining({ productId: broadband, gates: ['target_market', 'key_facts'] })]);
  });

  it('blocks an unsuitable offer with its reasons: an individual, and a business whose fee exceeds what it gets back', async () => {
    const person = await customerWith({ kind: 'individual', revenue: 30000, region: 'GB' }, { card_spend: 1000 });
    const small = await customerWith(business, { card_spend: 500 });
    const a = await t.call('GET', `/api/v1/customers/${person}/offers?statedNeed=cashback`);
    expect(a.json.blocked.find((b: { productId: string }) => b.productId === card)).toMatchObject({ gates: ['target_market'], reasons: [expect.stringMatching(/kind is individual/)] });
    const b = await t.call('GET', `/api/v1/customers/${small}/offers?statedNeed=cashback`);
    expect(b.json.blocked.find((x: { productId: string }) => x.productId === card)).toMatchObject({
      gates: ['expected_value'],
      reasons: expect.arrayContaining([expect.stringMatching(/cost this customer GBP 35.00 a year more than it gives back/)]),
    });
  });
});

describe('bad input', () => {
  it('names the query parameter or body field', async () => {
    const c = await customerWith(business, {});
    const q = await t.call('GET', `/api/v1/customers/${c}/offers?campaignId=00000000-0000-4000-8000-000000000000`);
    expect(q.status).toBe(422);
    expect(q.json.errors).toEqual([{ parameter: 'campaignId', detail: 'no such campaign' }]);
    const other = await customerWith(business, {});
    const b = await t.call('POST', '/api/v1/offers', { body: { customerId: c, productId: card, conversationId: await conversationOf(other) } });
    expect(b.status).toBe(422);
    expect(b.json.errors).toEqual([{ pointer: '/conversationId', detail: 'no such conversation of this customer' }]);
    const o = await t.call('POST', '/api/v1/offers/00000000-0000-4000-8000-000000000000/outcomes', { body: { kind: 'complaint', upheld: 'yes' } });
    expect(o.status).toBe(400);
    expect(o.json.errors[0].pointer).toBe('/upheld');
  });
});

describe('presenting an offer', () => {
  it('refuses with a problem naming the failed gate, and keeps the refused decision', async () => {
    const small = await customerWith(business, { card_spend: 500 });
    const conversationId = await conversationOf(small);
    const r = await t.call('POST', '/api/v1/offers', { body: { customerId: small, productId: card, conversationId, statedNeed: 'cashback' } });
    expect(r.status).toBe(422);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(r.json.type).toBe('urn:fairdesk:problem:offer-gate-failed');
    expect(r.json.detail).toMatch(/^refused by the expected_value gate/);
    expect(r.json.errors).toEqual([{ pointer: '/productId', detail: expect.stringMatching(/^expected_value: /) }]);
    const kept = await t.call('GET', r.json.instance);
    expect(kept.json).toMatchObject({ status: 'refused', customerId: small, decision: { version: 'offer-gates/1', outcome: 'blocked', failed: ['expected_value'] } });
    expect(kept.json.value.terms.length).toBeGreaterThan(0);
  });

  it('an unprompted upsell is refused by the need gate', async () => {
    const c = await customerWith(business, { card_spend: 1000 });
    const r = await t.call('POST', '/api/v1/offers', { body: { customerId: c, productId: card, conversationId: await conversationOf(c) } });
    expect(r.status).toBe(422);
    expect(r.json.errors[0].detail).toMatch(/^need: no need stated/);
  });

  it('presents a suitable one, records the "no", and refuses the same product for 90 days', async () => {
    const c = await customerWith(business, { card_spend: 1000 });
    const conversationId = await conversationOf(c);
    const r = await t.call('POST', '/api/v1/offers', { body: { customerId: c, productId: card, conversationId, statedNeed: 'cashback', agentId: agent } });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ status: 'presented', agentId: agent, conversationId, value: { yearlyMinor: 2500 }, fitVersion: 1, keyFacts: expect.stringMatching(/Annual fee GBP 95/) });
    expect(r.json.decision.gates.every((g: { status: string }) => g.status === 'passed')).toBe(true);
    const no = await t.call('POST', `/api/v1/offers/${r.json.id}/decline`);
    expect(no.status).toBe(200);
    expect(no.json.status).toBe('declined');
    expect((await t.call('POST', `/api/v1/offers/${r.json.id}/accept`)).status).toBe(409);
    const again = await t.call('POST', '/api/v1/offers', { body: { customerId: c, productId: card, conversationId, statedNeed: 'cashback' } });
    expect(again.status).toBe(422);
    expect(again.json.errors[0].detail).toMatch(/^repeat_after_no: the customer said no to this product on/);
  });

  it('belongs to a conversation or a campaign, not neither', async () => {
    const c = await customerWith(business, { card_spend: 1000 });
    const r = await t.call('POST', '/api/v1/offers', { body: { customerId: c, productId: card, statedNeed: 'cashback' } });
    expect(r.status).toBe(400);
    expect(r.json.errors[0].pointer).toBe('/conversationId');
  });

  it('is never an unprompted offer during a cancellation', async () => {
    const c = await customerWith(business, { card_spend: 1000 });
    const campaign = await t.call('POST', '/api/v1/campaigns', { body: { name: 'Cashback for big spenders', productIds: [card], audience: [{ 'usage.card_spend': { atLeast: 800 } }], situation: 'high_card_spend', ownerId: agent } });
    expect(campaign.status).toBe(201);
    // Under the campaign, before any cancellation: allowed.
    const ok = await t.call('POST', '/api/v1/offers', { body: { customerId: c, productId: card, campaignId: campaign.json.id } });
    expect(ok.status).toBe(201);
    expect(ok.json.campaignId).toBe(campaign.json.id);
    // A conversation in which the customer asks to cancel opens a cancel request.
    const conv = await t.call('POST', '/api/v1/conversations', { body: { customerId: c, channel: 'chat', subject: 'Leaving', message: { role: 'customer', text: 'Please cancel my account, I want to close it.' } } });
    expect(conv.status).toBe(201);
    const refused = await t.call('POST', '/api/v1/offers', { body: { customerId: c, productId: card, campaignId: campaign.json.id } });
    expect(refused.status).toBe(422);
    expect(refused.json.errors[0].detail).toMatch(/never made during a cancellation/);
    // Outside the campaign's audience.
    const light = await customerWith(business, { card_spend: 100 });
    const out = await t.call('POST', '/api/v1/offers', { body: { customerId: light, productId: card, campaignId: campaign.json.id } });
    expect(out.status).toBe(422);
    expect(out.json.errors.map((e: { detail: string }) => e.detail)).toEqual([expect.stringMatching(/^expected_value: /), expect.stringMatching(/^need: the customer is not in the audience/)]);
  });
});

describe('extra care for a customer flagged vulnerable', () => {
  it('waits for a lead review, the key facts read, and 24 hours', async () => {
    const c = await customerWith({ ...business, vulnerable: true }, { card_spend: 1000 });
    const r = await t.call('POST', '/api/v1/offers', { body: { customerId: c, productId: card, conversationId: await conversationOf(c), statedNeed: 'cashback', agentId: agent } });
    expect(r.status).toBe(201);
    expect(r.json.status).toBe('awaiting_extra_care');
    expect(r.json.extraCare).toMatchObject({ required: true, leadReviewedAt: null, keyFactsReadAt: null });
    const early = await t.call('POST', `/api/v1/offers/${r.json.id}/accept`);
    expect(early.status).toBe(422);
    expect(early.json.errors[0].detail).toMatch(/^extra_care: a lead has not reviewed the offer; the key-facts card has not been read/);
    expect((await t.call('POST', `/api/v1/offers/${r.json.id}/review`)).status).toBe(200);
    expect((await t.call('POST', `/api/v1/offers/${r.json.id}/key-facts-read`)).status).toBe(200);
    const stillEarly = await t.call('POST', `/api/v1/offers/${r.json.id}/accept`);
    expect(stillEarly.status).toBe(422);
    expect(stillEarly.json.errors[0].detail).toMatch(/waits until/);
    // A day later the customer may decide.
    const scope = { db: t.store.db, tenantId: t.a.id, actor: 'test' };
    const accepted = await answerOffer(scope, r.json.id, 'accept', new Date(Date.now() + 25 * 3600_000));
    expect(accepted.status).toBe('accepted');
  });
});

describe('outcomes after a sale', () => {
  it('records a complaint and shows it joined to the offer', async () => {
    const c = await customerWith(business, { card_spend: 1000 });
    const r = await t.call('POST', '/api/v1/offers', { body: { customerId: c, productId: card, conversationId: await conversationOf(c), statedNeed: 'cashback', agentId: agent } });
    await t.call('POST', `/api/v1/offers/${r.json.id}/accept`);
    expect((await t.call('POST', `/api/v1/offers/${r.json.id}/outcomes`, { body: { kind: 'refund', upheld: true } })).status).toBe(422);
    const o = await t.call('POST', `/api/v1/offers/${r.json.id}/outcomes`, { body: { kind: 'complaint', upheld: true, note: 'fee not explained' } });
    expect(o.status).toBe(201);
    expect(o.json.harms).toEqual(['complaint_upheld']);
    const report = await t.call('GET', '/api/v1/reports/incentives');
    expect(report.status).toBe(200);
    expect(report.json.agents.find((a: { id: string }) => a.id === agent)).toMatchObject({ name: 'Sam Seller', harmfulSales: 1, clawedBack: 1 });
  });
});

describe('events', () => {
  it('puts an offer.decided event in the outbox for each decision, with no customer data', async () => {
    const jobs = await t.store.db.selectFrom('outbox').select(['payload']).where('tenant_id', '=', t.a.id).where('kind', '=', 'offer.decided').execute();
    const statuses = new Set(jobs.map((j) => (j.payload as { status: string }).status));
    expect([...statuses].sort()).toEqual(['accepted', 'awaiting_extra_care', 'declined', 'presented', 'refused']);
    const refused = jobs.map((j) => j.payload as { status: string; failedGates: string[] }).find((p) => p.status === 'refused');
    expect(refused?.failedGates.length).toBeGreaterThan(0);
    expect(JSON.stringify(jobs)).not.toMatch(/Owner|cashback\?/);
  });
});

describe('the cancellation flow goes through the same gates', () => {
  const DAY = 86_400_000;
  const iso = (days: number) => new Date(Date.now() + days * DAY).toISOString();
  let pro: string;
  beforeAll(async () => {
    const fax = (await t.call('POST', '/api/v1/products', { body: { name: 'Fax Line' } })).json.id as string;
    pro = (await t.call('POST', '/api/v1/plans', { body: { productId: fax, name: 'Pro', priceMinor: 1999, currency: 'EUR', interval: 'month', features: ['fax'] } })).json.id as string;
    await t.call('POST', '/api/v1/plans', { body: { productId: fax, name: 'Lite', priceMinor: 499, currency: 'EUR', interval: 'month', features: ['fax'], limits: { fax: 50 } } });
  });

  async function cancelling(attributes: Record<string, unknown>): Promise<{ customer: string; cancellation: { id: string; status: string } }> {
    const customer = await customerWith(attributes, { fax: 10 });
    const sub = await t.call('POST', '/api/v1/subscriptions', { body: { customerId: customer, planId: pro, startedAt: iso(-400), currentPeriodStart: iso(-10), currentPeriodEnd: iso(20) } });
    const c = await t.call('POST', `/api/v1/subscriptions/${sub.json.id}/cancellations`, { body: { channel: 'agent', reason: 'unused', timing: 'period_end' } });
    expect(c.status).toBe(201);
    return { customer, cancellation: c.json };
  }

  it('stores the offer it shows as a gated decision of the cancellation, and the "no" with it', async () => {
    const { customer, cancellation } = await cancelling({});
    expect(cancellation.status).toBe('offered');
    const list = await t.call('GET', `/api/v1/offers?customerId=${customer}`);
    expect(list.json.data).toEqual([expect.objectContaining({ cancellationId: cancellation.id, status: 'presented', value: expect.objectContaining({ yearlyMinor: 18000 }), keyFacts: expect.stringMatching(/^Lite plan: EUR 4.99 a month/) })]);
    expect(list.json.data[0].decision).toMatchObject({ outcome: 'eligible', failed: [] });
    expect((await t.call('POST', `/api/v1/offers/${list.json.data[0].id}/accept`)).status).toBe(409); // answered through the cancellation
    expect((await t.call('POST', `/api/v1/cancellations/${cancellation.id}/decline-offer`)).status).toBe(200);
    expect((await t.call('GET', `/api/v1/offers/${list.json.data[0].id}`)).json.status).toBe('declined');
  });

  it('shows a customer flagged vulnerable nothing while they cancel: extra care cannot wait inside a cancellation', async () => {
    const { customer, cancellation } = await cancelling({ vulnerable: true });
    expect(cancellation.status).toBe('requested');
    const list = await t.call('GET', `/api/v1/offers?customerId=${customer}`);
    expect(list.json.data).toEqual([expect.objectContaining({ cancellationId: cancellation.id, status: 'refused' })]);
    expect(list.json.data[0].decision.gates.find((g: { gate: string }) => g.gate === 'extra_care').status).toBe('pending');
  });
});
