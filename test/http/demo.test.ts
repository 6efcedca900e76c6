import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/app/seed-demo.ts';
import { startTestApp, type TestApp, type TestTenant } from '../support/app.ts';

let t: TestApp;
let demo: TestTenant;
beforeAll(async () => {
  t = await startTestApp();
  const seeded = await seedDemo(t.store.db);
  demo = { id: seeded.tenantId, token: seeded.token };
});
afterAll(async () => t?.close());

const customerByExternalId = async (externalId: string) =>
  (await t.call('GET', `/api/v1/customers?externalId=${externalId}`, { as: demo })).json.data[0] as { id: string; name: string };

describe('the demo tenant', () => {
  it('has a charter in effect and every demo conversation runs an SLA clock under it', async () => {
    expect((await t.call('GET', '/api/v1/charter', { as: demo })).json.version).toBe(1);
    const conversations = (await t.call('GET', '/api/v1/conversations?limit=100', { as: demo })).json.data;
    expect(conversations).toHaveLength(12);
    for (const c of conversations) expect(c.sla).toMatchObject({ charterVersion: 1 });
  });

  it('explains the entitlements of a no-spend customer and of a high-spend one', async () => {
    const eleanor = await customerByExternalId('demo-c12');
    const none = (await t.call('GET', `/api/v1/customers/${eleanor.id}/entitlements`, { as: demo })).json;
    expect(none.tier).toBeNull();
    expect(none.reasons[0]).toMatch(/No tier/);
    expect(none.reasons.join('\n')).toMatch(/Every customer/);

    const robert = await customerByExternalId('demo-c05');
    const business = (await t.call('GET', `/api/v1/customers/${robert.id}/entitlements`, { as: demo })).json;
    expect(business.tier).toEqual({ id: 'business', name: 'Business' });
    expect(business.entitlements.namedTeam).toBe('Business Care');

    const kwame = await customerByExternalId('demo-c03');
    const plus = (await t.call('GET', `/api/v1/customers/${kwame.id}/entitlements`, { as: demo })).json;
    expect(plus.tier.id).toBe('plus');
    expect(plus.reasons.join('\n')).toMatch(/£1,310\.00/);
  });

  it('subscribes every customer to their plan, so the portal shows both honest answers to "why leave?"', async () => {
    const subs = (await t.call('GET', '/api/v1/subscriptions?limit=100', { as: demo })).json.data as Array<{ id: string; customerId: string; reference: string }>;
    expect(subs).toHaveLength(12);
    const margaret = await customerByExternalId('demo-c02');
    const george = await customerByExternalId('demo-c07');
    const of = (id: string) => subs.find((s) => s.customerId === id)!;
    // Margaret's price rose 30 days ago: the clarification states her own old and new price.
    const price = (await t.call('POST', `/api/v1/subscriptions/${of(margaret.id).id}/cancellations`, { as: demo, body: { channel: 'agent', reason: 'price', timing: 'period_end' } })).json;
    expect(price.status).toBe('clarified');
    expect(JSON.stringify(price.clarification)).toMatch(/2500|25\.00/);
    // George has not watched TV for three months: the cheapest plan that covers his use, without TV, is offered.
    const unused = (await t.call('POST', `/api/v1/subscriptions/${of(george.id).id}/cancellations`, { as: demo, body: { channel: 'agent', reason: 'unused', timing: 'period_end' } })).json;
    expect(unused.status).toBe('offered');
    expect(unused.offer.facts.featuresNotIncluded).toEqual(['tv']);
    expect(unused.offer.yearlySavingMinor).toBeGreaterThan(0);
  });

  it('is idempotent', async () => {
    const again = await seedDemo(t.store.db);
    expect(again.created).toEqual({ agents: 0, customers: 0, conversations: 0 });
    expect(again.portal.reference).toMatch(/^[A-Z]+-/);
    expect((await t.call('GET', '/api/v1/subscriptions?limit=100', { as: demo })).json.data).toHaveLength(12);
    expect((await t.call('GET', '/api/v1/charter/versions', { as: demo })).json.data).toHaveLength(1);
    // The sales history is generated once.
    expect((await t.call('GET', '/api/v1/reports/incentives', { as: demo })).json.totals.sales).toBe(128);
  });

  it('has a year of gated card sales, one seller flagged for harm, for the incentives report', async () => {
    const r = (await t.call('GET', '/api/v1/reports/incentives', { as: demo })).json;
    expect(r.agents.filter((a: { flagged: boolean }) => a.flagged).map((a: { name: string }) => a.name)).toEqual(['Harper Highharm']);
    expect(r.campaigns.map((c: { name: string }) => c.name).sort()).toEqual(['Cashback for card spenders', 'Year-end card drive']);
  });
});

describe('the listening report on the demo tenant', () => {
  it('scores agents from their conversations, lowest first, with the findings behind the scores', async () => {
    const res = await t.call('GET', '/api/v1/reports/listening', { as: demo });
    expect(res.status).toBe(200);
    const agents = res.json.agents as Array<{ agentId: string | null; conversations: number; meanScore: number | null; findings: Record<string, number> }>;
    expect(agents.reduce((n, a) => n + a.conversations, 0)).toBe(12);
    const scores = agents.map((a) => a.meanScore ?? 101);
    expect(scores).toEqual([...scores].sort((x, y) => x - y));
    // Tomás pushed a credit check after "no" and kept selling to a customer who asked to cancel.
    const tomas = (await t.call('GET', '/api/v1/agents?limit=50', { as: demo })).json.data.find((a: { email: string }) => a.email === 'tomas@northwind.example');
    const row = agents.find((a) => a.agentId === tomas.id)!;
    expect(Object.keys(row.findings).length).toBeGreaterThan(0);
  });
});

describe('demo sign-ins', () => {
  it('prints a working sign-in for each role', async () => {
    const again = await seedDemo(t.store.db);
    expect(again.signIns.map((s) => s.role).sort()).toEqual(['admin', 'agent', 'compliance', 'lead']);
    for (const s of again.signIns) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ tenant: 'demo', email: s.email, password: s.password }),
      });
      expect([s.role, res.statusCode]).toEqual([s.role, 200]);
      expect(res.json().agent.role).toBe(s.role);
    }
  });
});
