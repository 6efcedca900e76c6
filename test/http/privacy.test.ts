import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer, startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

describe('who read what', () => {
  it('logs every read of a customer’s record and of their conversations, for compliance and the customer', async () => {
    const id = await makeCustomer(t, t.a, { name: 'Read Me' });
    const conv = (await t.call('POST', '/api/v1/conversations', { body: { customerId: id, channel: 'chat', subject: 'Hello' } })).json;
    await t.call('GET', `/api/v1/customers/${id}`);
    await t.call('GET', `/api/v1/conversations/${conv.id}`);
    await t.call('GET', `/api/v1/customers/${id}/spend`);
    const reads = (await t.call('GET', `/api/v1/customers/${id}/reads`)).json.data;
    expect(reads.map((r: { what: string }) => r.what)).toEqual(['spend', `conversation:${conv.id}`, 'customer']);
    expect(reads[0].actor).toMatch(/^token:/);
    expect((await t.call('GET', `/api/v1/customers/${id}/reads`, { as: t.b })).status).toBe(404);
  });
});

describe('erasure', () => {
  it('removes personal data everywhere, keeps what the law requires, and says which is which', async () => {
    const id = await makeCustomer(t, t.a, { name: 'Erin Erase', emails: ['erin@example.com'], phones: ['+44 20 7946 0999'], externalId: 'crm-erin', attributes: { plan: 'fibre-100' } });
    await t.call('POST', `/api/v1/customers/${id}/spend`, { body: { amountMinor: 4200, currency: 'GBP', at: '2026-10-01T00:00:00Z', source: 'billing', externalId: 'erin-1' } });
    const conv = (
      await t.call('POST', '/api/v1/conversations', {
        body: { customerId: id, channel: 'email', subject: 'Move to 12 Orchard Lane', message: { role: 'customer', text: 'I move to 12 Orchard Lane on Friday, my card is ending 4242' } },
      })
    ).json;
    await t.call('POST', `/api/v1/conversations/${conv.id}/messages`, { body: { role: 'agent', text: 'Please send me your full card number and the security code.' } });
    expect((await t.call('GET', '/api/v1/conversations?q=orchard')).json.data).toHaveLength(1);

    const res = await t.call('POST', `/api/v1/customers/${id}/erasure`);
    expect(res.status).toBe(200);
    expect(res.json.removed.join(' ')).toMatch(/messages/);
    expect(res.json.kept.join(' ')).toMatch(/spend entries/);

    const customer = (await t.call('GET', `/api/v1/customers/${id}`)).json;
    expect(customer).toMatchObject({ emails: [], phones: [], externalId: null, attributes: {} });
    expect(customer.name).toMatch(/^\[erased /);
    expect(customer.erasedAt).not.toBeNull();
    const after = (await t.call('GET', `/api/v1/conversations/${conv.id}`)).json;
    expect(JSON.stringify(after)).not.toMatch(/Orchard|4242|Erin/);
    expect(after.listening.findings.length).toBeGreaterThan(0);
    for (const f of after.listening.findings) expect(f).toMatchObject({ evidence: customer.name, spans: [] });
    expect((await t.call('GET', '/api/v1/conversations?q=orchard')).json.data).toEqual([]);
    expect((await t.call('GET', `/api/v1/customers/${id}/spend`)).json.data).toHaveLength(1);
    const audit = await t.store.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).where('action', '=', 'customer.erased').execute();
    expect(audit).toHaveLength(1);
    expect((await t.call('POST', `/api/v1/customers/${id}/erasure`)).status).toBe(409);
  });

  it('is for compliance and admins only, and 404 across tenants', async () => {
    const id = await makeCustomer(t, t.a);
    const scoped = await t.call('POST', '/api/v1/tokens', { body: { name: 'support desk', scopes: ['customers:read', 'customers:write'] } });
    expect((await t.call('POST', `/api/v1/customers/${id}/erasure`, { as: { id: t.a.id, token: scoped.json.token } })).status).toBe(403);
    expect((await t.call('POST', `/api/v1/customers/${id}/erasure`, { as: t.b })).status).toBe(404);
  });
});
