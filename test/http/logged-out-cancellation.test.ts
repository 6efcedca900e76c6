import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/app/tokens.ts';
import { LOGGED_OUT_ANSWER } from '../../src/http/routes/public-cancellation.ts';
import { makeCustomer, startTestApp, type TestApp } from '../support/app.ts';
import { onPostgres } from '../support/store.ts';

let t: TestApp;
let pro: string;
let slug: string;
let slugB: string;
beforeAll(async () => {
  t = await startTestApp();
  const product = (await t.call('POST', '/api/v1/products', { body: { name: 'Fax Line' } })).json.id as string;
  pro = (await t.call('POST', '/api/v1/plans', { body: { productId: product, name: 'Pro', priceMinor: 1999, currency: 'EUR', interval: 'month', features: ['fax'] } })).json.id as string;
  slug = (await t.call('GET', '/api/v1/tenant')).json.slug as string;
  slugB = (await t.call('GET', '/api/v1/tenant', { as: t.b })).json.slug as string;
}, 60_000);
afterAll(async () => t?.close());

const DAY = 86_400_000;
const iso = (days: number) => new Date(Date.now() + days * DAY).toISOString();
let n = 0;

/** A customer with two addresses and a subscription out of cooling-off (period ends in 20 days). */
async function holder(): Promise<{ customerId: string; email: string; second: string; sub: { id: string; reference: string } }> {
  const i = ++n;
  const email = `holder${i}@example.com`;
  const second = `holder${i}.work@example.com`;
  const customerId = await makeCustomer(t, t.a, { name: `Holder ${i}`, emails: [email, second], timeZone: 'Europe/Berlin' });
  const sub = (await t.call('POST', '/api/v1/subscriptions', { body: { customerId, planId: pro, startedAt: iso(-400), currentPeriodStart: iso(-10), currentPeriodEnd: iso(20) } })).json;
  return { customerId, email, second, sub };
}

const cancel = (body: Record<string, unknown>, at = slug, ip = '10.0.0.1') =>
  t.app.inject({ method: 'POST', url: `/api/v1/public/${at}/cancellations`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body), remoteAddress: ip });
const reverse = (token: string, at = slug) =>
  t.app.inject({ method: 'POST', url: `/api/v1/public/${at}/cancellations/reverse`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ token }) });

const cancellationsOf = (subscriptionId: string) => t.store.db.selectFrom('cancellations').selectAll().where('subscription_id', '=', subscriptionId).execute();
async function mailFor(subscriptionReference: string) {
  const jobs = await t.store.db.selectFrom('outbox').select('payload').where('kind', '=', 'email.send').execute();
  return jobs.map((j) => j.payload as Record<string, unknown> & { text: string; to: string }).filter((p) => p.subscriptionReference === subscriptionReference);
}
const tokenIn = (text: string) => /\/portal\/[\w-]+\/reverse-cancellation#(\S+)/.exec(text)?.[1];

