import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer, startTestApp, type TestApp } from '../support/app.ts';

const EXAMPLE = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'charter.yaml'), 'utf8');

let t: TestApp;
let teamId: string;
let lead: string;
let compliance: string;
let agent: string;
beforeAll(async () => {
  t = await startTestApp();
  expect((await t.call('POST', '/api/v1/charter/versions', { body: { source: EXAMPLE, effectiveAt: '2026-01-01T00:00:00Z' } })).status).toBe(201);
  teamId = (await t.call('POST', '/api/v1/teams', { body: { name: 'Support' } })).json.id;
  const make = async (name: string, role: string) => (await t.call('POST', '/api/v1/agents', { body: { name, email: `${name}@example.com`, role, teamId } })).json.id as string;
  lead = await make('lena', 'lead');
  compliance = await make('priya', 'compliance');
  agent = await make('amira', 'agent');
});
afterAll(async () => t?.close());

const days = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();

describe('exceptions: no unwritten exceptions', () => {
  it('records an exception within the policy, audited and listed', async () => {
    const customer = await makeCustomer(t, t.a);
    const res = await t.call('POST', '/api/v1/exceptions', {
      body: { customerId: customer, what: 'Engineer visit within 24h for the office move', reason: 'Home-based business moving on a fixed date', approverId: lead, expiresAt: days(10) },
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ customerId: customer, approverId: lead, active: true });
    const list = await t.call('GET', `/api/v1/exceptions?customerId=${customer}&active=true`);
    expect(list.json.data.map((e: { id: string }) => e.id)).toEqual([res.json.id]);
  });

  it('refuses an approver the policy does not allow, and an expiry beyond the longest duration', async () => {
    const customer = await makeCustomer(t, t.a);
    const res = await t.call('POST', '/api/v1/exceptions', {
      body: { customerId: customer, what: 'Priority', reason: 'Asked nicely', approverId: agent, expiresAt: days(45) },
    });
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([
      expect.objectContaining({ pointer: '/approverId', detail: expect.stringMatching(/only lead or compliance/) }),
      expect.objectContaining({ pointer: '/expiresAt', detail: expect.stringMatching(/at most 30 days/) }),
    ]);
    expect((await t.call('GET', `/api/v1/exceptions?customerId=${customer}`)).json.data).toEqual([]);
  });
});

describe('never dump a customer', () => {
  it('opens a root-cause case for the team lead at the third conversation in 14 days, and links them', async () => {
    const customer = await makeCustomer(t, t.a, { name: 'Frequent Fran' });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await t.call('POST', '/api/v1/conversations', { body: { customerId: customer, channel: 'phone', subject: `Dropouts again (${i + 1})`, teamId, tags: ['dropouts'] } })).json.id);
    }
    const cases = (await t.call('GET', `/api/v1/conversations?customerId=${customer}&tag=repeat-contact`)).json.data;
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ kind: 'root_cause', assigneeId: lead, status: 'open' });
    const links = await t.store.db.selectFrom('conversation_links').select('conversation_id').where('case_id', '=', cases[0].id).execute();
    expect(links.map((l) => l.conversation_id).sort()).toEqual([...ids].sort());
    // A fourth contact joins the same case.
    const fourth = (await t.call('POST', '/api/v1/conversations', { body: { customerId: customer, channel: 'chat', subject: 'Still dropping', teamId } })).json.id;
    expect((await t.call('GET', `/api/v1/conversations?customerId=${customer}&tag=repeat-contact`)).json.data).toHaveLength(1);
    const linked = await t.store.db.selectFrom('conversation_links').select('conversation_id').where('case_id', '=', cases[0].id).execute();
    expect(linked.map((l) => l.conversation_id)).toContain(fourth);
    // …and counts as failure demand in the parity report.
    const report = (await t.call('GET', '/api/v1/reports/parity')).json;
    expect(report.bands.reduce((n: number, b: { failureDemand: number }) => n + b.failureDemand, 0)).toBeGreaterThanOrEqual(4);
  });

  it('refuses closing an account for contact volume, citing the charter', async () => {
    const customer = await makeCustomer(t, t.a);
    for (const reason of ['too_many_contacts', 'contact_volume', 'calls_too_often']) {
      const res = await t.call('POST', `/api/v1/customers/${customer}/closure`, { body: { reason } });
      expect(res.status).toBe(422);
      expect(res.json.type).toBe('urn:fairdesk:problem:closure-refused');
      expect(res.json.detail).toMatch(/charter/);
    }
    const unknown = await t.call('POST', `/api/v1/customers/${customer}/closure`, { body: { reason: 'unprofitable' } });
    expect(unknown.status).toBe(422);
    expect(unknown.json.errors[0].detail).toMatch(/must be one of customer_request/);
    expect((await t.call('GET', `/api/v1/customers/${customer}`)).json.closedAt).toBeNull();
  });

  it('closes at once for a listed reason when no repeat-contact case is open', async () => {
    const customer = await makeCustomer(t, t.a);
    const res = await t.call('POST', `/api/v1/customers/${customer}/closure`, { body: { reason: 'customer_request' } });
    expect(res.status).toBe(201);
    expect(res.json.state).toBe('approved');
    expect((await t.call('GET', `/api/v1/customers/${customer}`)).json.closedAt).not.toBeNull();
  });

  it('while a repeat-contact case is open, a closure needs a lead and a compliance officer', async () => {
    const customer = await makeCustomer(t, t.a);
    for (let i = 0; i < 3; i++) await t.call('POST', '/api/v1/conversations', { body: { customerId: customer, channel: 'email', subject: `Bill wrong ${i}`, teamId } });
    const closure = (await t.call('POST', `/api/v1/customers/${customer}/closure`, { body: { reason: 'non_payment' } })).json;
    expect(closure.state).toBe('awaiting_approval');
    expect((await t.call('POST', `/api/v1/closures/${closure.id}/approve`, { body: { agentId: agent } })).status).toBe(422);
    const half = (await t.call('POST', `/api/v1/closures/${closure.id}/approve`, { body: { agentId: lead } })).json;
    expect(half.state).toBe('awaiting_approval');
    expect((await t.call('GET', `/api/v1/customers/${customer}`)).json.closedAt).toBeNull();
    const done = (await t.call('POST', `/api/v1/closures/${closure.id}/approve`, { body: { agentId: compliance } })).json;
    expect(done).toMatchObject({ state: 'approved', leadApproverId: lead, complianceApproverId: compliance });
    expect((await t.call('GET', `/api/v1/customers/${customer}`)).json.closedAt).not.toBeNull();
  });
});

