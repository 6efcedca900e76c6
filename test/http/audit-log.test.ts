import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer, startTestApp, type TestApp } from '../support/app.ts';

const EXAMPLE = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'charter.yaml'), 'utf8');
const PASSWORD = 'correct horse battery staple';

let t: TestApp;
let lead: string;
let customer: string;
let exception: string;
beforeAll(async () => {
  t = await startTestApp();
  expect((await t.call('POST', '/api/v1/charter/versions', { body: { source: EXAMPLE, effectiveAt: '2026-01-01T00:00:00Z' } })).status).toBe(201);
  lead = (await t.call('POST', '/api/v1/agents', { body: { name: 'Lena Lead', email: 'lead@a.example', role: 'lead' } })).json.id;
  customer = await makeCustomer(t, t.a, { name: 'Ada Audit' });
  await t.call('PATCH', `/api/v1/customers/${customer}`, { body: { attributes: { note: 'x' } } });
  const granted = await t.call('POST', '/api/v1/exceptions', {
    body: { customerId: customer, what: 'Engineer visit within 4h', reason: 'Office move', approverId: lead, expiresAt: new Date(Date.now() + 5 * 86_400_000).toISOString() },
  });
  expect(granted.status).toBe(201);
  exception = granted.json.id;
  // Tenant B has a log of its own.
  await makeCustomer(t, t.b, { name: 'Bea B' });
});
afterAll(async () => t?.close());

