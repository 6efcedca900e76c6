import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer, startTestApp, type TestApp } from '../support/app.ts';

const EXAMPLE = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'charter.yaml'), 'utf8');
// A 24/7 variant makes due times easy to reason about: business time is wall-clock time.
const ALWAYS_OPEN = EXAMPLE.replace(/weekly:\n(?:\s+(?:#.*|\w+: .*)\n)+/, (m) =>
  m.replace(/(mon|tue|wed|thu|fri|sat): \[.*\].*\n/g, '$1: ["00:00-24:00"]\n').replace(/ {4}# Sunday.*\n/, '    sun: ["00:00-24:00"]\n'),
).replace(/ {2}holidays:\n(?:\s+- \{.*\}\n)+/, '  holidays: []\n');

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const publish = (source: string, extra: Record<string, unknown> = {}) =>
  t.call('POST', '/api/v1/charter/versions', { body: { source, effectiveAt: '2026-01-01T00:00:00Z', ...extra } });

describe('the service charter', () => {
  it('refuses an invalid charter with every error at its line and column, and publishes nothing', async () => {
    const broken = EXAMPLE.replace('timeZone: Europe/London', 'timeZone: Europe/Atlantis').replace('attainment: 0.95', 'attainment: lots');
    const res = await publish(broken);
    expect(res.status).toBe(422);
    expect(res.json.errors.length).toBeGreaterThanOrEqual(2);
    const lines = broken.split('\n');
    for (const e of res.json.errors) {
      expect(e.pointer).toBe('/source');
      expect(e.line).toBeGreaterThan(0);
      expect(e.detail).toMatch(/^line \d+, column \d+/);
    }
    const tz = res.json.errors.find((e: { detail: string }) => e.detail.includes('businessHours.timeZone'));
    expect(lines[tz.line - 1]).toContain('Europe/Atlantis');
    expect((await t.call('GET', '/api/v1/charter/versions')).json.data).toEqual([]);
  });

  it('publishes versions 1, 2 … and serves the one in effect, privately and publicly', async () => {
    const v1 = await publish(EXAMPLE, { changeNote: 'First charter' });
    expect(v1.status).toBe(201);
    expect(v1.json).toMatchObject({ version: 1, changeNote: 'First charter', effectiveAt: '2026-01-01T00:00:00.000Z' });
    const current = await t.call('GET', '/api/v1/charter');
    expect(current.json.version).toBe(1);
    const pub = await t.call('GET', '/api/v1/public/tenant-a/charter', { as: null });
    expect(pub.status).toBe(200);
    expect(pub.json).toMatchObject({ tenant: { slug: 'tenant-a', name: 'Tenant A' }, version: 1 });
    expect((await t.call('GET', '/api/v1/public/no-such-tenant/charter', { as: null })).status).toBe(404);
    expect((await t.call('GET', '/api/v1/charter', { as: t.b })).status).toBe(404);
  });

  it('never changes a published version, even through the database', async () => {
    await expect(t.store.db.updateTable('charter_versions').set({ source: 'tampered' }).where('tenant_id', '=', t.a.id).execute()).rejects.toThrow(/append-only/);
    await expect(t.store.db.deleteFrom('charter_versions').where('tenant_id', '=', t.a.id).execute()).rejects.toThrow(/append-only/);
    expect((await t.call('GET', '/api/v1/charter/versions/1')).json.source).toBe(EXAMPLE);
  });

  it('explains entitlements: a no-spend customer gets the minimum, a high spender the tier, with reasons', async () => {
    const none = await makeCustomer(t, t.a, { name: 'Nora No-spend' });
    const big = await makeCustomer(t, t.a, { name: 'Bill Big-spend' });
    await t.call('POST', `/api/v1/customers/${big}/spend`, {
      body: { amountMinor: 243000, currency: 'GBP', at: new Date(Date.now() - 30 * 86_400_000).toISOString(), source: 'billing', externalId: 'big-1' },
    });
    const e0 = (await t.call('GET', `/api/v1/customers/${none}/entitlements`)).json;
    expect(e0.tier).toBeNull();
    expect(e0.charterVersion).toBe(1);
    expect(e0.reasons.join(' ')).toMatch(/minimum/i);
    const e1 = (await t.call('GET', `/api/v1/customers/${big}/entitlements`)).json;
    expect(e1.tier).toMatchObject({ id: 'plus' });
    expect(e1.reasons[0]).toContain('£2,430.00');
    expect(e1.entitlements.callback).toBe(true);
  });

  it('opens conversations with SLA targets, severity by need, and keeps the version they opened under', async () => {
    const customer = await makeCustomer(t, t.a);
    const conv = (await t.call('POST', '/api/v1/conversations', { body: { customerId: customer, channel: 'email', subject: 'Slow', tags: ['slow-speed'] } })).json;
    expect(conv.severity).toBe('fault');
    expect(conv.sla).toMatchObject({ state: 'on_track', charterVersion: 1, tier: null });
    expect(new Date(conv.sla.firstResponseDueAt).getTime()).toBeGreaterThan(new Date(conv.createdAt).getTime());
    expect(new Date(conv.sla.resolutionDueAt).getTime()).toBeGreaterThan(new Date(conv.sla.firstResponseDueAt).getTime());

    expect((await publish(EXAMPLE.replace('attainment: 0.95', 'attainment: 0.97'))).json.version).toBe(2);
    const later = (await t.call('POST', `/api/v1/conversations/${conv.id}/messages`, { body: { role: 'agent', text: 'Looking into it.' } })).json;
    const after = (await t.call('GET', `/api/v1/conversations/${conv.id}`)).json;
    expect(after.sla.charterVersion).toBe(1);
    expect(after.firstReplyAt).toBe(later.createdAt);
    const fresh = (await t.call('POST', '/api/v1/conversations', { body: { customerId: customer, channel: 'email', subject: 'Again' } })).json;
    expect(fresh.sla.charterVersion).toBe(2);
    expect(fresh.severity).toBe('general');
  });

  it('rejects a severity the charter does not define', async () => {
    const customer = await makeCustomer(t, t.a);
    const res = await t.call('POST', '/api/v1/conversations', { body: { customerId: customer, channel: 'chat', subject: 'x', severity: 'vip' } });
    expect(res.status).toBe(422);
    expect(res.json.errors[0].pointer).toBe('/severity');
  });
});

describe('SLA clocks, on a 24/7 calendar', () => {
  it('is met when answered and resolved in time, and breached when not', async () => {
    const v = await publish(ALWAYS_OPEN);
    expect(v.status).toBe(201);
    const customer = await makeCustomer(t, t.a);
    const conv = (await t.call('POST', '/api/v1/conversations', { body: { customerId: customer, channel: 'chat', subject: 'Quick', message: { role: 'customer', text: 'Hi' } } })).json;
    // chat × general: first response 5m, resolution 3bd of 8h → 24 business hours on a 24/7 clock.
    expect(new Date(conv.sla.firstResponseDueAt).getTime() - new Date(conv.createdAt).getTime()).toBe(5 * 60_000);
    await t.call('POST', `/api/v1/conversations/${conv.id}/messages`, { body: { role: 'agent', text: 'Hello! How can I help?' } });
    const resolved = (await t.call('PATCH', `/api/v1/conversations/${conv.id}`, { body: { status: 'resolved' } })).json;
    expect(resolved.sla.state).toBe('met');
    expect(resolved.resolvedAt).not.toBeNull();

    const late = (await t.call('POST', '/api/v1/conversations', { body: { customerId: customer, channel: 'chat', subject: 'Late' } })).json;
    // Pretend it opened an hour ago; a reply now is 55 minutes late.
    await t.store.db
      .updateTable('conversations')
      .set({ created_at: new Date(Date.now() - 3_600_000), first_response_due_at: new Date(Date.now() - 3_300_000) })
      .where('id', '=', late.id)
      .execute();
    const posted = await t.call('POST', `/api/v1/conversations/${late.id}/messages`, { body: { role: 'agent', text: 'Sorry for the wait.' } });
    expect(posted.status).toBe(201);
    const after = (await t.call('GET', `/api/v1/conversations/${late.id}`)).json;
    expect(after.sla.state).toBe('breached');
  });

  it('moves running clocks with time: the jobs refresh marks an unanswered conversation breached, and audits it', async () => {
    const customer = await makeCustomer(t, t.a);
    const conv = (await t.call('POST', '/api/v1/conversations', { body: { customerId: customer, channel: 'chat', subject: 'Anyone?', message: { role: 'customer', text: 'Hello?' } } })).json;
    expect(conv.sla.state).toBe('on_track');
    const { refreshSlaClocks } = await import('../../src/app/refresh-sla-clocks.ts');
    // Four minutes into a five-minute target: at risk. Ten minutes: breached.
    const atRisk = await refreshSlaClocks(t.store.db, new Date(new Date(conv.createdAt).getTime() + 4 * 60_000));
    expect(atRisk.changed).toBeGreaterThanOrEqual(1);
    expect((await t.call('GET', `/api/v1/conversations/${conv.id}`)).json.sla.state).toBe('at_risk');
    const later = await refreshSlaClocks(t.store.db, new Date(new Date(conv.createdAt).getTime() + 10 * 60_000));
    expect(later.breached).toBeGreaterThanOrEqual(1);
    expect((await t.call('GET', `/api/v1/conversations/${conv.id}`)).json.sla.state).toBe('breached');
    const audit = await t.store.db.selectFrom('audit_log').select('action').where('entity_id', '=', conv.id).where('action', 'like', 'sla.%').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['sla.at_risk', 'sla.breached']);
  });
});
