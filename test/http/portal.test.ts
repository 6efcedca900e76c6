import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer, startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
let alice: string;
let bob: string;
beforeAll(async () => {
  t = await startTestApp();
  alice = await makeCustomer(t, t.a, { name: 'Alice', emails: ['alice@example.com'] });
  bob = await makeCustomer(t, t.a, { name: 'Bob', emails: ['bob@example.com'] });
});
afterAll(async () => t?.close());

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });

/** Asks for a link and reads the token out of the e-mail the outbox would send. */
async function linkFor(email: string): Promise<string> {
  const res = await post('/api/v1/portal/tenant-a/magic-links', { email });
  expect(res.statusCode).toBe(202);
  const jobs = await t.store.db.selectFrom('outbox').select(['payload']).where('kind', '=', 'email.send').orderBy('id', 'desc').execute();
  const mail = jobs.map((j) => j.payload as { to: string; text: string }).find((p) => p.to === email)!;
  const match = /\/portal\/tenant-a\/confirm#(\S+)/.exec(mail.text);
  return match![1]!;
}

async function portalSession(email: string): Promise<string> {
  const res = await post('/api/v1/portal/tenant-a/sessions', { token: await linkFor(email) });
  expect(res.statusCode).toBe(200);
  const cookie = res.cookies.find((c) => c.name === '__Host-fairdesk_session')!;
  return `__Host-fairdesk_session=${cookie.value}`;
}

const get = (cookie: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
const write = (cookie: string, url: string, body: unknown, site: string | null = 'same-origin') =>
  post(url, body, { cookie, ...(site ? { 'sec-fetch-site': site } : {}) });

describe('portal sign-in by magic link', () => {
  it('answers the same whether or not the address is known, and mails only known ones', async () => {
    const before = (await t.store.db.selectFrom('outbox').select('id').execute()).length;
    const known = await post('/api/v1/portal/tenant-a/magic-links', { email: 'Alice@Example.com' });
    const unknown = await post('/api/v1/portal/tenant-a/magic-links', { email: 'stranger@example.com' });
    const noTenant = await post('/api/v1/portal/no-such-tenant/magic-links', { email: 'alice@example.com' });
    expect([known.statusCode, unknown.statusCode, noTenant.statusCode]).toEqual([202, 202, 202]);
    expect(unknown.body).toBe(known.body);
    expect(noTenant.body).toBe(known.body);
    expect((await t.store.db.selectFrom('outbox').select('id').execute()).length).toBe(before + 1);
  });

  it('works exactly once; the token is stored only as a hash', async () => {
    const token = await linkFor('alice@example.com');
    const rows = await t.store.db.selectFrom('magic_links').select('token_hash').execute();
    expect(rows.some((r) => r.token_hash === token)).toBe(false);
    expect((await post('/api/v1/portal/tenant-a/sessions', { token })).statusCode).toBe(200);
    const again = await post('/api/v1/portal/tenant-a/sessions', { token });
    expect(again.statusCode).toBe(401);
    expect(again.json().type).toBe('urn:fairdesk:problem:link-invalid');
  });

  it('expires after 15 minutes', async () => {
    const token = await linkFor('bob@example.com');
    await t.store.db.updateTable('magic_links').set({ expires_at: new Date(Date.now() - 1000) }).where('customer_id', '=', bob).where('used_at', 'is', null).execute();
    expect((await post('/api/v1/portal/tenant-a/sessions', { token })).statusCode).toBe(401);
  });

  it('serves a confirm page that signs in only on a button press, with no inline script', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/portal/tenant-a/confirm' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<script src="/portal/confirm.js"></script>');
    expect(page.body).not.toMatch(/<script>/);
    expect(String(page.headers['content-security-policy'])).toMatch(/script-src 'self'/);
  });
});

describe('a portal session reaches only its own customer', () => {
  it("shows my requests and what was said to me, never internal notes or another customer's", async () => {
    const cookie = await portalSession('alice@example.com');
    const mine = (await t.call('POST', '/api/v1/conversations', { body: { customerId: alice, channel: 'email', subject: 'My bill', message: { role: 'customer', text: 'Why so high?' } } })).json;
    await t.call('POST', `/api/v1/conversations/${mine.id}/messages`, { body: { role: 'agent', text: 'Customer seems upset, check contract', visibility: 'internal' } });
    await t.call('POST', `/api/v1/conversations/${mine.id}/messages`, { body: { role: 'agent', text: 'The price changed in March; here are your figures.' } });
    const theirs = (await t.call('POST', '/api/v1/conversations', { body: { customerId: bob, channel: 'email', subject: "Bob's secret" } })).json;

    const list = await get(cookie, '/api/v1/portal/tenant-a/conversations');
    expect(list.statusCode).toBe(200);
    expect(list.json().data.map((c: { id: string }) => c.id)).toEqual([mine.id]);
    const one = (await get(cookie, `/api/v1/portal/tenant-a/conversations/${mine.id}`)).json();
    expect(one.messages.map((m: { from: string; text: string }) => `${m.from}: ${m.text}`)).toEqual([
      'you: Why so high?',
      'us: The price changed in March; here are your figures.',
    ]);
    expect((await get(cookie, `/api/v1/portal/tenant-a/conversations/${theirs.id}`)).statusCode).toBe(404);
    expect((await write(cookie, `/api/v1/portal/tenant-a/conversations/${theirs.id}/messages`, { text: 'hi' })).statusCode).toBe(404);
    expect((await get(cookie, '/api/v1/portal/tenant-a/me')).json()).toMatchObject({ id: alice, name: 'Alice' });
  });

  it('starts a request and answers in it, from its own pages only', async () => {
    const cookie = await portalSession('alice@example.com');
    const started = await write(cookie, '/api/v1/portal/tenant-a/conversations', { subject: 'Router light red', text: 'Since this morning.' });
    expect(started.statusCode).toBe(201);
    expect(started.json()).toMatchObject({ channel: 'portal', subject: 'Router light red' });
    const reply = await write(cookie, `/api/v1/portal/tenant-a/conversations/${started.json().id}/messages`, { text: 'Still red.' });
    expect(reply.statusCode).toBe(201);
    expect((await write(cookie, '/api/v1/portal/tenant-a/conversations', { subject: 'Forged', text: 'x' }, 'cross-site')).statusCode).toBe(403);
    expect((await write(cookie, '/api/v1/portal/tenant-a/conversations', { subject: 'Forged', text: 'x' }, null)).statusCode).toBe(403);
  });

  it('is worthless for the staff API and for another tenant, and ends on sign-out', async () => {
    await makeCustomer(t, t.a, { name: 'Carol', emails: ['carol@example.com'] });
    const cookie = await portalSession('carol@example.com');
    expect((await get(cookie, '/api/v1/customers')).statusCode).toBe(401);
    expect((await get(cookie, `/api/v1/customers/${alice}`)).statusCode).toBe(401);
    const limited = await Promise.all(Array.from({ length: 6 }, () => post('/api/v1/portal/tenant-a/magic-links', { email: 'carol@example.com' })));
    expect(limited.map((r) => r.statusCode)).toContain(429); // the sixth link within 15 minutes is refused
    expect((await get(cookie, '/api/v1/portal/tenant-b/me')).statusCode).toBe(401);
    expect((await write(cookie, '/api/v1/portal/tenant-a/sign-out', {})).statusCode).toBe(200);
    expect((await get(cookie, '/api/v1/portal/tenant-a/me')).statusCode).toBe(401);
  });
});
