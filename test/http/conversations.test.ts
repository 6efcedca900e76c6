import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer, startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
let customerId: string;
let agentId: string;
let teamId: string;
beforeAll(async () => {
  t = await startTestApp();
  customerId = await makeCustomer(t, t.a, { name: 'Chris Customer', emails: ['chris@example.com'] });
  teamId = (await t.call('POST', '/api/v1/teams', { body: { name: 'Billing' } })).json.id;
  agentId = (await t.call('POST', '/api/v1/agents', { body: { name: 'Alex Agent', email: 'alex@example.com', teamId } })).json.id;
});
afterAll(async () => t?.close());

const open = (body: Record<string, unknown> = {}) =>
  t.call('POST', '/api/v1/conversations', { body: { customerId, channel: 'chat', subject: 'Router keeps rebooting', ...body } });

describe('conversations and messages', () => {
  it('opens a conversation with its first message, and returns it with messages', async () => {
    const res = await open({ message: { role: 'customer', text: 'My router reboots every hour.' }, tags: ['hardware', 'hardware'] });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ status: 'open', channel: 'chat', tags: ['hardware'], firstReplyAt: null });
    expect(res.json.messages).toHaveLength(1);
    expect(res.json.waitingSince).toBe(res.json.messages[0].createdAt);
    expect(res.json.lastCustomerMessageAt).toBe(res.json.messages[0].createdAt);
  });

  it('keeps firstReplyAt, waitingSince and lastCustomerMessageAt current as messages arrive', async () => {
    const conv = (await open({ message: { role: 'customer', text: 'Hello?' } })).json;
    const post = (body: Record<string, unknown>) => t.call('POST', `/api/v1/conversations/${conv.id}/messages`, { body });
    const note = await post({ role: 'agent', text: 'Checking the line logs', visibility: 'internal', author: agentId });
    expect(note.status).toBe(201);
    let now = (await t.call('GET', `/api/v1/conversations/${conv.id}`)).json;
    expect(now.firstReplyAt).toBeNull(); // an internal note is not a reply
    const reply = (await post({ role: 'agent', text: 'I can see the drops; a new router is on its way.', author: agentId })).json;
    now = (await t.call('GET', `/api/v1/conversations/${conv.id}`)).json;
    expect(now.firstReplyAt).toBe(reply.createdAt);
    expect(now.waitingSince).toBeNull();
    await post({ role: 'agent', text: 'Tracking number: 123.', author: agentId });
    const back = (await post({ role: 'customer', text: 'Thanks, got it.' })).json;
    now = (await t.call('GET', `/api/v1/conversations/${conv.id}`)).json;
    expect(now.firstReplyAt).toBe(reply.createdAt);
    expect(now.waitingSince).toBe(back.createdAt);
    expect(now.lastCustomerMessageAt).toBe(back.createdAt);
    expect(now.messages.map((m: { text: string }) => m.text)).toEqual([
      'Hello?',
      'Checking the line logs',
      'I can see the drops; a new router is on its way.',
      'Tracking number: 123.',
      'Thanks, got it.',
    ]);
  });

  it('reopens a resolved conversation when the customer writes, and refuses customer messages once closed', async () => {
    const conv = (await open()).json;
    await t.call('PATCH', `/api/v1/conversations/${conv.id}`, { body: { status: 'resolved' } });
    await t.call('POST', `/api/v1/conversations/${conv.id}/messages`, { body: { role: 'customer', text: 'It happened again.' } });
    expect((await t.call('GET', `/api/v1/conversations/${conv.id}`)).json.status).toBe('open');
    await t.call('PATCH', `/api/v1/conversations/${conv.id}`, { body: { status: 'closed' } });
    const refused = await t.call('POST', `/api/v1/conversations/${conv.id}/messages`, { body: { role: 'customer', text: 'Hello?' } });
    expect(refused.status).toBe(409);
  });

  it('patches assignment, team, tags and severity, and checks the references', async () => {
    const conv = (await open()).json;
    const res = await t.call('PATCH', `/api/v1/conversations/${conv.id}`, { body: { assigneeId: agentId, teamId, tags: ['vip-free'], severity: 'high' } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ assigneeId: agentId, teamId, tags: ['vip-free'], severity: 'high' });
    const bad = await t.call('PATCH', `/api/v1/conversations/${conv.id}`, { body: { assigneeId: '00000000-0000-7000-8000-000000000001' } });
    expect(bad.status).toBe(422);
    expect(bad.json.errors).toEqual([{ pointer: '/assigneeId', detail: 'no such agent' }]);
    const cleared = await t.call('PATCH', `/api/v1/conversations/${conv.id}`, { body: { assigneeId: null } });
    expect(cleared.json.assigneeId).toBeNull();
  });

  it('filters by status, customer, assignee, team, channel and tag, and searches subjects and messages', async () => {
    const other = await makeCustomer(t, t.a, { name: 'Other' });
    const target = (
      await t.call('POST', '/api/v1/conversations', {
        body: { customerId: other, channel: 'email', subject: 'Invoice question', assigneeId: agentId, teamId, tags: ['billing'], message: { role: 'customer', text: 'Why was I charged twice for November?' } },
      })
    ).json;
    const ids = async (query: string) => (await t.call('GET', `/api/v1/conversations?${query}`)).json.data.map((c: { id: string }) => c.id);
    expect(await ids(`customerId=${other}`)).toEqual([target.id]);
    expect(await ids('channel=email&tag=billing')).toEqual([target.id]);
    expect(await ids(`assigneeId=${agentId}&status=open`)).toContain(target.id);
    expect(await ids(`teamId=${teamId}`)).toContain(target.id);
    expect(await ids('q=charged')).toEqual([target.id]); // stemmed: "charged" matches "charged"
    expect(await ids('q=charge')).toEqual([target.id]); // and the stem
    expect(await ids('q=invoice')).toEqual([target.id]); // the subject
    expect(await ids('q=%22charged%20twice%22')).toEqual([target.id]); // a phrase
    expect(await ids('q=refund')).toEqual([]);
  });

  it('analyses messages for listening as they are stored', async () => {
    const conv = (
      await t.call('POST', '/api/v1/conversations', {
        body: { customerId, channel: 'phone', subject: 'Card expired', message: { role: 'customer', text: 'My card expired. How do I update it?' } },
      })
    ).json;
    await t.call('POST', `/api/v1/conversations/${conv.id}/messages`, { body: { role: 'agent', text: 'Please send me your full card number and the security code.' } });
    const got = (await t.call('GET', `/api/v1/conversations/${conv.id}`)).json;
    expect(got.listening).not.toBeNull();
    expect(got.listening.listeningScore).toBeGreaterThanOrEqual(0);
    expect(got.messages[1].labels).toContain('sensitive_request');
    const finding = got.listening.findings.find((f: { type: string }) => f.type === 'sensitive_request_without_consent');
    expect(finding).toBeDefined();
    expect(finding.messageIds).toContain(got.messages[1].id);
  });

  it('queues an e-mail to the customer for a public agent reply on an e-mail conversation, not for notes', async () => {
    const conv = (await t.call('POST', '/api/v1/conversations', { body: { customerId, channel: 'email', subject: 'Bill' } })).json;
    await t.call('POST', `/api/v1/conversations/${conv.id}/messages`, { body: { role: 'agent', text: 'internal only', visibility: 'internal' } });
    await t.call('POST', `/api/v1/conversations/${conv.id}/messages`, { body: { role: 'agent', text: 'Your bill is fixed.' } });
    const jobs = await t.store.db.selectFrom('outbox').selectAll().where('tenant_id', '=', t.a.id).where('kind', '=', 'email.send').execute();
    const mine = jobs.filter((j) => (j.payload as { conversationId: string }).conversationId === conv.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.payload).toMatchObject({ to: 'chris@example.com', subject: 'Re: Bill', text: 'Your bill is fixed.' });
  });
});