describe('GET /api/v1/audit', () => {
  it('lists the log newest first with seq, links and field names, never values', async () => {
    const res = await t.call('GET', '/api/v1/audit?limit=200');
    expect(res.status).toBe(200);
    const seqs = res.json.data.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x: number, y: number) => y - x));
    expect(seqs.at(-1)).toBe(1);
    const [newest, previous] = res.json.data;
    expect(newest.prevHash).toBe(previous.hash);
    const patched = res.json.data.find((e: { action: string }) => e.action === 'customer.updated');
    expect(patched).toMatchObject({ entityType: 'customer', entityId: customer, fields: ['attributes'] });
    expect(JSON.stringify(res.json)).not.toMatch(/Ada Audit|Office move|Engineer visit/);
    expect(res.json.nextCursor).toBeNull();
  });

  it('filters by an exact action, a prefix, entity type and id, actor and time', async () => {
    const prefix = await t.call('GET', '/api/v1/audit?action=exception.');
    expect(prefix.json.data).toHaveLength(1);
    expect(prefix.json.data[0]).toMatchObject({ action: 'exception.granted', entityType: 'charter_exception', entityId: exception });
    expect((await t.call('GET', '/api/v1/audit?action=exception.granted')).json.data).toHaveLength(1);
    expect((await t.call('GET', '/api/v1/audit?action=exception')).json.data).toHaveLength(0);
    const byEntity = await t.call('GET', `/api/v1/audit?entityType=customer&entityId=${customer}`);
    expect(byEntity.json.data.map((e: { action: string }) => e.action)).toEqual(['customer.updated', 'customer.created']);
    const actor = byEntity.json.data[0].actor as string;
    const byActor = await t.call('GET', `/api/v1/audit?actor=${encodeURIComponent(actor)}`);
    expect(byActor.json.data.length).toBeGreaterThan(2);
    for (const e of byActor.json.data) expect(e.actor).toBe(actor);
    expect((await t.call('GET', '/api/v1/audit?to=2000-01-01T00:00:00Z')).json.data).toEqual([]);
    expect((await t.call('GET', '/api/v1/audit?from=2000-01-01T00:00:00Z&action=exception.')).json.data).toHaveLength(1);
    const bad = await t.call('GET', '/api/v1/audit?action=DROP%20TABLE');
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].parameter).toBe('action');
  });

  it('treats LIKE wildcards in a prefix literally', async () => {
    // Eight underscores would match `customer.` if `_` were LIKE's any-character; here they are underscores.
    expect((await t.call('GET', '/api/v1/audit?action=customer.')).json.data.length).toBeGreaterThan(0);
    expect((await t.call('GET', '/api/v1/audit?action=________.')).json.data).toEqual([]);
  });

  it('names the agent who acted', async () => {
    await t.call('POST', `/api/v1/agents/${lead}/password`, { body: { password: PASSWORD } });
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ tenant: 'tenant-a', email: 'lead@a.example', password: PASSWORD }),
    });
    expect(signIn.statusCode).toBe(200);
    const res = await t.call('GET', `/api/v1/audit?actor=agent:${lead}`);
    expect(res.json.data[0]).toMatchObject({ actor: `agent:${lead}`, actorName: 'Lena Lead', action: 'agent.signed_in' });
  });

  it('pages by cursor on seq without gaps or repeats', async () => {
    const all = (await t.call('GET', '/api/v1/audit?limit=200')).json.data.map((e: { seq: number }) => e.seq);
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 50; i++) {
      const page: { json: { data: Array<{ seq: number }>; nextCursor: string | null } } = await t.call('GET', `/api/v1/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.json.data.map((e) => e.seq));
      cursor = page.json.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(all);
    const bad = await t.call('GET', '/api/v1/audit?cursor=bm9wZQ');
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].parameter).toBe('cursor');
  });

  it("shows another tenant none of A's entries", async () => {
    const mine = (await t.call('GET', '/api/v1/audit?limit=200')).json.data.map((e: { id: string }) => e.id);
    const theirs = await t.call('GET', '/api/v1/audit?limit=200', { as: t.b });
    expect(theirs.status).toBe(200);
    expect(theirs.json.data.length).toBeGreaterThan(0);
    for (const e of theirs.json.data) expect(mine).not.toContain(e.id);
    expect((await t.call('GET', `/api/v1/audit?entityId=${exception}`, { as: t.b })).json.data).toEqual([]);
    expect((await t.call('GET', `/api/v1/audit?entityId=${customer}`, { as: t.b })).json.data).toEqual([]);
  });

  it('is refused to an agent without audit:read and to a token without the scope', async () => {
    const agent = (await t.call('POST', '/api/v1/agents', { body: { name: 'Plain Agent', email: 'agent@a.example', role: 'agent' } })).json.id;
    await t.call('POST', `/api/v1/agents/${agent}/password`, { body: { password: PASSWORD } });
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ tenant: 'tenant-a', email: 'agent@a.example', password: PASSWORD }),
    });
    const cookie = signIn.cookies.find((c) => c.name === '__Host-fairdesk_session')!;
    for (const url of ['/api/v1/audit', '/api/v1/audit/verify']) {
      const res = await t.app.inject({ method: 'GET', url, headers: { cookie: `__Host-fairdesk_session=${cookie.value}` } });
      expect(res.statusCode).toBe(403);
    }
    const scoped = await t.call('POST', '/api/v1/tokens', { body: { name: 'desk', scopes: ['customers:read'] } });
    expect((await t.call('GET', '/api/v1/audit', { as: { id: t.a.id, token: scoped.json.token } })).status).toBe(403);
  });
});

describe('GET /api/v1/audit/verify', () => {
  it("walks this tenant's chain and names the first broken link", async () => {
    const good = await t.call('GET', '/api/v1/audit/verify');
    expect(good.status).toBe(200);
    const head = (await t.call('GET', '/api/v1/audit?limit=1')).json.data[0].seq;
    expect(good.json).toMatchObject({ ok: true, firstBroken: null, head, checked: head });

    // An edit made around the application (as the database owner) breaks the chain at that row.
    const victim = (await t.call('GET', '/api/v1/audit?action=exception.')).json.data[0];
    await sql`update audit_log set action = 'exception.revoked' where tenant_id = ${t.a.id} and id = ${victim.id}`.execute(t.store.db);
    const broken = await t.call('GET', '/api/v1/audit/verify');
    expect(broken.json.ok).toBe(false);
    expect(broken.json.firstBroken).toEqual({ seq: victim.seq, reason: 'the row does not match its hash (an edited row)' });
    // Tenant B's chain is its own and still whole.
    expect((await t.call('GET', '/api/v1/audit/verify', { as: t.b })).json).toMatchObject({ ok: true, firstBroken: null });
  });
});
