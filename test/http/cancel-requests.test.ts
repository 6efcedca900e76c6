import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshSlaClocks } from '../../src/app/refresh-sla-clocks.ts';
import { calendarFrom, endOfBusinessDay } from '../../src/domain/charter/business-hours.ts';
import { makeCustomer, startTestApp, type TestApp, type TestTenant } from '../support/app.ts';
import { onPostgres } from '../support/store.ts';

let t: TestApp;
let plan: string;
let planB: string;
const DAY = 86_400_000;
const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();

async function makePlan(as: TestTenant): Promise<string> {
  const product = (await t.call('POST', '/api/v1/products', { as, body: { name: 'Fax Line' } })).json.id as string;
  const res = await t.call('POST', '/api/v1/plans', { as, body: { productId: product, name: 'Pro', priceMinor: 1999, currency: 'EUR', interval: 'month', features: ['fax'] } });
  if (res.status !== 201) throw new Error(`plan: ${res.status} ${res.body}`);
  return res.json.id as string;
}

beforeAll(async () => {
  t = await startTestApp();
  plan = await makePlan(t.a);
  planB = await makePlan(t.b);
}, 60_000);
afterAll(async () => t?.close());

async function subscribe(customerId: string, as: TestTenant = t.a, planId = plan): Promise<{ id: string; reference: string }> {
  const res = await t.call('POST', '/api/v1/subscriptions', {
    as,
    body: { customerId, planId, startedAt: at(-400), currentPeriodStart: at(-10), currentPeriodEnd: at(20) },
  });
  if (res.status !== 201) throw new Error(`subscription: ${res.status} ${res.body}`);
  return res.json;
}

/** A customer (with `subscriptions` subscriptions) and a chat conversation opened with `text`. */
async function conversation(text: string, subscriptions = 1, as: TestTenant = t.a) {
  const customerId = await makeCustomer(t, as, { name: 'Cass Cancel', emails: ['cass@example.com'] });
  const subs = [];
  for (let i = 0; i < subscriptions; i++) subs.push(await subscribe(customerId, as, as === t.a ? plan : planB));
  const res = await t.call('POST', '/api/v1/conversations', { as, body: { customerId, channel: 'chat', subject: 'About my plan', message: { role: 'customer', text } } });
  if (res.status !== 201) throw new Error(`conversation: ${res.status} ${res.body}`);
  return { customerId, subs, conv: res.json };
}

const auditOf = (entityId: string) => t.store.db.selectFrom('audit_log').select(['action', 'fields']).where('entity_id', '=', entityId).orderBy('seq').execute();