describe(`logged-out cancellation (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('records and confirms at once with nothing shown, and e-mails the address on file with a single-use reversal link', async () => {
    const h = await holder();
    // The second address on file counts, in any case; the reference in any case too.
    const res = await cancel({ email: h.second.toUpperCase(), reference: h.sub.reference.toLowerCase(), reason: 'price' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ message: LOGGED_OUT_ANSWER });
    const [row] = await cancellationsOf(h.sub.id);
    expect(row).toMatchObject({ status: 'confirmed', channel: 'logged_out', reason: 'price', timing: 'period_end', shown: null, steps: 1 });
    expect(row!.effective_at!.toISOString()).toBe((await t.call('GET', `/api/v1/subscriptions/${h.sub.id}`)).json.currentPeriodEnd);
    // The confirmation goes to the e-mail on file (the first address), not only to whoever typed one.
    const [mail] = await mailFor(h.sub.reference);
    expect(mail).toMatchObject({ to: h.email, cancellationId: row!.id, reference: row!.reference, effectiveAt: row!.effective_at!.toISOString() });
    expect(mail!.text).toContain('If you did not ask for this, undo it with this link');
    const token = tokenIn(mail!.text)!;
    expect(token).toBeDefined();
    // Only the hash of the token is kept; it works until the effective date.
    const [reversal] = await t.store.db.selectFrom('cancellation_reversals').selectAll().where('cancellation_id', '=', row!.id).execute();
    expect(reversal!.token_hash).toBe(hashToken(token));
    expect(reversal!.expires_at.toISOString()).toBe(row!.effective_at!.toISOString());
    expect((await t.call('GET', `/api/v1/subscriptions/${h.sub.id}`)).json).toMatchObject({ status: 'active', renewsAt: null });
    // A second try for the same subscription changes nothing and sends nothing.
    expect((await cancel({ email: h.email, reference: h.sub.reference })).json()).toEqual({ message: LOGGED_OUT_ANSWER });
    expect(await cancellationsOf(h.sub.id)).toHaveLength(1);
    expect(await mailFor(h.sub.reference)).toHaveLength(1);
  });

  it('answers the same when the e-mail, the reference or the tenant does not match, and records and sends nothing', async () => {
    const h = await holder();
    const other = await holder();
    const outbox = async () => (await t.store.db.selectFrom('outbox').select('id').execute()).length;
    const before = await outbox();
    const answers = [
      await cancel({ email: other.email, reference: h.sub.reference }),
      await cancel({ email: h.email, reference: 'NO-SUCH1' }),
      await cancel({ email: h.email, reference: h.sub.reference }, slugB),
      await cancel({ email: h.email, reference: h.sub.reference }, 'no-such-tenant'),
    ];
    expect(answers.map((a) => a.statusCode)).toEqual([202, 202, 202, 202]);
    expect(new Set(answers.map((a) => a.body))).toEqual(new Set([JSON.stringify({ message: LOGGED_OUT_ANSWER })]));
    expect(await cancellationsOf(h.sub.id)).toHaveLength(0);
    expect(await outbox()).toBe(before);
  });

  it('confirms an attempt already open in the portal ("Cancel now"), counting the step', async () => {
    const h = await holder();
    const open = await t.call('POST', `/api/v1/subscriptions/${h.sub.id}/cancellations`, { body: { channel: 'portal', timing: 'immediate' } });
    await cancel({ email: h.email, reference: h.sub.reference });
    const rows = await cancellationsOf(h.sub.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: open.json.id, status: 'confirmed', steps: 2 });
    // Immediate: the link still works for a week, though the cancellation took effect at once.
    const [reversal] = await t.store.db.selectFrom('cancellation_reversals').selectAll().where('cancellation_id', '=', open.json.id).execute();
    expect(reversal!.expires_at.getTime()).toBeGreaterThan(Date.now() + 6 * DAY);
  });

  it('the owner reverses it once with the token: the subscription renews again; a second use, a foreign slug or an expired token is 404', async () => {
    const h = await holder();
    await cancel({ email: h.email, reference: h.sub.reference, timing: 'immediate' });
    expect((await t.call('GET', `/api/v1/subscriptions/${h.sub.id}`)).json.status).toBe('cancelled');
    const token = tokenIn((await mailFor(h.sub.reference))[0]!.text)!;
    expect((await reverse(token, slugB)).statusCode).toBe(404);
    const res = await reverse(token);
    expect(res.statusCode).toBe(200);
    const [row] = await cancellationsOf(h.sub.id);
    expect(res.json()).toEqual({ status: 'reversed', reference: row!.reference, subscriptionReference: h.sub.reference });
    expect(row).toMatchObject({ status: 'reversed' });
    expect(row!.ended_at).not.toBeNull();
    const sub = (await t.call('GET', `/api/v1/subscriptions/${h.sub.id}`)).json;
    expect(sub).toMatchObject({ status: 'active', renewsAt: sub.currentPeriodEnd });
    const again = await reverse(token);
    expect(again.statusCode).toBe(404);
    expect(again.json().type).toBe('urn:fairdesk:problem:reversal-link-invalid');
    const audit = await t.store.db.selectFrom('audit_log').select(['action', 'actor']).where('entity_id', 'in', [row!.id, h.sub.id]).execute();
    expect(audit).toEqual(expect.arrayContaining([{ action: 'cancellation.reversed', actor: `customer:${h.customerId}` }, { action: 'subscription.resumed', actor: `customer:${h.customerId}` }]));
    // After a reversal a new attempt may start.
    expect((await t.call('POST', `/api/v1/subscriptions/${h.sub.id}/cancellations`, { body: { channel: 'api', timing: 'period_end' } })).status).toBe(201);

    const late = await holder();
    await cancel({ email: late.email, reference: late.sub.reference });
    const lateToken = tokenIn((await mailFor(late.sub.reference))[0]!.text)!;
    await t.store.db.updateTable('cancellation_reversals').set({ expires_at: new Date(Date.now() - 1000) }).where('token_hash', '=', hashToken(lateToken)).execute();
    expect((await reverse(lateToken)).statusCode).toBe(404);
    expect((await cancellationsOf(late.sub.id))[0]!.status).toBe('confirmed');
  });

  it('refuses malformed input with 400 naming the field, and limits tries per address like the sign-in links', async () => {
    const bad = await cancel({ email: 'not-an-email', reference: 'x', timing: 'someday', extra: 1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/email', '/extra', '/reference', '/timing']);
    expect((await reverse('short')).statusCode).toBe(400);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await cancel({ email: 'prober@example.com', reference: `NW-AAAAA${i}` }, slug, '10.9.9.9')).statusCode);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
  });

  it('serves the page the reversal link opens: the token stays in the fragment and is used only on a button press, no inline script', async () => {
    const page = await t.app.inject({ method: 'GET', url: `/portal/${slug}/reverse-cancellation` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<script src="/portal/reverse.js"></script>');
    expect(page.body).not.toMatch(/<script>/);
    const script = await t.app.inject({ method: 'GET', url: '/portal/reverse.js' });
    expect(script.body).toContain(`/cancellations/reverse`);
    expect(script.body).toContain("addEventListener('click'");
  });

  it('racing a staff confirmation of the same open attempt: one confirmation, no server error', async () => {
    for (let i = 0; i < 3; i++) {
      const h = await holder();
      const open = await t.call('POST', `/api/v1/subscriptions/${h.sub.id}/cancellations`, { body: { channel: 'portal', timing: 'period_end' } });
      const [loggedOut, staff] = await Promise.all([cancel({ email: h.email, reference: h.sub.reference }, slug, `10.1.0.${i}`), t.call('POST', `/api/v1/cancellations/${open.json.id}/confirm`)]);
      expect(loggedOut.statusCode).toBe(202);
      expect([200, 409]).toContain(staff.status);
      const rows = await cancellationsOf(h.sub.id);
      expect(rows.map((r) => r.status)).toEqual(['confirmed']);
      expect((await mailFor(h.sub.reference)).length).toBe(1);
    }
  });
});
