import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer, startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

async function countRows(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['customers', 'conversations', 'messages', 'audit_log', 'idempotency_keys', 'outbox'] as const) {
    const row = await t.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

describe('bad input gets a 4xx problem+json naming the problem, and writes nothing', () => {
  const cases: Array<{ name: string; method: 'POST' | 'PATCH' | 'GET'; url: string | (() => Promise<string>); body?: unknown; rawBody?: string; headers?: Record<string, string>; status: number; expectErrors?: Array<Record<string, string>> }> = [
    { name: 'malformed JSON', method: 'POST', url: '/api/v1/customers', rawBody: '{"name": "x",', status: 400, expectErrors: [{ pointer: '/' }] },
    { name: 'wrong type', method: 'POST', url: '/api/v1/customers', body: { name: 42 }, status: 400, expectErrors: [{ pointer: '/name' }] },
    { name: 'wrong type in an array', method: 'POST', url: '/api/v1/customers', body: { name: 'x', emails: ['not-an-email'] }, status: 400, expectErrors: [{ pointer: '/emails/0' }] },
    { name: 'unknown field', method: 'POST', url: '/api/v1/customers', body: { name: 'x', nickname: 'y' }, status: 400, expectErrors: [{ pointer: '/nickname', detail: 'is not a known field' }] },
    { name: 'missing required field', method: 'POST', url: '/api/v1/customers', body: {}, status: 400, expectErrors: [{ pointer: '/name' }] },
    { name: 'bad time zone', method: 'POST', url: '/api/v1/customers', body: { name: 'x', timeZone: 'Mars/Olympus' }, status: 400, expectErrors: [{ pointer: '/timeZone' }] },
    { name: 'oversize body', method: 'POST', url: '/api/v1/customers', rawBody: JSON.stringify({ name: 'x', attributes: { blob: 'y'.repeat(1_100_000) } }), status: 413 },
    { name: 'bad id', method: 'GET', url: '/api/v1/customers/not-a-uuid', status: 400, expectErrors: [{ parameter: 'id' }] },
    { name: 'unknown id', method: 'GET', url: '/api/v1/customers/00000000-0000-7000-8000-000000000000', status: 404 },
    { name: 'bad query parameter', method: 'GET', url: '/api/v1/conversations?status=sleeping', status: 400, expectErrors: [{ parameter: 'status' }] },
    { name: 'unknown query parameter', method: 'GET', url: '/api/v1/conversations?colour=red', status: 400, expectErrors: [{ parameter: 'colour' }] },
    { name: 'bad cursor', method: 'GET', url: '/api/v1/customers?cursor=bm9wZQ', status: 400, expectErrors: [{ parameter: 'cursor' }] },
    { name: 'limit out of range', method: 'GET', url: '/api/v1/customers?limit=100000', status: 400, expectErrors: [{ parameter: 'limit' }] },
    { name: 'not JSON', method: 'POST', url: '/api/v1/customers', rawBody: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415 },
    { name: 'unknown route', method: 'GET', url: '/api/v1/nothing-here', status: 404 },
    { name: 'message to a conversation that does not exist', method: 'POST', url: '/api/v1/conversations/00000000-0000-7000-8000-000000000000/messages', body: { role: 'customer', text: 'hi' }, status: 404 },
    {
      name: 'conversation for a customer that does not exist',
      method: 'POST',
      url: '/api/v1/conversations',
      body: { customerId: '00000000-0000-7000-8000-000000000000', channel: 'chat', subject: 'Hi', message: { role: 'customer', text: 'hello' } },
      status: 422,
      expectErrors: [{ pointer: '/customerId', detail: 'no such customer' }],
    },
    {
      name: 'half-bad conversation (valid customer, bad first message)',
      method: 'POST',
      url: '/api/v1/conversations',
      body: { customerId: '00000000-0000-7000-8000-000000000000', channel: 'chat', subject: 'Hi', message: { role: 'robot', text: 'hello' } },
      status: 400,
      expectErrors: [{ pointer: '/message/role' }],
    },
    { name: 'patch with a wrong type', method: 'PATCH', url: async () => `/api/v1/customers/${await makeCustomer(t, t.a)}`, body: { emails: 'a@b.c' }, status: 400, expectErrors: [{ pointer: '/emails' }] },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const url = typeof c.url === 'string' ? c.url : await c.url();
      const before = await countRows();
      const res = await t.call(c.method, url, { body: c.body, rawBody: c.rawBody, headers: { 'idempotency-key': `k-${c.name}`, ...c.headers } });
      expect(res.status).toBe(c.status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json).toMatchObject({ status: c.status, title: expect.any(String), detail: expect.any(String), type: expect.stringMatching(/^urn:fairdesk:problem:/) });
      if (c.expectErrors) {
        for (const expected of c.expectErrors) expect(res.json.errors).toContainEqual(expect.objectContaining(expected));
      }
      expect(await countRows()).toEqual(before);
    });
  }

  it('answers 401 problem+json without a token or with a wrong one', async () => {
    for (const as of [null, { id: 'x', token: 'fd_wrong' }]) {
      const res = await t.call('GET', '/api/v1/customers', { as });
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });
});
