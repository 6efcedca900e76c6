import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer, startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

describe('customers API', () => {
  it('creates, reads and lists a customer in camelCase with ISO timestamps', async () => {
    const created = await t.call('POST', '/api/v1/customers', {
      body: { name: 'Ada Lovelace', emails: ['Ada@Example.com'], phones: ['+44 20 7946 0000'], externalId: 'crm-1', timeZone: 'Europe/London', locale: 'en-GB', attributes: { plan: 'Plus' } },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      name: 'Ada Lovelace',
      emails: ['ada@example.com'],
      externalId: 'crm-1',
      timeZone: 'Europe/London',
      attributes: { plan: 'Plus' },
    });
    expect(created.json.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const got = await t.call('GET', `/api/v1/customers/${created.json.id}`);
    expect(got.status).toBe(200);
    expect(got.json).toEqual(created.json);
    const byEmail = await t.call('GET', '/api/v1/customers?email=ADA@example.com');
    expect(byEmail.json.data.map((c: { id: string }) => c.id)).toEqual([created.json.id]);
  });

  it('patches as a JSON merge patch: absent fields stay, null clears, attributes merge', async () => {
    const id = await makeCustomer(t, t.a, { locale: 'en-GB', attributes: { plan: 'Basic', vip: false, region: 'north' } });
    const res = await t.call('PATCH', `/api/v1/customers/${id}`, {
      body: { locale: null, attributes: { vip: null, plan: 'Plus' } },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(res.status).toBe(200);
    expect(res.json.locale).toBeNull();
    expect(res.json.name).toBe('Test Customer');
    expect(res.json.attributes).toEqual({ plan: 'Plus', region: 'north' });
  });

  it('pages through a list with an opaque cursor, newest first, without repeats', async () => {
    const t2 = t;
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await makeCustomer(t2, t2.b, { name: `Paged ${i}` }));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t2.call('GET', `/api/v1/customers?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { as: t2.b });
      expect(res.status).toBe(200);
      expect(res.json.data.length).toBeLessThanOrEqual(3);
      seen.push(...res.json.data.map((c: { id: string }) => c.id));
      cursor = res.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it('refuses a second customer with the same external id (409 naming the field)', async () => {
    await makeCustomer(t, t.a, { externalId: 'dup-1' });
    const res = await t.call('POST', '/api/v1/customers', { body: { name: 'Other', externalId: 'dup-1' } });
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json.errors).toEqual([{ pointer: '/externalId', detail: 'is already used by another customer' }]);
  });

  it('writes an audit row for every change, naming fields and not values', async () => {
    const id = await makeCustomer(t, t.a, { name: 'Audited' });
    await t.call('PATCH', `/api/v1/customers/${id}`, { body: { name: 'Audited Again' } });
    const rows = await t.store.db
      .selectFrom('audit_log')
      .select(['action', 'fields', 'actor'])
      .where('tenant_id', '=', t.a.id)
      .where('entity_id', '=', id)
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.action)).toEqual(['customer.created', 'customer.updated']);
    expect(rows[1]!.fields).toEqual(['name']);
    expect(rows[0]!.actor).toMatch(/^token:/);
  });
});