describe('agents and teams', () => {
  it('creates, lists, filters by team and patches agents; e-mail unique per tenant', async () => {
    const team = (await t.call('POST', '/api/v1/teams', { body: { name: 'Retention' } })).json;
    const agent = await t.call('POST', '/api/v1/agents', { body: { name: 'Robin', email: 'Robin@Example.com', role: 'lead', teamId: team.id } });
    expect(agent.status).toBe(201);
    expect(agent.json).toMatchObject({ email: 'robin@example.com', role: 'lead', teamId: team.id });
    const dup = await t.call('POST', '/api/v1/agents', { body: { name: 'Robin 2', email: 'robin@example.com' } });
    expect(dup.status).toBe(409);
    expect(dup.json.errors[0].pointer).toBe('/email');
    const list = await t.call('GET', `/api/v1/agents?teamId=${team.id}`);
    expect(list.json.data.map((a: { id: string }) => a.id)).toEqual([agent.json.id]);
    const patched = await t.call('PATCH', `/api/v1/agents/${agent.json.id}`, { body: { role: 'admin', teamId: null } });
    expect(patched.json).toMatchObject({ role: 'admin', teamId: null });
    const badRole = await t.call('PATCH', `/api/v1/agents/${agent.json.id}`, { body: { role: 'king' } });
    expect(badRole.status).toBe(400);
  });

  it('team names are unique per tenant regardless of case, and can be renamed', async () => {
    const team = (await t.call('POST', '/api/v1/teams', { body: { name: 'Escalations' } })).json;
    expect((await t.call('POST', '/api/v1/teams', { body: { name: 'ESCALATIONS' } })).status).toBe(409);
    expect((await t.call('POST', '/api/v1/teams', { as: t.b, body: { name: 'Escalations' } })).status).toBe(201);
    const renamed = await t.call('PATCH', `/api/v1/teams/${team.id}`, { body: { name: 'Escalation desk' } });
    expect(renamed.json.name).toBe('Escalation desk');
    expect((await t.call('GET', `/api/v1/teams/${team.id}`)).json.name).toBe('Escalation desk');
  });
});

describe('the tenant', () => {
  it("returns the token's tenant", async () => {
    const res = await t.call('GET', '/api/v1/tenant');
    expect(res.json).toMatchObject({ id: t.a.id, slug: 'tenant-a', name: 'Tenant A' });
  });
});
