import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactLinkSecrets } from '../../src/app/read-cancellation-confirmation.ts';
import { JobsWorker } from '../../src/jobs/worker.ts';
import { makeCustomer, startTestApp, type TestApp } from '../support/app.ts';
import { onPostgres } from '../support/store.ts';

let t: TestApp;
let slug: string;
let plan: string;
beforeAll(async () => {
  t = await startTestApp();
  const product = (await t.call('POST', '/api/v1/products', { body: { name: 'Fax Line' } })).json.id as string;
  plan = (await t.call('POST', '/api/v1/plans', { body: { productId: product, name: 'Pro', priceMinor: 1999, currency: 'EUR', interval: 'month', features: ['fax'] } })).json.id as string;
  slug = (await t.call('GET', '/api/v1/tenant')).json.slug as string;
}, 60_000);
afterAll(async () => t?.close());

const DAY = 86_400_000;
const iso = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const ids = (res: { json: { data: Array<{ id: string }> } }) => res.json.data.map((x) => x.id);

async function ok(url: string, body?: unknown, status = 201, as = t.a) {
  const res = await t.call('POST', url, { body, as });
  expect(res.status, `${url}: ${res.body}`).toBe(status);
  return res.json;
}

/** Every page of a list, following nextCursor with `limit` rows a page. */
async function allPages(url: string, limit: number, as = t.a): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const res = await t.call('GET', `${url}${url.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { as });
    expect(res.status, res.body).toBe(200);
    expect(res.json.data.length).toBeLessThanOrEqual(limit);
    seen.push(...ids(res));
    cursor = res.json.nextCursor;
    if (!cursor) return seen;
  }
  throw new Error('too many pages');
}

const screen = { screenVersion: 'signup/4', shownText: 'You may contact me about offers.' };
const record = (customerId: string, body: Record<string, unknown>) => ok(`/api/v1/customers/${customerId}/consents`, { scope: 'as shown', evidence: screen, ...body });

describe(`GET /api/v1/consents: the tenant's consent ledger across customers (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let ann: string;
  let ben: string;
  const made = {} as Record<'annMarketing' | 'annMarketingWithdrawn' | 'annRecording' | 'benMarketing' | 'benHard' | 'benSoft' | 'foreign', string>;
  beforeAll(async () => {
    ann = await makeCustomer(t, t.a, { name: 'Ann Ledger' });
    ben = await makeCustomer(t, t.a, { name: 'Ben Ledger' });
    made.annMarketing = (await record(ann, { purpose: 'marketing_contact', status: 'granted' })).id;
    made.annMarketingWithdrawn = (await record(ann, { purpose: 'marketing_contact', status: 'withdrawn' })).id;
    made.annRecording = (await record(ann, { purpose: 'call_recording', status: 'refused' })).id;
    made.benMarketing = (await record(ben, { purpose: 'marketing_contact', status: 'granted' })).id;
    made.benHard = (await record(ben, { purpose: 'hard_credit_inquiry', status: 'granted' })).id;
    // The hard grant serves one inquiry: after it, the grant is used, no longer live.
    await ok(`/api/v1/customers/${ben}/credit-checks`, { kind: 'hard', reason: 'card application' });
    made.benSoft = (await record(ben, { purpose: 'soft_credit_inquiry', status: 'granted', expiresAt: iso(30) })).id;
    // Another tenant's customer with a grant of its own.
    const other = await makeCustomer(t, t.b, { name: 'Bea Elsewhere' });
    made.foreign = (await ok(`/api/v1/customers/${other}/consents`, { purpose: 'marketing_contact', status: 'granted', scope: 'as shown', evidence: screen }, 201, t.b)).id;
  }, 60_000);

  it('lists every record newest first with the customer name, the evidence and whether it is in force now', async () => {
    const res = await t.call('GET', '/api/v1/consents');
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([made.benSoft, made.benHard, made.benMarketing, made.annRecording, made.annMarketingWithdrawn, made.annMarketing]);
    const byId = Object.fromEntries(res.json.data.map((c: { id: string }) => [c.id, c]));
    expect(byId[made.benSoft]).toMatchObject({ customerId: ben, customerName: 'Ben Ledger', purpose: 'soft_credit_inquiry', status: 'granted', live: true, scope: 'as shown' });
    expect(byId[made.benSoft].evidence).toEqual({ messageId: null, screenVersion: 'signup/4', textHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(byId[made.benSoft].expiresAt).toEqual(expect.any(String));
    expect(byId[made.benSoft].recordedBy).toMatch(/^token:/);
    // The rule of a customer's own ledger: the latest record decides, a used hard grant is not live.
    expect(byId[made.benHard].live).toBe(false);
    expect(byId[made.benMarketing].live).toBe(true);
    expect(byId[made.annMarketing].live).toBe(false);
    expect(byId[made.annMarketingWithdrawn].live).toBe(false);
    // The same verdicts as each customer's own ledger.
    for (const customer of [ann, ben]) {
      const own = (await t.call('GET', `/api/v1/customers/${customer}/consents`)).json.data as Array<{ id: string; live: boolean }>;
      for (const c of own) expect(byId[c.id].live, c.id).toBe(c.live);
    }
    expect(res.body).not.toContain(made.foreign);
  });

  it('filters by purpose, status, customer and period', async () => {
    expect(ids(await t.call('GET', '/api/v1/consents?purpose=marketing_contact'))).toEqual([made.benMarketing, made.annMarketingWithdrawn, made.annMarketing]);
    expect(ids(await t.call('GET', '/api/v1/consents?purpose=marketing_contact&status=granted'))).toEqual([made.benMarketing, made.annMarketing]);
    expect(ids(await t.call('GET', `/api/v1/consents?customerId=${ann}`))).toEqual([made.annRecording, made.annMarketingWithdrawn, made.annMarketing]);
    expect(ids(await t.call('GET', `/api/v1/consents?customerId=${ann}&status=refused`))).toEqual([made.annRecording]);
    // The period is on when the record was made: from inclusive, to exclusive.
    const rows = await t.store.db.selectFrom('consents').select(['id', 'at']).where('id', 'in', [made.annRecording, made.benMarketing]).execute();
    const at = Object.fromEntries(rows.map((r) => [r.id, new Date(r.at).toISOString()]));
    const period = await t.call('GET', `/api/v1/consents?from=${encodeURIComponent(at[made.annRecording]!)}&to=${encodeURIComponent(at[made.benMarketing]!)}`);
    expect(ids(period)).toEqual([made.annRecording]);
    expect(ids(await t.call('GET', `/api/v1/consents?from=${encodeURIComponent(iso(1))}`))).toEqual([]);
  });

  it('pages with the keyset cursor: every record once, in the same order', async () => {
    const whole = ids(await t.call('GET', '/api/v1/consents'));
    expect(await allPages('/api/v1/consents', 2)).toEqual(whole);
    expect(await allPages('/api/v1/consents?purpose=marketing_contact', 1)).toEqual([made.benMarketing, made.annMarketingWithdrawn, made.annMarketing]);
  });

  it('refuses a bad filter with problem+json naming it, never a 500', async () => {
    for (const [query, parameter] of [
      ['purpose=spam', 'purpose'],
      ['status=maybe', 'status'],
      ['customerId=nope', 'customerId'],
      ['from=yesterday', 'from'],
      [`from=${encodeURIComponent(iso(0))}&to=${encodeURIComponent(iso(-1))}`, 'to'],
      ['limit=0', 'limit'],
      ['cursor=garbage', 'cursor'],
      ['colour=red', 'colour'],
    ] as const) {
      const res = await t.call('GET', `/api/v1/consents?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(res.json.errors), query).toContain(parameter);
    }
  });

  it('is for reviewers: a token without consents:review gets 403, one with it 200', async () => {
    const plain = await ok('/api/v1/tokens', { name: 'reader', scopes: ['customers:read'] });
    const reviewer = await ok('/api/v1/tokens', { name: 'reviewer', scopes: ['consents:review'] });
    expect((await t.call('GET', '/api/v1/consents', { as: { id: t.a.id, token: plain.token } })).status).toBe(403);
    expect((await t.call('GET', '/api/v1/consents', { as: { id: t.a.id, token: reviewer.token } })).status).toBe(200);
  });

  it("keeps tenants apart: B sees only its own records, also when asking by A's customer", async () => {
    const b = await t.call('GET', '/api/v1/consents', { as: t.b });
    expect(ids(b)).toEqual([made.foreign]);
    expect(b.body).not.toContain('Ledger');
    const byA = await t.call('GET', `/api/v1/consents?customerId=${ann}`, { as: t.b });
    expect(byA.status).toBe(200);
    expect(byA.json.data).toEqual([]);
  });

  it("logs the read of each customer's record it shows", async () => {
    const reader = await ok('/api/v1/tokens', { name: 'ledger reader', scopes: ['consents:review'] });
    await t.call('GET', `/api/v1/consents?customerId=${ben}`, { as: { id: t.a.id, token: reader.token } });
    const reads = await t.store.db.selectFrom('record_reads').select(['customer_id', 'what']).where('actor', '=', `token:${reader.id}`).execute();
    expect(reads).toEqual([{ customer_id: ben, what: 'consents' }]);
  });
});

describe(`cancellations with their confirmations (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  const subscribe = async (customerId: string) =>
    ok('/api/v1/subscriptions', { customerId, planId: plan, startedAt: iso(-400), currentPeriodStart: iso(-10), currentPeriodEnd: iso(20) });
  let cara: string;
  let dev: string;
  let confirmed: { id: string; reference: string };
  let withdrawn: string;
  let open: string;
  let loggedOut: { id: string; reference: string; subscriptionReference: string };
  beforeAll(async () => {
    cara = await makeCustomer(t, t.a, { name: 'Cara Leaving', emails: ['cara@example.com'], timeZone: 'Europe/Berlin' });
    dev = await makeCustomer(t, t.a, { name: 'Dev Staying', emails: ['dev@example.com'] });
    const s1 = await subscribe(cara);
    const s2 = await subscribe(dev);
    const s3 = await subscribe(dev);
    const s4 = await subscribe(cara);
    const c = await ok(`/api/v1/subscriptions/${s1.id}/cancellations`, { channel: 'agent', timing: 'immediate' });
    const done = await ok(`/api/v1/cancellations/${c.id}/confirm`, undefined, 200);
    confirmed = { id: c.id, reference: done.reference };
    withdrawn = (await ok(`/api/v1/subscriptions/${s2.id}/cancellations`, { channel: 'portal', timing: 'period_end' })).id;
    await t.call('POST', `/api/v1/cancellations/${withdrawn}/withdraw`);
    open = (await ok(`/api/v1/subscriptions/${s3.id}/cancellations`, { channel: 'agent', timing: 'period_end' })).id;
    // Logged out: the confirmation e-mail carries a single-use reversal link with a secret token.
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/public/${slug}/cancellations`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ email: 'cara@example.com', reference: s4.reference }) });
    expect(res.statusCode).toBe(202);
    const row = await t.store.db.selectFrom('cancellations').select(['id', 'reference']).where('subscription_id', '=', s4.id).executeTakeFirstOrThrow();
    loggedOut = { ...row, subscriptionReference: s4.reference };
  }, 60_000);

  it('lists attempts with customer, subscription, plan and the confirmation e-mail’s delivery; filters by status and period', async () => {
    const all = await t.call('GET', '/api/v1/cancellations');
    expect(all.status).toBe(200);
    expect(ids(all)).toEqual([loggedOut.id, open, withdrawn, confirmed.id]);
    const one = all.json.data.find((c: { id: string }) => c.id === confirmed.id);
    expect(one).toMatchObject({ customerId: cara, customerName: 'Cara Leaving', planName: 'Pro', status: 'confirmed', confirmationEmail: { state: 'pending', attempts: 0, sentAt: null } });
    expect(one.subscriptionReference).toEqual(expect.any(String));
    expect(all.json.data.find((c: { id: string }) => c.id === open).confirmationEmail).toBeNull();

    expect(ids(await t.call('GET', '/api/v1/cancellations?status=confirmed'))).toEqual([loggedOut.id, confirmed.id]);
    expect(ids(await t.call('GET', '/api/v1/cancellations?status=withdrawn'))).toEqual([withdrawn]);
    expect(ids(await t.call('GET', `/api/v1/cancellations?status=confirmed&customerId=${cara}`))).toEqual([loggedOut.id, confirmed.id]);
    const rows = await t.store.db.selectFrom('cancellations').select(['id', 'created_at']).where('id', 'in', [withdrawn, loggedOut.id]).execute();
    const at = Object.fromEntries(rows.map((r) => [r.id, new Date(r.created_at).toISOString()]));
    expect(ids(await t.call('GET', `/api/v1/cancellations?from=${encodeURIComponent(at[withdrawn]!)}&to=${encodeURIComponent(at[loggedOut.id]!)}`))).toEqual([open, withdrawn]);
    expect(await allPages('/api/v1/cancellations', 1)).toEqual([loggedOut.id, open, withdrawn, confirmed.id]);

    for (const [query, parameter] of [
      ['status=gone', 'status'],
      ['from=soon', 'from'],
      [`from=${encodeURIComponent(iso(0))}&to=${encodeURIComponent(iso(-1))}`, 'to'],
    ] as const) {
      const bad = await t.call('GET', `/api/v1/cancellations?${query}`);
      expect(bad.status, query).toBe(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(bad.json.errors)).toContain(parameter);
    }
  });

  it('shows the confirmation as the customer got it, and its delivery as the worker records it', async () => {
    const before = await t.call('GET', `/api/v1/cancellations/${confirmed.id}/confirmation`);
    expect(before.status).toBe(200);
    expect(before.json).toMatchObject({ cancellationId: confirmed.id, reference: confirmed.reference, refund: { currency: 'EUR', basis: expect.any(String) } });
    expect(before.json.email).toMatchObject({ to: 'cara@example.com', state: 'pending', attempts: 0, sentAt: null, lastError: null });
    expect(before.json.email.subject).toContain(confirmed.reference);
    expect(before.json.email.text).toContain('Dear Cara Leaving');
    expect(before.json.email.text).toContain(`Cancellation reference: ${confirmed.reference}`);
    const job = await t.store.db.selectFrom('outbox').select(['payload']).where('kind', '=', 'email.send').execute();
    const sent = job.map((j) => j.payload as { cancellationId?: string; text: string }).find((p) => p.cancellationId === confirmed.id)!;
    expect(before.json.email.text).toBe(sent.text); // nothing secret in it: shown exactly as sent

    // The real worker runs the queue: this confirmation goes out, the logged-out one fails once.
    const worker = new JobsWorker({
      db: t.store.db,
      handlers: {
        'email.send': async (j) => {
          if ((j.payload as { cancellationId?: string }).cancellationId === loggedOut.id) throw new Error('451 mailbox busy, try later');
        },
        'consent.changed': async () => undefined,
      },
    });
    await worker.runDue();
    const after = (await t.call('GET', `/api/v1/cancellations/${confirmed.id}/confirmation`)).json;
    expect(after.email).toMatchObject({ state: 'sent', attempts: 1, lastError: null });
    expect(after.email.sentAt).toEqual(expect.any(String));
    const failing = (await t.call('GET', `/api/v1/cancellations/${loggedOut.id}/confirmation`)).json;
    expect(failing.email).toMatchObject({ state: 'pending', attempts: 1, sentAt: null });
    expect(failing.email.lastError).toContain('451 mailbox busy');
    const listed = (await t.call('GET', '/api/v1/cancellations?status=confirmed')).json.data as Array<{ id: string; confirmationEmail: { state: string } }>;
    expect(listed.map((c) => [c.id, c.confirmationEmail.state])).toEqual([
      [loggedOut.id, 'pending'],
      [confirmed.id, 'sent'],
    ]);
    // Reading a confirmation is a read of the customer's record (it shows their address and the text).
    const reads = await t.store.db.selectFrom('record_reads').select('what').where('customer_id', '=', cara).execute();
    expect(reads.map((r) => r.what)).toContain(`cancellation confirmation:${confirmed.id}`);
  });

  it('never shows the secret token of a logged-out cancellation’s reversal link', async () => {
    const payload = (await t.store.db.selectFrom('outbox').select('payload').where('kind', '=', 'email.send').execute())
      .map((j) => j.payload as { cancellationId?: string; text: string })
      .find((p) => p.cancellationId === loggedOut.id)!;
    const token = /reverse-cancellation#(\S+)/.exec(payload.text)![1]!;
    expect(token.length).toBeGreaterThan(20);
    const res = await t.call('GET', `/api/v1/cancellations/${loggedOut.id}/confirmation`);
    expect(res.status).toBe(200);
    expect(res.body).not.toContain(token);
    expect(res.body).not.toContain(token.slice(3, 19)); // not even a part of it
    expect(res.json.email.text).toContain(`/portal/${slug}/reverse-cancellation#…redacted`);
    expect(res.json.email.text).toContain('If you did not ask for this, undo it with this link');
    expect((await t.call('GET', '/api/v1/cancellations')).body).not.toContain(token);
    // The link still works for its owner: redaction only hides it from whoever reads the record.
    const reversed = await t.app.inject({ method: 'POST', url: `/api/v1/public/${slug}/cancellations/reverse`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ token }) });
    expect(reversed.statusCode).toBe(200);
  });

  it('answers 404 for an attempt that was not confirmed, and for another tenant', async () => {
    for (const id of [open, withdrawn]) {
      const res = await t.call('GET', `/api/v1/cancellations/${id}/confirmation`);
      expect(res.status).toBe(404);
      expect(res.json.detail).toContain('not confirmed');
    }
    const foreign = await t.call('GET', `/api/v1/cancellations/${confirmed.id}/confirmation`, { as: t.b });
    expect(foreign.status).toBe(404);
    expect(foreign.body).not.toContain('Cara');
    const list = await t.call('GET', '/api/v1/cancellations', { as: t.b });
    expect(list.json.data).toEqual([]);
  });

  it('hides the address and the text once the customer is erased', async () => {
    const erased = await t.call('POST', `/api/v1/customers/${cara}/erasure`);
    expect(erased.status, erased.body).toBe(200);
    const res = await t.call('GET', `/api/v1/cancellations/${confirmed.id}/confirmation`);
    expect(res.json.email).toMatchObject({ to: null, text: null, state: 'sent' });
    expect(res.body).not.toContain('cara@example.com');
  });
});

describe('redactLinkSecrets', () => {
  it.each([
    ['https://x.example/portal/acme/reverse-cancellation#fd_abcdefghijklmnopqrstuvwxyz012345', 'https://x.example/portal/acme/reverse-cancellation#…redacted'],
    ['see /portal/acme/confirm#fd_AAAAAAAAAAAAAAAAAAAA-_ now', 'see /portal/acme/confirm#…redacted now'],
    ['Reference: #12 and #section', 'Reference: #12 and #section'],
    ['no links at all', 'no links at all'],
  ])('%s', (input, expected) => expect(redactLinkSecrets(input)).toBe(expected));
});
