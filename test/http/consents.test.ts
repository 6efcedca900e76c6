import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCreditCheck } from '../../src/app/credit-inquiry.ts';
import type { CreditBureau } from '../../src/app/credit-bureau.ts';
import { recordConsent } from '../../src/app/record-consent.ts';
import { PORTAL_WITHDRAWAL } from '../../src/domain/consents.ts';
import { makeCustomer, startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
const screen = (text = 'I agree that you may make one hard credit inquiry for my Business Rewards Card application.') => ({ screenVersion: 'apply/2', shownText: text });

/** A customer with a conversation in which they wrote one message; returns both ids. */
async function customerWithMessage(name: string, text = 'Yes, go ahead with the credit check for the card.') {
  const customerId = await makeCustomer(t, t.a, { name, emails: [`${name.toLowerCase().replace(/\W/g, '')}@example.com`], customerSince: '2022-01-15' });
  const conv = await t.call('POST', '/api/v1/conversations', { body: { customerId, channel: 'phone', subject: 'Card application', message: { role: 'customer', text } } });
  expect(conv.status).toBe(201);
  return { customerId, conversationId: conv.json.id as string, messageId: conv.json.messages[0].id as string };
}

const grantHard = (customerId: string, evidence: unknown = screen(), extra: Record<string, unknown> = {}) =>
  t.call('POST', `/api/v1/customers/${customerId}/consents`, {
    body: { purpose: 'hard_credit_inquiry', status: 'granted', scope: 'one hard inquiry for the Business Rewards Card application', evidence, ...extra },
  });
const check = (customerId: string, kind: 'hard' | 'soft' | 'estimate', reason = 'Business Rewards Card application') =>
  t.call('POST', `/api/v1/customers/${customerId}/credit-checks`, { body: { kind, reason } });
const inquiries = async (customerId: string) => t.store.db.selectFrom('credit_inquiries').selectAll().where('customer_id', '=', customerId).execute();

/** A bureau that counts its calls, to prove a refused inquiry never reaches it. */
function countingBureau() {
  const calls: string[] = [];
  const bureau: CreditBureau = {
    name: 'counting',
    hardInquiry: async (s) => (calls.push(`hard:${s.customerId}`), { bureau: 'counting', simulated: true, reference: 'C-1', score: 700, band: 'good' }),
    softInquiry: async (s) => (calls.push(`soft:${s.customerId}`), { bureau: 'counting', simulated: true, reference: 'C-2', score: 700, band: 'good' }),
  };
  return { bureau, calls };
}

describe('the consent gate on credit checks (story 4: the caller who wanted an estimate)', () => {
  it('refuses a hard inquiry without consent (422 consent-required, nothing written, bureau not asked) and gives an estimate without one', async () => {
    const { customerId } = await customerWithMessage('Dan Estimate');
    await t.call('POST', `/api/v1/customers/${customerId}/spend`, { body: { amountMinor: 4999, currency: 'EUR', at: inDays(-40), source: 'billing', externalId: 'dan-1' } });
    const auditBefore = (await t.store.db.selectFrom('audit_log').select('id').where('tenant_id', '=', t.a.id).execute()).length;

    const hard = await check(customerId, 'hard');
    expect(hard.status).toBe(422);
    expect(hard.headers['content-type']).toContain('application/problem+json');
    expect(hard.json.type).toBe('urn:fairdesk:problem:consent-required');
    expect(hard.json.errors).toEqual([{ pointer: '/kind', detail: 'needs a live hard_credit_inquiry consent' }]);
    expect(hard.json.detail).toContain('hard_credit_inquiry');
    expect(await inquiries(customerId)).toEqual([]);
    expect((await t.store.db.selectFrom('audit_log').select('id').where('tenant_id', '=', t.a.id).execute()).length).toBe(auditBefore);

    // The same refusal through the use-case with a bureau that counts: it is never called.
    const { bureau, calls } = countingBureau();
    await expect(runCreditCheck({ db: t.store.db, tenantId: t.a.id, actor: 'test' }, customerId, { kind: 'hard', reason: 'x' }, undefined, { bureau })).rejects.toMatchObject({ kind: 'consent-required' });
    await expect(runCreditCheck({ db: t.store.db, tenantId: t.a.id, actor: 'test' }, customerId, { kind: 'soft', reason: 'x' }, undefined, { bureau })).rejects.toMatchObject({ kind: 'consent-required' });
    expect(calls).toEqual([]);

    const estimate = await check(customerId, 'estimate', 'caller wants a rough rate estimate');
    expect(estimate.status).toBe(201);
    expect(estimate.json).toMatchObject({ kind: 'estimate', consentId: null, status: 'completed', result: { source: 'estimate', bureau: null, score: null, simulated: false } });
    expect(estimate.json.result.statement).toMatch(/estimate.*No credit bureau was asked and nothing was recorded on your credit file/);
    expect(estimate.json.result.factsUsed.map((f: { fact: string }) => f.fact)).toEqual(['tenure', 'payments', 'spend', 'refunds', 'revenue']);
    expect(estimate.json.result.factsUsed[2].value).toBe('49.99 EUR net over the last 12 months');
    const rows = await inquiries(customerId);
    expect(rows.map((r) => [r.kind, r.consent_id])).toEqual([['estimate', null]]);
    const audit = await t.store.db.selectFrom('audit_log').select('action').where('entity_id', '=', estimate.json.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['credit_check.estimated']);
  });

  it('allows a hard inquiry on a live grant, once; refuses it again after the grant is used, withdrawn, or refused', async () => {
    const { customerId, messageId } = await customerWithMessage('Erin Applicant');
    const granted = await grantHard(customerId, { messageId });
    expect(granted.status).toBe(201);
    expect(granted.json).toMatchObject({ purpose: 'hard_credit_inquiry', status: 'granted', live: true, evidence: { messageId, screenVersion: null, textHash: null } });
    // No expiry given: a hard-inquiry grant runs 30 days, never open-ended.
    expect(Math.round((new Date(granted.json.expiresAt).getTime() - Date.now()) / 86_400_000)).toBe(30);

    const hard = await check(customerId, 'hard');
    expect(hard.status).toBe(201);
    expect(hard.json).toMatchObject({ kind: 'hard', consentId: granted.json.id, status: 'completed', result: { source: 'bureau', bureau: 'simulated', simulated: true } });
    expect(hard.json.result.score).toBeGreaterThanOrEqual(300);
    expect(hard.json.result.score).toBeLessThanOrEqual(850);
    const audit = await t.store.db.selectFrom('audit_log').select('action').where('entity_id', '=', hard.json.id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['credit_check.requested', 'credit_check.completed']);

    // The grant served its one inquiry.
    const again = await check(customerId, 'hard');
    expect(again.status).toBe(422);
    expect(again.json.detail).toContain('used by an earlier hard inquiry');
    const ledger = await t.call('GET', `/api/v1/customers/${customerId}/consents`);
    expect(ledger.json.live.hard_credit_inquiry).toMatchObject({ status: 'used', consentId: granted.json.id });
    expect(ledger.json.data[0].live).toBe(false);

    // A new grant, then withdrawn: refused again.
    const second = await grantHard(customerId, screen(), { expiresAt: inDays(7) });
    expect(second.status).toBe(201);
    const withdrawn = await t.call('POST', `/api/v1/customers/${customerId}/consents`, {
      body: { purpose: 'hard_credit_inquiry', status: 'withdrawn', scope: 'one hard inquiry for the Business Rewards Card application', evidence: { messageId } },
    });
    expect(withdrawn.status).toBe(201);
    expect(withdrawn.json).toMatchObject({ status: 'withdrawn', expiresAt: null, live: false });
    const afterWithdrawal = await check(customerId, 'hard');
    expect(afterWithdrawal.status).toBe(422);
    expect(afterWithdrawal.json.detail).toContain('withdrew');
    expect((await inquiries(customerId)).filter((r) => r.kind === 'hard')).toHaveLength(1);

    const list = await t.call('GET', `/api/v1/customers/${customerId}/credit-checks`);
    expect(list.status).toBe(200);
    expect(list.json.data.map((c: { id: string }) => c.id)).toEqual([hard.json.id]);
  });

  it('refuses a hard inquiry on an expired grant', async () => {
    const { customerId } = await customerWithMessage('Fay Expired');
    const scope = { db: t.store.db, tenantId: t.a.id, actor: 'test' };
    const then = new Date(Date.now() - 10 * 86_400_000);
    await recordConsent(scope, customerId, { purpose: 'hard_credit_inquiry', status: 'granted', scope: 'one hard inquiry', evidence: screen(), expiresAt: new Date(then.getTime() + 86_400_000).toISOString() }, undefined, then);
    const ledger = await t.call('GET', `/api/v1/customers/${customerId}/consents`);
    expect(ledger.json.live.hard_credit_inquiry.status).toBe('expired');
    const res = await check(customerId, 'hard');
    expect(res.status).toBe(422);
    expect(res.json.type).toBe('urn:fairdesk:problem:consent-required');
    expect(res.json.detail).toContain('expired');
    expect(await inquiries(customerId)).toEqual([]);
  });

  it('lets a soft inquiry rely on its grant until it is withdrawn', async () => {
    const { customerId } = await customerWithMessage('Gus Soft');
    const grant = await t.call('POST', `/api/v1/customers/${customerId}/consents`, {
      body: { purpose: 'soft_credit_inquiry', status: 'granted', scope: 'soft inquiries while the quote is open', evidence: screen('You may make soft inquiries.'), expiresAt: inDays(60) },
    });
    expect(grant.status).toBe(201);
    expect((await check(customerId, 'soft')).status).toBe(201);
    expect((await check(customerId, 'soft')).status).toBe(201);
    // A soft grant does not open the door to a hard inquiry.
    expect((await check(customerId, 'hard')).json.errors[0].detail).toBe('needs a live hard_credit_inquiry consent');
  });

  it('records a bureau failure as failed, and answers 502', async () => {
    const { customerId } = await customerWithMessage('Hal Offline');
    await grantHard(customerId);
    const broken: CreditBureau = { name: 'broken', hardInquiry: async () => Promise.reject(new Error('timeout')), softInquiry: async () => Promise.reject(new Error('timeout')) };
    await expect(runCreditCheck({ db: t.store.db, tenantId: t.a.id, actor: 'test' }, customerId, { kind: 'hard', reason: 'x' }, undefined, { bureau: broken })).rejects.toMatchObject({ status: 502 });
    expect((await inquiries(customerId)).map((r) => [r.status, r.error])).toEqual([['failed', 'timeout']]);
  });
});

describe('consent records and their evidence', () => {
  it('stores shownText only as its SHA-256, keeps a given hash, and never the text', async () => {
    const { customerId } = await customerWithMessage('Ivy Hash');
    const text = 'Calls may be recorded for training. Do you agree?';
    const res = await t.call('POST', `/api/v1/customers/${customerId}/consents`, { body: { purpose: 'call_recording', status: 'granted', scope: 'recording of support calls', evidence: { screenVersion: 'ivr/4', shownText: text } } });
    expect(res.status).toBe(201);
    expect(res.json.evidence).toEqual({ messageId: null, screenVersion: 'ivr/4', textHash: sha256(text) });
    expect(res.json.expiresAt).toBeNull();
    const row = await t.store.db.selectFrom('consents').selectAll().where('id', '=', res.json.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('training');
    const upper = sha256('other').toUpperCase();
    const hashed = await t.call('POST', `/api/v1/customers/${customerId}/consents`, { body: { purpose: 'marketing_contact', status: 'refused', scope: 'newsletters', evidence: { screenVersion: 'signup/1', textHash: upper } } });
    expect(hashed.json.evidence.textHash).toBe(upper.toLowerCase());
  });

  it("refuses another customer's message as evidence (422 naming /evidence/messageId), and an agent's message", async () => {
    const mine = await customerWithMessage('Jo Mine');
    const theirs = await customerWithMessage('Kim Theirs');
    const res = await grantHard(mine.customerId, { messageId: theirs.messageId });
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([{ pointer: '/evidence/messageId', detail: "is not a message in one of this customer's conversations" }]);
    const agent = await t.call('POST', `/api/v1/conversations/${mine.conversationId}/messages`, { body: { role: 'agent', text: 'Shall I run the check?' } });
    const own = await grantHard(mine.customerId, { messageId: agent.json.id });
    expect(own.status).toBe(422);
    expect(own.json.errors[0].pointer).toBe('/evidence/messageId');
    // Tenant B cannot point at A's message either.
    const bCustomer = await makeCustomer(t, t.b);
    const cross = await t.call('POST', `/api/v1/customers/${bCustomer}/consents`, {
      as: t.b,
      body: { purpose: 'marketing_contact', status: 'granted', scope: 'news', evidence: { messageId: mine.messageId } },
    });
    expect(cross.status).toBe(422);
    expect(await t.store.db.selectFrom('consents').select('id').where('customer_id', 'in', [mine.customerId, bCustomer]).execute()).toEqual([]);
  });

  it.each([
    { name: 'both kinds of evidence', evidence: { messageId: '01890000-0000-7000-8000-000000000000', screenVersion: 'x/1', shownText: 'x' }, pointer: '/evidence/screenVersion' },
    { name: 'no evidence', evidence: {}, pointer: '/evidence/messageId' },
    { name: 'a screen without its text', evidence: { screenVersion: 'x/1' }, pointer: '/evidence/shownText' },
    { name: 'a malformed hash', evidence: { screenVersion: 'x/1', textHash: 'abc' }, pointer: '/evidence/textHash' },
  ])('rejects $name (400 naming $pointer)', async ({ evidence, pointer }) => {
    const { customerId } = await customerWithMessage('Lou Invalid');
    const res = await grantHard(customerId, evidence);
    expect(res.status).toBe(400);
    expect(res.json.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
  });

  it.each([
    { name: 'an expiry in the past', body: { status: 'granted', expiresAt: inDays(-1) }, detail: 'must be in the future' },
    { name: 'a hard grant longer than 30 days', body: { status: 'granted', expiresAt: inDays(31) }, detail: 'at most 30 days' },
    { name: 'an expiry on a refusal', body: { status: 'refused', expiresAt: inDays(3) }, detail: 'only a grant expires' },
  ])('rejects $name (422 naming /expiresAt)', async ({ body, detail }) => {
    const { customerId } = await customerWithMessage('Max Expiry');
    const res = await t.call('POST', `/api/v1/customers/${customerId}/consents`, { body: { purpose: 'hard_credit_inquiry', scope: 'one inquiry', evidence: screen(), ...body } });
    expect(res.status).toBe(422);
    expect(res.json.errors[0].pointer).toBe('/expiresAt');
    expect(res.json.errors[0].detail).toContain(detail);
  });

  it('lists the whole history newest first, enqueues consent.changed and audits each record', async () => {
    const { customerId, messageId } = await customerWithMessage('Nia History');
    const ids: string[] = [];
    for (const status of ['granted', 'withdrawn', 'granted'] as const) {
      const res = await t.call('POST', `/api/v1/customers/${customerId}/consents`, { body: { purpose: 'marketing_contact', status, scope: 'product news by e-mail', evidence: { messageId } } });
      expect(res.status).toBe(201);
      ids.push(res.json.id);
    }
    const ledger = await t.call('GET', `/api/v1/customers/${customerId}/consents`);
    expect(ledger.status).toBe(200);
    expect(ledger.json.data.map((c: { id: string }) => c.id)).toEqual([...ids].reverse());
    expect(ledger.json.data.map((c: { live: boolean }) => c.live)).toEqual([true, false, false]);
    expect(ledger.json.live.marketing_contact).toEqual({ status: 'granted', consentId: ids[2], expiresAt: null });
    expect(ledger.json.live.call_recording).toEqual({ status: 'none', consentId: null, expiresAt: null });
    const events = await t.store.db.selectFrom('outbox').select('payload').where('kind', '=', 'consent.changed').execute();
    expect(events.map((e) => e.payload).filter((p) => (p as { customerId: string }).customerId === customerId)).toHaveLength(3);
    const audit = await t.store.db.selectFrom('audit_log').select('action').where('entity_id', 'in', ids).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['consent.granted', 'consent.withdrawn', 'consent.granted']);
  });

  it("is 404 for another tenant's customer, and the ledger cannot be edited", async () => {
    const { customerId } = await customerWithMessage('Oz Locked');
    expect((await t.call('GET', `/api/v1/customers/${customerId}/consents`, { as: t.b })).status).toBe(404);
    expect((await grantHard(customerId)).status).toBe(201);
    expect((await t.call('POST', `/api/v1/customers/${customerId}/credit-checks`, { as: t.b, body: { kind: 'estimate', reason: 'x' } })).status).toBe(404);
    const { withTenant } = await import('../../src/db/with-tenant.ts');
    await expect(withTenant(t.store.db, t.a.id, (tx) => tx.updateTable('consents').set({ status: 'refused' }).where('customer_id', '=', customerId).execute())).rejects.toThrow(/permission denied/);
    await expect(withTenant(t.store.db, t.a.id, (tx) => tx.deleteFrom('consents').where('customer_id', '=', customerId).execute())).rejects.toThrow(/permission denied/);
  });

  it('replays a consent create with the same Idempotency-Key instead of recording it twice', async () => {
    const { customerId } = await customerWithMessage('Pam Retry');
    const body = { purpose: 'auto_renewal', status: 'granted', scope: 'yearly renewal of the Pro plan', evidence: screen('Renew every year?') };
    const headers = { 'idempotency-key': `pam-${customerId}` };
    const first = await t.call('POST', `/api/v1/customers/${customerId}/consents`, { body, headers });
    const again = await t.call('POST', `/api/v1/customers/${customerId}/consents`, { body, headers });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.json.id).toBe(first.json.id);
    expect(await t.store.db.selectFrom('consents').select('id').where('customer_id', '=', customerId).execute()).toHaveLength(1);
  });
});

describe('consents in the portal', () => {
  async function portalSession(email: string): Promise<string> {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/portal/tenant-a/magic-links', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ email }) });
    expect(res.statusCode).toBe(202);
    const jobs = await t.store.db.selectFrom('outbox').select(['payload']).where('kind', '=', 'email.send').orderBy('id', 'desc').execute();
    const mail = jobs.map((j) => j.payload as { to: string; text: string }).find((p) => p.to === email)!;
    const token = /\/portal\/tenant-a\/confirm#(\S+)/.exec(mail.text)![1]!;
    const session = await t.app.inject({ method: 'POST', url: '/api/v1/portal/tenant-a/sessions', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ token }) });
    const cookie = session.cookies.find((c) => c.name === '__Host-fairdesk_session')!;
    return `__Host-fairdesk_session=${cookie.value}`;
  }

  it('shows the customer their consents and lets them withdraw one in force (evidence: screen version and hash of the text shown); 409 when none is', async () => {
    const { customerId } = await customerWithMessage('Quinn Portal');
    await t.call('POST', `/api/v1/customers/${customerId}/consents`, { body: { purpose: 'marketing_contact', status: 'granted', scope: 'product news by e-mail', evidence: screen('News?') } });
    const cookie = await portalSession('quinnportal@example.com');
    const seen = await t.app.inject({ method: 'GET', url: '/api/v1/portal/tenant-a/consents', headers: { cookie } });
    expect(seen.statusCode).toBe(200);
    const ledger = seen.json();
    expect(ledger.live.marketing_contact.status).toBe('granted');
    expect(ledger.data[0].recordedBy).toBe('us');
    expect(ledger.withdrawal.screenVersion).toBe('portal-consents/1');

    const url = '/api/v1/portal/tenant-a/consents/marketing_contact/withdraw';
    const withdraw = await t.app.inject({ method: 'POST', url, headers: { cookie, 'sec-fetch-site': 'same-origin' } });
    expect(withdraw.statusCode).toBe(201);
    expect(withdraw.json()).toMatchObject({
      purpose: 'marketing_contact',
      status: 'withdrawn',
      scope: 'product news by e-mail',
      recordedBy: 'you',
      live: false,
      evidence: { messageId: null, screenVersion: 'portal-consents/1', textHash: sha256(PORTAL_WITHDRAWAL.texts.marketing_contact) },
    });
    expect(sha256(ledger.withdrawal.texts.marketing_contact)).toBe(withdraw.json().evidence.textHash);
    const row = await t.store.db.selectFrom('consents').select('recorded_by').where('id', '=', withdraw.json().id).executeTakeFirstOrThrow();
    expect(row.recorded_by).toBe(`customer:${customerId}`);

    const twice = await t.app.inject({ method: 'POST', url, headers: { cookie, 'sec-fetch-site': 'same-origin' } });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().detail).toContain('withdrawn');
    const never = await t.app.inject({ method: 'POST', url: '/api/v1/portal/tenant-a/consents/call_recording/withdraw', headers: { cookie, 'sec-fetch-site': 'same-origin' } });
    expect(never.statusCode).toBe(409);
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/portal/tenant-a/consents/everything/withdraw', headers: { cookie, 'sec-fetch-site': 'same-origin' } });
    expect(bad.statusCode).toBe(400);
    expect((await t.store.db.selectFrom('consents').select('id').where('customer_id', '=', customerId).execute()).length).toBe(2);
  });
});

describe('erasure with consents present', () => {
  it('erases the customer and keeps the consent and credit-check records', async () => {
    const { customerId, messageId } = await customerWithMessage('Ray Erased');
    const grant = await grantHard(customerId, { messageId });
    expect(grant.status).toBe(201);
    expect((await check(customerId, 'hard')).status).toBe(201);
    expect((await check(customerId, 'estimate')).status).toBe(201);
    const erased = await t.call('POST', `/api/v1/customers/${customerId}/erasure`);
    expect(erased.status).toBe(200);
    expect(erased.json.kept.join(' ')).toMatch(/consent/);
    const ledger = await t.call('GET', `/api/v1/customers/${customerId}/consents`);
    expect(ledger.json.data.map((c: { id: string }) => c.id)).toEqual([grant.json.id]);
    expect(ledger.json.data[0].evidence.messageId).toBe(messageId);
    expect((await t.call('GET', `/api/v1/customers/${customerId}/credit-checks`)).json.data).toHaveLength(2);
  });
});
