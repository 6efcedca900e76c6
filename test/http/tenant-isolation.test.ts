import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer, startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
let customerB: string;
let conversationB: string;
beforeAll(async () => {
  t = await startTestApp();
  customerB = await makeCustomer(t, t.b, { name: 'Belongs to B', emails: ['b@example.com'] });
  const conv = await t.call('POST', '/api/v1/conversations', {
    as: t.b,
    body: { customerId: customerB, channel: 'chat', subject: 'Secret of B', message: { role: 'customer', text: 'private words of B' } },
  });
  conversationB = conv.json.id;
});
afterAll(async () => t?.close());

describe("tenant A cannot see or change tenant B's records", () => {
  const reads = () => [
    `/api/v1/customers/${customerB}`,
    `/api/v1/conversations/${conversationB}`,
  ];

  it('B itself gets 200 on the same requests (positive control)', async () => {
    for (const url of reads()) expect((await t.call('GET', url, { as: t.b })).status).toBe(200);
    const list = await t.call('GET', '/api/v1/conversations?q=secret', { as: t.b });
    expect(list.json.data.map((c: { id: string }) => c.id)).toContain(conversationB);
  });

  it('reads by id are 404 for A', async () => {
    for (const url of reads()) {
      const res = await t.call('GET', url, { as: t.a });
      expect(res.status).toBe(404);
      expect(res.body).not.toContain('Belongs to B');
    }
  });

  it("lists, filters and search never show B's rows to A", async () => {
    for (const url of ['/api/v1/customers', '/api/v1/customers?email=b@example.com', '/api/v1/conversations', `/api/v1/conversations?customerId=${customerB}`, '/api/v1/conversations?q=secret']) {
      const res = await t.call('GET', url, { as: t.a });
      expect(res.status).toBe(200);
      expect(res.body).not.toContain(customerB);
      expect(res.body).not.toContain(conversationB);
    }
  });

  it('changes are 404 for A and leave B untouched', async () => {
    expect((await t.call('PATCH', `/api/v1/customers/${customerB}`, { as: t.a, body: { name: 'Hijacked' } })).status).toBe(404);
    expect((await t.call('PATCH', `/api/v1/conversations/${conversationB}`, { as: t.a, body: { status: 'closed' } })).status).toBe(404);
    expect((await t.call('POST', `/api/v1/conversations/${conversationB}/messages`, { as: t.a, body: { role: 'agent', text: 'hi' } })).status).toBe(404);
    const refer = await t.call('POST', '/api/v1/conversations', { as: t.a, body: { customerId: customerB, channel: 'chat', subject: 'x' } });
    expect(refer.status).toBe(422);
    const b = await t.call('GET', `/api/v1/conversations/${conversationB}`, { as: t.b });
    expect(b.json.status).toBe('open');
    expect(b.json.messages).toHaveLength(1);
    expect((await t.call('GET', `/api/v1/customers/${customerB}`, { as: t.b })).json.name).toBe('Belongs to B');
  });
});