describe('fair routing', () => {
  it('serves the conversation at risk of breaking the minimum first, whatever the customers spend', async () => {
    const team = (await t.call('POST', '/api/v1/teams', { body: { name: 'Routing' } })).json.id;
    const a1 = (await t.call('POST', '/api/v1/agents', { body: { name: 'R1', email: 'r1@example.com', teamId: team, maxOpen: 1 } })).json.id;
    const a2 = (await t.call('POST', '/api/v1/agents', { body: { name: 'R2', email: 'r2@example.com', teamId: team, maxOpen: 1 } })).json.id;
    await t.call('POST', '/api/v1/agents', { body: { name: 'R3', email: 'r3@example.com', teamId: team, available: false } });
    const rich = await makeCustomer(t, t.a, { name: 'Rich' });
    await t.call('POST', `/api/v1/customers/${rich}/spend`, { body: { amountMinor: 900000, currency: 'GBP', at: days(-20), source: 'billing', externalId: 'rich-1' } });
    const modest = await makeCustomer(t, t.a, { name: 'Modest' });
    const open = async (customerId: string, subject: string) =>
      (await t.call('POST', '/api/v1/conversations', { body: { customerId, channel: 'email', subject, teamId: team, message: { role: 'customer', text: subject } } })).json.id as string;
    const richWaitingLong = await open(rich, 'Rich, waiting longest');
    const modestAtRisk = await open(modest, 'Modest, nearly overdue');
    const modestFresh = await open(modest, 'Modest, just arrived');
    // Make the rich customer's conversation the longest waiting, and the modest one nearly overdue.
    await t.store.db.updateTable('conversations').set({ waiting_since: new Date(Date.now() - 3 * 86_400_000) }).where('id', '=', richWaitingLong).execute();
    await t.store.db
      .updateTable('conversations')
      .set({ created_at: new Date(Date.now() - 30 * 86_400_000), waiting_since: new Date(Date.now() - 60_000) })
      .where('id', '=', modestAtRisk)
      .execute();
    const res = await t.call('POST', `/api/v1/teams/${team}/assign`);
    expect(res.status).toBe(200);
    // Two agents with a cap of one each (the third is unavailable): the at-risk one, then the longest waiting.
    expect(res.json.assignments.map((x: { conversationId: string }) => x.conversationId)).toEqual([modestAtRisk, richWaitingLong]);
    expect(new Set(res.json.assignments.map((x: { agentId: string }) => x.agentId))).toEqual(new Set([a1, a2]));
    expect((await t.call('GET', `/api/v1/conversations/${modestFresh}`)).json.assigneeId).toBeNull();
    expect((await t.call('POST', `/api/v1/teams/${team}/assign`)).json.assignments).toEqual([]);
  });
});