describe(`cancel requests in conversations (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('a customer message labelled cancel_request opens a flag with its own clock; a repeat joins it; other messages do not', async () => {
    const { subs, conv } = await conversation('Please cancel my subscription.');
    const message = conv.messages[0];
    expect(message.labels).toContain('cancel_request');
    expect(conv.cancelRequest).toMatchObject({ status: 'open', messageId: message.id, subscriptionId: subs[0]!.id, requestedAt: message.createdAt, slaState: 'on_track' });
    // No charter in this tenant: due at the end of the UTC day it was asked on.
    const requested = new Date(message.createdAt);
    expect(conv.cancelRequest.dueAt).toBe(new Date(Date.UTC(requested.getUTCFullYear(), requested.getUTCMonth(), requested.getUTCDate() + 1)).toISOString());

    await t.call('POST', `/api/v1/conversations/${conv.id}/messages`, { body: { role: 'customer', text: 'I want to cancel. Now, please.' } });
    const open = await t.store.db.selectFrom('cancel_requests').select('id').where('conversation_id', '=', conv.id).execute();
    expect(open).toHaveLength(1);
    expect((await auditOf(conv.cancelRequest.id)).map((a) => a.action)).toEqual(['cancel_request.opened']);

    const quiet = await conversation('Hello, my invoice looks wrong.');
    expect(quiet.conv.cancelRequest).toBeNull();
    expect((await t.call('GET', `/api/v1/conversations/${quiet.conv.id}`)).json.cancelRequest).toBeNull();
  });

  it('carry-out cancels through the request and confirm use-cases with channel agent, no offer shown, and closes the flag with the reference', async () => {
    const { subs, conv } = await conversation('I want to cancel my subscription, it costs too much.');
    const res = await t.call('POST', `/api/v1/conversations/${conv.id}/cancel-request/carry-out`, { body: {} });
    expect(res.status, res.body).toBe(200);
    const { cancelRequest, confirmation } = res.json;
    expect(confirmation.reference).toMatch(/^CX-/);
    expect(cancelRequest).toMatchObject({ status: 'carried_out', cancellationReference: confirmation.reference, subscriptionId: subs[0]!.id, slaState: 'met', closedBy: expect.stringMatching(/^token:/) });
    const cancellation = (await t.call('GET', `/api/v1/cancellations/${cancelRequest.cancellationId}`)).json;
    expect(cancellation).toMatchObject({ channel: 'agent', status: 'confirmed', clarification: null, offer: null, reference: confirmation.reference });
    expect(cancellation.effectiveAt).toBe(confirmation.effectiveAt);
    expect((await t.call('GET', `/api/v1/conversations/${conv.id}`)).json.cancelRequest.status).toBe('carried_out');
    expect((await auditOf(cancelRequest.id)).map((a) => a.action)).toEqual(['cancel_request.opened', 'cancel_request.carried_out']);

    const again = await t.call('POST', `/api/v1/conversations/${conv.id}/cancel-request/carry-out`, { body: {} });
    expect(again.status).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
  });

  it('asks which subscription when the customer has several, and refuses one of another customer', async () => {
    const { subs, conv } = await conversation('Please cancel my subscription.', 2);
    expect(conv.cancelRequest.subscriptionId).toBeNull();
    const missing = await t.call('POST', `/api/v1/conversations/${conv.id}/cancel-request/carry-out`, { body: {} });
    expect(missing.status).toBe(422);
    expect(missing.json.errors).toEqual([expect.objectContaining({ pointer: '/subscriptionId' })]);
    const other = await conversation('Hello there.');
    const foreign = await t.call('POST', `/api/v1/conversations/${conv.id}/cancel-request/carry-out`, { body: { subscriptionId: other.subs[0]!.id } });
    expect(foreign.status).toBe(422);
    expect(foreign.json.errors).toEqual([expect.objectContaining({ pointer: '/subscriptionId' })]);
    const done = await t.call('POST', `/api/v1/conversations/${conv.id}/cancel-request/carry-out`, { body: { subscriptionId: subs[1]!.id, timing: 'immediate' } });
    expect(done.status, done.body).toBe(200);
    expect(done.json.cancelRequest.subscriptionId).toBe(subs[1]!.id);
    expect((await t.call('GET', `/api/v1/subscriptions/${subs[1]!.id}`)).json.status).toBe('cancelled');
    expect((await t.call('GET', `/api/v1/subscriptions/${subs[0]!.id}`)).json.status).toBe('active');
  });

  it('finishes a cancellation already under way instead of starting a second one', async () => {
    const { subs, conv } = await conversation('Please cancel my subscription.');
    const started = await t.call('POST', `/api/v1/subscriptions/${subs[0]!.id}/cancellations`, { body: { channel: 'portal' } });
    expect(started.status).toBe(201);
    const res = await t.call('POST', `/api/v1/conversations/${conv.id}/cancel-request/carry-out`, { body: {} });
    expect(res.status, res.body).toBe(200);
    expect(res.json.cancelRequest.cancellationId).toBe(started.json.id);
    expect(res.json.confirmation.reference).toBe(started.json.reference);
  });

  it('lets the agent clarify once, refuses a second clarification with 409, then carries out', async () => {
    const { conv } = await conversation('Please cancel my subscription, the price doubled!');
    const text = 'Your price goes from 19.99 to 21.99 a month on 1 March, not double. Shall I still cancel?';
    const first = await t.call('POST', `/api/v1/conversations/${conv.id}/cancel-request/clarify`, { body: { text } });
    expect(first.status, first.body).toBe(201);
    expect(first.json.message).toMatchObject({ role: 'agent', text, visibility: 'public', conversationId: conv.id });
    expect(first.json.cancelRequest).toMatchObject({ status: 'open', clarificationMessageId: first.json.message.id });
    const second = await t.call('POST', `/api/v1/conversations/${conv.id}/cancel-request/clarify`, { body: { text: 'And another thing…' } });
    expect(second.status).toBe(409);
    expect(second.headers['content-type']).toContain('application/problem+json');
    expect(second.json.errors).toEqual([expect.objectContaining({ pointer: '/text' })]);
    const messages = (await t.call('GET', `/api/v1/conversations/${conv.id}`)).json.messages;
    expect(messages.filter((m: { role: string }) => m.role === 'agent')).toHaveLength(1);
    const done = await t.call('POST', `/api/v1/conversations/${conv.id}/cancel-request/carry-out`, { body: {} });
    expect(done.status).toBe(200);
    expect(done.json.cancelRequest.clarificationMessageId).toBe(first.json.message.id);
  });

  it('dismisses only with a reason, audited; the open list shows what still waits', async () => {
    const { conv } = await conversation('Cancel my subscription please.');
    const listed = (await t.call('GET', '/api/v1/cancel-requests?status=open&limit=200')).json.data.map((r: { conversationId: string }) => r.conversationId);
    expect(listed).toContain(conv.id);
    const noReason = await t.call('POST', `/api/v1/conversations/${conv.id}/cancel-request/dismiss`, { body: {} });
    expect(noReason.status).toBe(400);
    expect(noReason.json.errors).toEqual([expect.objectContaining({ pointer: '/reason' })]);
    const blank = await t.call('POST', `/api/v1/conversations/${conv.id}/cancel-request/dismiss`, { body: { reason: '   ' } });
    expect(blank.status).toBe(400);
    const reason = 'The customer asked to cancel an order, not the subscription';
    const res = await t.call('POST', `/api/v1/conversations/${conv.id}/cancel-request/dismiss`, { body: { reason } });
    expect(res.status, res.body).toBe(200);
    expect(res.json).toMatchObject({ status: 'dismissed', dismissReason: reason, cancellationId: null });
    expect((await auditOf(res.json.id)).map((a) => a.action)).toEqual(['cancel_request.opened', 'cancel_request.dismissed']);
    const open = (await t.call('GET', '/api/v1/cancel-requests?status=open&limit=200')).json.data.map((r: { id: string }) => r.id);
    expect(open).not.toContain(res.json.id);
    const dismissed = (await t.call('GET', '/api/v1/cancel-requests?status=dismissed')).json.data.map((r: { id: string }) => r.id);
    expect(dismissed).toContain(res.json.id);
    expect((await t.call('POST', `/api/v1/conversations/${conv.id}/cancel-request/dismiss`, { body: { reason } })).status).toBe(409);
    expect((await t.call('GET', '/api/v1/cancel-requests?status=nope')).status).toBe(400);
  });

  it('goes at risk and then breached as time passes, with an sla.breached outbox event', async () => {
    const { conv } = await conversation('Please cancel my subscription.');
    const id = conv.cancelRequest.id as string;
    const requestedAt = new Date(conv.cancelRequest.requestedAt).getTime();
    const dueAt = new Date(conv.cancelRequest.dueAt).getTime();
    const atRisk = await refreshSlaClocks(t.store.db, new Date(requestedAt + (dueAt - requestedAt) * 0.8));
    expect(atRisk.cancelRequests.changed).toBeGreaterThanOrEqual(1);
    expect((await t.call('GET', `/api/v1/conversations/${conv.id}`)).json.cancelRequest.slaState).toBe('at_risk');
    const late = await refreshSlaClocks(t.store.db, new Date(dueAt + 1000));
    expect(late.cancelRequests.breached).toBeGreaterThanOrEqual(1);
    expect((await t.call('GET', `/api/v1/conversations/${conv.id}`)).json.cancelRequest.slaState).toBe('breached');
    const events = await t.store.db.selectFrom('outbox').select(['kind', 'payload']).where('kind', '=', 'sla.breached').execute();
    expect(events.map((e) => e.payload)).toContainEqual(expect.objectContaining({ clock: 'cancel_request', cancelRequestId: id, conversationId: conv.id }));
    expect((await auditOf(id)).map((a) => a.action)).toEqual(['cancel_request.opened', 'cancel_request.sla.at_risk', 'cancel_request.sla.breached']);
    // Carried out late, it stays breached.
    const done = await t.call('POST', `/api/v1/conversations/${conv.id}/cancel-request/carry-out`, { body: {} });
    expect(done.status).toBe(200);
    expect(done.json.cancelRequest.slaState).toBe('breached');
  });

  it("is due at the charter's closing time when the tenant has a charter", async () => {
    const source = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'charter.yaml'), 'utf8');
    const published = await t.call('POST', '/api/v1/charter/versions', { as: t.b, body: { source, effectiveAt: '2026-01-01T00:00:00Z' } });
    expect(published.status, published.body).toBe(201);
    const { conv } = await conversation('Please cancel my subscription.', 1, t.b);
    const calendar = calendarFrom(parse(source).businessHours);
    expect(conv.cancelRequest.dueAt).toBe(endOfBusinessDay(new Date(conv.cancelRequest.requestedAt), calendar).toISOString());
  });

  it('is not reachable from another tenant', async () => {
    const { conv } = await conversation('Please cancel my subscription.');
    for (const action of ['carry-out', 'clarify', 'dismiss']) {
      const res = await t.call('POST', `/api/v1/conversations/${conv.id}/cancel-request/${action}`, { as: t.b, body: action === 'clarify' ? { text: 'x' } : action === 'dismiss' ? { reason: 'x' } : {} });
      expect(res.status).toBe(404);
    }
    const listed = (await t.call('GET', '/api/v1/cancel-requests', { as: t.b })).json.data.map((r: { conversationId: string }) => r.conversationId);
    expect(listed).not.toContain(conv.id);
  });
});
