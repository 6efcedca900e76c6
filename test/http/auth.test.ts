import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
const agents: Record<string, string> = {};
const PASSWORD = 'correct horse battery staple';
beforeAll(async () => {
  t = await startTestApp();
  for (const role of ['agent', 'lead', 'compliance', 'admin']) {
    agents[role] = (await t.call('POST', '/api/v1/agents', { body: { name: `The ${role}`, email: `${role}@a.example`, role } })).json.id;
    const set = await t.call('POST', `/api/v1/agents/${agents[role]}/password`, { body: { password: PASSWORD } });
    expect(set.status).toBe(204);
  }
});
afterAll(async () => t?.close());

const signIn = (email: string, password = PASSWORD, tenant = 'tenant-a') =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ tenant, email, password }) });

async function session(role: string): Promise<string> {
  const res = await signIn(`${role}@a.example`);
  expect(res.statusCode).toBe(200);
  const cookie = res.cookies.find((c) => c.name === '__Host-fairdesk_session')!;
  expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
  return `__Host-fairdesk_session=${cookie.value}`;
}

const asSession = (cookie: string, method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown, site: string | null = 'same-origin') =>
  t.app.inject({
    method,
    url,
    headers: { cookie, ...(site ? { 'sec-fetch-site': site } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });

describe('agent sign-in and sessions', () => {
  it('signs in, knows who is signed in, and audits the sign-in', async () => {
    const cookie = await session('agent');
    const me = await asSession(cookie, 'GET', '/api/v1/auth/session');
    expect(me.statusCode).toBe(200);
    expect(me.json().agent).toMatchObject({ id: agents.agent, role: 'agent' });
    expect(me.headers['cache-control']).toBe('no-store');
    const audit = await t.store.db.selectFrom('audit_log').select('action').where('entity_id', '=', agents.agent!).where('action', '=', 'agent.signed_in').execute();
    expect(audit.length).toBeGreaterThanOrEqual(1);
  });

  it('gives the same answer for an unknown tenant, an unknown e-mail and a wrong password', async () => {
    const answers = await Promise.all([signIn('agent@a.example', PASSWORD, 'no-such-tenant'), signIn('nobody@a.example'), signIn('lead@a.example', 'wrong password!')]);
    for (const a of answers) {
      expect(a.statusCode).toBe(401);
      expect(a.json().detail).toBe('the e-mail address or the password is wrong');
    }
  });

  it('throttles repeated wrong passwords with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 7; i++) {
      const res = await signIn('compliance@a.example', `wrong-${i}`);
      statuses.push(res.statusCode);
      if (res.statusCode === 429) retryAfter = String(res.headers['retry-after']);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('refuses a signed-in change that does not come from our own pages', async () => {
    const cookie = await session('admin');
    const cross = await asSession(cookie, 'POST', '/api/v1/customers', { name: 'Forged' }, 'cross-site');
    expect(cross.statusCode).toBe(403);
    expect(cross.json().type).toBe('urn:fairdesk:problem:cross-site');
    const noHeader = await asSession(cookie, 'POST', '/api/v1/customers', { name: 'Forged' }, null);
    expect(noHeader.statusCode).toBe(403);
    const own = await asSession(cookie, 'POST', '/api/v1/customers', { name: 'Genuine' });
    expect(own.statusCode).toBe(201);
  });

  it('decides by role in the one policy: an agent may not publish the charter or read reports; a lead may read reports', async () => {
    const agent = await session('agent');
    expect((await asSession(agent, 'POST', '/api/v1/charter/versions', { source: 'name: x' })).statusCode).toBe(403);
    expect((await asSession(agent, 'GET', '/api/v1/reports/listening')).statusCode).toBe(403);
    const lead = await session('lead');
    expect((await asSession(lead, 'GET', '/api/v1/reports/listening')).statusCode).toBe(200);
    expect((await asSession(lead, 'POST', '/api/v1/tokens', { name: 'x', scopes: ['*'] })).statusCode).toBe(403);
  });

  it('ends a session at once on sign-out, and every session on sign-out-everywhere', async () => {
    const one = await session('lead');
    const two = await session('lead');
    expect((await asSession(one, 'POST', '/api/v1/auth/sign-out')).statusCode).toBe(200);
    expect((await asSession(one, 'GET', '/api/v1/auth/session')).statusCode).toBe(401);
    expect((await asSession(two, 'GET', '/api/v1/auth/session')).statusCode).toBe(200);
    const three = await session('lead');
    const ended = await asSession(three, 'POST', '/api/v1/auth/sign-out-everywhere');
    expect(ended.json().ended).toBeGreaterThanOrEqual(2);
    expect((await asSession(two, 'GET', '/api/v1/auth/session')).statusCode).toBe(401);
  });

  it('a session of tenant A is worthless for tenant B, even with B’s tenant id spliced in', async () => {
    const cookie = await session('admin');
    const forged = cookie.replace(/=([^.]+)\./, `=${t.b.id}.`);
    expect((await asSession(forged, 'GET', '/api/v1/customers')).statusCode).toBe(401);
  });

  it('lets an agent change their own password only with the current one, and ends their other sessions', async () => {
    const cookie = await session('agent');
    const wrong = await asSession(cookie, 'POST', `/api/v1/agents/${agents.agent}/password`, { password: 'a brand new passphrase', currentPassword: 'nope' });
    expect(wrong.statusCode).toBe(422);
    const other = await asSession(cookie, 'POST', `/api/v1/agents/${agents.lead}/password`, { password: 'a brand new passphrase' });
    expect(other.statusCode).toBe(403);
    const ok = await asSession(cookie, 'POST', `/api/v1/agents/${agents.agent}/password`, { password: 'a brand new passphrase', currentPassword: PASSWORD });
    expect(ok.statusCode).toBe(204);
    expect((await asSession(cookie, 'GET', '/api/v1/auth/session')).statusCode).toBe(401);
    expect((await signIn('agent@a.example', 'a brand new passphrase')).statusCode).toBe(200);
  });
});

describe('API tokens with scopes', () => {
  it('issues a scoped token that can only do what its scopes say, and is refused at once when revoked', async () => {
    const created = await t.call('POST', '/api/v1/tokens', { body: { name: 'CRM sync', scopes: ['customers:read'] } });
    expect(created.status).toBe(201);
    expect(created.json.token).toMatch(/^fd_/);
    const scoped = { id: t.a.id, token: created.json.token as string };
    expect((await t.call('GET', '/api/v1/customers', { as: scoped })).status).toBe(200);
    const write = await t.call('POST', '/api/v1/customers', { as: scoped, body: { name: 'Nope' } });
    expect(write.status).toBe(403);
    expect(write.json.detail).toMatch(/customers:write/);
    const listed = (await t.call('GET', '/api/v1/tokens')).json.data.find((x: { id: string }) => x.id === created.json.id);
    expect(listed).toMatchObject({ name: 'CRM sync', scopes: ['customers:read'], revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(created.json.token);
    expect((await t.call('POST', `/api/v1/tokens/${created.json.id}/revoke`)).json.revokedAt).not.toBeNull();
    expect((await t.call('GET', '/api/v1/customers', { as: scoped })).status).toBe(401);
  });

  it('refuses unknown scopes and past expiry, and B cannot revoke A’s token', async () => {
    const bad = await t.call('POST', '/api/v1/tokens', { body: { name: 'x', scopes: ['root'] } });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0].pointer).toBe('/scopes');
    const past = await t.call('POST', '/api/v1/tokens', { body: { name: 'x', scopes: ['*'], expiresAt: '2020-01-01T00:00:00Z' } });
    expect(past.status).toBe(422);
    const mine = (await t.call('POST', '/api/v1/tokens', { body: { name: 'mine', scopes: ['*'] } })).json;
    expect((await t.call('POST', `/api/v1/tokens/${mine.id}/revoke`, { as: t.b })).status).toBe(404);
  });
});
