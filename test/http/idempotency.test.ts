import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { claimIdempotencyKey } from '../../src/db/repositories/idempotency.ts';
import { IDEMPOTENCY_KEY_HOURS, purgeExpiredIdempotencyKeys } from '../../src/app/purge-idempotency-keys.ts';
import { makeCustomer, startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const customersNamed = async (name: string) =>
  (await t.store.db.selectFrom('customers').select('id').where('tenant_id', '=', t.a.id).where('name', '=', name).execute()).length;

describe('Idempotency-Key on creates', () => {
  it('the same key and body twice creates one record and replays the first answer', async () => {
    const send = () => t.call('POST', '/api/v1/customers', { body: { name: 'Once Only' }, headers: { 'idempotency-key': 'key-1' } });
    const first = await send();
    const second = await send();
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.json).toEqual(first.json);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await customersNamed('Once Only')).toBe(1);
  });

  it('concurrent retries with one key still create one record', async () => {
    const send = () => t.call('POST', '/api/v1/customers', { body: { name: 'Racing' }, headers: { 'idempotency-key': 'key-race' } });
    const answers = await Promise.all(Array.from({ length: 8 }, send));
    expect(answers.every((a) => a.status === 201 || a.status === 409)).toBe(true);
    expect(answers.some((a) => a.status === 201)).toBe(true);
    expect(await customersNamed('Racing')).toBe(1);
  });

  it('the same key with a different body is 422', async () => {
    await t.call('POST', '/api/v1/customers', { body: { name: 'First Body' }, headers: { 'idempotency-key': 'key-2' } });
    const res = await t.call('POST', '/api/v1/customers', { body: { name: 'Second Body' }, headers: { 'idempotency-key': 'key-2' } });
    expect(res.status).toBe(422);
    expect(res.json.errors[0].parameter).toBe('Idempotency-Key');
    expect(await customersNamed('Second Body')).toBe(0);
  });

  it('a key whose first request is still in flight is 409 with Retry-After', async () => {
    const body = { name: 'In Flight' };
    const { canonicalJson } = await import('../../src/http/idempotency.ts');
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update(canonicalJson({ name: 'In Flight', emails: [], phones: [], attributes: {} })).digest('hex');
    await claimIdempotencyKey(t.store.db, { tenantId: t.a.id, route: 'customers.create', key: 'key-3' }, hash, 60_000);
    const res = await t.call('POST', '/api/v1/customers', { body, headers: { 'idempotency-key': 'key-3' } });
    expect(res.status).toBe(409);
    expect(res.headers['retry-after']).toBe('1');
    expect(await customersNamed('In Flight')).toBe(0);
  });

  it('a failed request gives its key back, so a corrected retry succeeds', async () => {
    const bad = await t.call('POST', '/api/v1/conversations', {
      body: { customerId: '00000000-0000-7000-8000-000000000000', channel: 'chat', subject: 'x' },
      headers: { 'idempotency-key': 'key-4' },
    });
    expect(bad.status).toBe(422);
    const customerId = await makeCustomer(t, t.a);
    const good = await t.call('POST', '/api/v1/conversations', {
      body: { customerId, channel: 'chat', subject: 'x' },
      headers: { 'idempotency-key': 'key-5' },
    });
    expect(good.status).toBe(201);
  });

  it('keys are scoped to the tenant: B may use the key A used', async () => {
    const a = await t.call('POST', '/api/v1/customers', { body: { name: 'Shared Key' }, headers: { 'idempotency-key': 'key-shared' } });
    const b = await t.call('POST', '/api/v1/customers', { as: t.b, body: { name: 'Shared Key' }, headers: { 'idempotency-key': 'key-shared' } });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.json.id).not.toBe(a.json.id);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
  });

  it('works for conversations and messages too', async () => {
    const customerId = await makeCustomer(t, t.a);
    const conv = await t.call('POST', '/api/v1/conversations', { body: { customerId, channel: 'email', subject: 'Hello' } });
    const post = () =>
      t.call('POST', `/api/v1/conversations/${conv.json.id}/messages`, { body: { role: 'customer', text: 'Hi there' }, headers: { 'idempotency-key': 'msg-1' } });
    const [m1, m2] = [await post(), await post()];
    expect(m2.json.id).toBe(m1.json.id);
    const got = await t.call('GET', `/api/v1/conversations/${conv.json.id}`);
    expect(got.json.messages).toHaveLength(1);
  });

  it('keeps keys at least 24 hours, and forgets them after the retention period', async () => {
    await t.call('POST', '/api/v1/customers', { body: { name: 'Kept Key' }, headers: { 'idempotency-key': 'old-key' } });
    await t.call('POST', '/api/v1/customers', { body: { name: 'Young Key' }, headers: { 'idempotency-key': 'young-key' } });
    const age = (key: string, hours: number) =>
      t.store.db.updateTable('idempotency_keys').set({ created_at: sql`now() - ${`${hours} hours`}::interval` }).where('key', '=', key).execute();
    await age('old-key', IDEMPOTENCY_KEY_HOURS + 1);
    await age('young-key', 25);
    expect(await purgeExpiredIdempotencyKeys(t.store.db)).toBeGreaterThanOrEqual(1);
    const left = (await t.store.db.selectFrom('idempotency_keys').select('key').where('key', 'in', ['old-key', 'young-key']).execute()).map((r) => r.key);
    expect(left).toEqual(['young-key']);
  });
});
