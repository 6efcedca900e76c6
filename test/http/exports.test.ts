import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordConsent } from '../../src/app/record-consent.ts';
import { makeCustomer, startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
let alice: string;
let bob: string;
let aliceConversation: string;
let bobConversation: string;
beforeAll(async () => {
  t = await startTestApp();
  // The parity, SLA and repeat-contact reports measure against a published charter.
  const charter = await t.call('POST', '/api/v1/charter/versions', {
    body: { source: readFileSync(new URL('../../examples/charter.yaml', import.meta.url), 'utf8'), effectiveAt: '2026-01-01T00:00:00Z' },
  });
  expect(charter.status).toBe(201);
  alice = await makeCustomer(t, t.a, { name: 'Alice Export', emails: ['alice.export@example.com'] });
  bob = await makeCustomer(t, t.a, { name: 'Bob Other', emails: ['bob.other@example.com'] });
  const conv = await t.call('POST', '/api/v1/conversations', {
    body: { customerId: alice, channel: 'email', subject: 'Router keeps dropping', message: { role: 'customer', text: 'My router drops every evening, please help.' } },
  });
  expect(conv.status).toBe(201);
  aliceConversation = conv.json.id;
  await t.call('POST', `/api/v1/conversations/${aliceConversation}/messages`, { body: { role: 'agent', text: 'Internal: line test booked.', visibility: 'internal' } });
  await t.call('PATCH', `/api/v1/conversations/${aliceConversation}`, { body: { status: 'resolved' } });
  const other = await t.call('POST', '/api/v1/conversations', { body: { customerId: bob, channel: 'chat', subject: 'Billing question', message: { role: 'customer', text: 'Why was I charged twice?' } } });
  bobConversation = other.json.id;
  const spend = await t.call('POST', `/api/v1/customers/${alice}/spend`, {
    body: { amountMinor: 2500, currency: 'EUR', at: new Date(Date.now() - 5 * 86_400_000).toISOString(), source: 'billing', externalId: 'alice-spend-1' },
  });
  expect(spend.status).toBe(201);
  await recordConsent(
    { db: t.store.db, tenantId: t.a.id, actor: 'test' },
    alice,
    { purpose: 'marketing_contact', status: 'granted', scope: 'product news', evidence: { screenVersion: 'x/1', shownText: 'News?' } },
  );
});
afterAll(async () => t?.close());

describe('GET /customers/:id/export (a data-subject access request)', () => {
  it("holds the customer's whole record and nobody else's, without stored secrets, and is logged and audited as a read", async () => {
    const res = await t.call('GET', `/api/v1/customers/${alice}/export`);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="customer-${alice}.json"`);
    const body = res.json;
    expect(body).toMatchObject({ format: 'fairdesk-customer-export/1', customerId: alice, customer: { id: alice, name: 'Alice Export', emails: ['alice.export@example.com'] } });
    expect(body.exportedBy).toMatch(/^token:/);
    expect(body.records.conversations.map((c: { id: string }) => c.id)).toEqual([aliceConversation]);
    // Messages follow their conversation (found through the foreign key), internal notes included.
    expect(body.records.messages.map((m: { text: string }) => m.text)).toEqual(['My router drops every evening, please help.', 'Internal: line test booked.']);
    expect(body.records.spendEntries).toHaveLength(1);
    expect(body.records.consents[0]).toMatchObject({ customerId: alice, purpose: 'marketing_contact', status: 'granted' });
    expect(body.auditTrail.map((a: { action: string }) => a.action)).toContain('customer.created');
    // Nothing of Bob's; no tenant ids or hashes of secrets.
    expect(res.body).not.toContain(bob);
    expect(res.body).not.toContain(bobConversation);
    expect(res.body).not.toContain('Why was I charged twice');
    expect(res.body).not.toMatch(/tokenHash|passwordHash|tenantId|"search"/);

    // The export is a read of the record (with who asked) and an audit row.
    const reads = await t.call('GET', `/api/v1/customers/${alice}/reads`);
    expect(reads.json.data[0]).toMatchObject({ what: 'export', actor: body.exportedBy });
    const audit = await t.call('GET', `/api/v1/audit?action=customer.exported&entityId=${alice}`);
    expect(audit.json.data).toHaveLength(1);
    expect(audit.json.data[0].actor).toBe(body.exportedBy);
    // The next export lists the first one among the reads.
    const again = await t.call('GET', `/api/v1/customers/${alice}/export`);
    expect(again.json.records.recordReads.map((r: { what: string }) => r.what)).toContain('export');
  });

  it('is for compliance and admins only (data:export), and a missing customer is 404', async () => {
    const scoped = await t.call('POST', '/api/v1/tokens', { body: { name: 'desk', scopes: ['customers:read', 'conversations:read'] } });
    const desk = { id: t.a.id, token: scoped.json.token as string };
    expect((await t.call('GET', `/api/v1/customers/${alice}/export`, { as: desk })).status).toBe(403);
    expect((await t.call('GET', '/api/v1/conversations/export', { as: desk })).status).toBe(403);
    const missing = await t.call('GET', '/api/v1/customers/01890000-0000-7000-8000-000000000000/export');
    expect(missing.status).toBe(404);
  });
});

describe('GET /conversations/export (JSON Lines)', () => {
  const lines = (body: string) =>
    body
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { id: string; status: string; messages: Array<{ text: string }> });

  it('streams one conversation with its messages per line, newest first, filtered by status, channel, customer and period', async () => {
    const all = await t.call('GET', '/api/v1/conversations/export');
    expect(all.status).toBe(200);
    expect(all.headers['content-type']).toContain('application/x-ndjson');
    const everything = lines(all.body);
    expect(everything.map((c) => c.id)).toEqual([bobConversation, aliceConversation]);
    // The same shape as GET /conversations/:id.
    const single = await t.call('GET', `/api/v1/conversations/${aliceConversation}`);
    expect(everything[1]).toEqual(single.json);

    expect(lines((await t.call('GET', '/api/v1/conversations/export?status=resolved')).body).map((c) => c.id)).toEqual([aliceConversation]);
    expect(lines((await t.call('GET', '/api/v1/conversations/export?channel=chat')).body).map((c) => c.id)).toEqual([bobConversation]);
    expect(lines((await t.call('GET', `/api/v1/conversations/export?customerId=${alice}`)).body).map((c) => c.id)).toEqual([aliceConversation]);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await t.call('GET', `/api/v1/conversations/export?from=${encodeURIComponent(future)}`)).body).toBe('');
    expect(lines((await t.call('GET', `/api/v1/conversations/export?to=${encodeURIComponent(future)}`)).body)).toHaveLength(2);

    const bad = await t.call('GET', '/api/v1/conversations/export?status=lost');
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].parameter).toBe('status');
    const audit = await t.call('GET', '/api/v1/audit?action=conversations.exported');
    expect(audit.json.data.length).toBeGreaterThanOrEqual(6);
  });
});

describe('every report as CSV', () => {
  it.each(['cancellations', 'listening', 'parity', 'sla', 'repeat-contacts', 'incentives'])('/reports/%s answers text/csv when asked', async (report) => {
    const res = await t.call('GET', `/api/v1/reports/${report}`, { headers: { accept: 'text/csv' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const [header, ...rows] = res.body.trimEnd().split('\n');
    expect(header).toMatch(/^[a-z_]+(,[a-z_0-9]+)*$/);
    for (const row of rows) expect(row.length).toBeGreaterThan(0);
    // JSON stays the default.
    expect((await t.call('GET', `/api/v1/reports/${report}`)).headers['content-type']).toContain('application/json');
  });

  it('puts the figures of the listening and cancellation reports in their columns', async () => {
    const json = (await t.call('GET', '/api/v1/reports/listening')).json;
    const csv = (await t.call('GET', '/api/v1/reports/listening', { headers: { accept: 'text/csv' } })).body.trimEnd().split('\n');
    expect(csv).toHaveLength(json.agents.length + 1);
    const cancellations = (await t.call('GET', '/api/v1/reports/cancellations', { headers: { accept: 'text/csv' } })).body.trimEnd().split('\n');
    const header = cancellations[0]!.split(',');
    expect(header.slice(0, 4)).toEqual(['from', 'to', 'channel', 'started']);
    expect(header).toContain('charges_after_cancellation_outstanding');
  });
});
