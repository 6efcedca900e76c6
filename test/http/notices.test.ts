import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingRun } from '../../src/app/billing-run.ts';
import { sendDueNotices } from '../../src/app/send-due-notices.ts';
import { formatMoney } from '../../src/domain/charter/money.ts';
import { localDate } from '../../src/domain/notices.ts';
import { jobHandlers } from '../../src/jobs/handlers.ts';
import { createMailer } from '../../src/jobs/mailer.ts';
import { JobsWorker } from '../../src/jobs/worker.ts';
import { makeCustomer, startTestApp, type TestApp } from '../support/app.ts';
import { parseMessage, startSmtpCapture } from '../support/mail.ts';
import { onPostgres } from '../support/store.ts';

const ORIGIN = 'https://help.example.com';
const DAY = 86_400_000;
const at = (days: number) => new Date(Date.now() + days * DAY);

let t: TestApp;
let product: string;
let productB: string;
let slug: string;
beforeAll(async () => {
  t = await startTestApp();
  product = (await t.call('POST', '/api/v1/products', { body: { name: 'Fax Line' } })).json.id as string;
  productB = (await t.call('POST', '/api/v1/products', { as: t.b, body: { name: 'Fax Line' } })).json.id as string;
  slug = (await t.call('GET', '/api/v1/tenant')).json.slug as string;
}, 60_000);
afterAll(async () => t?.close());

type Tenant = TestApp['a'];

async function plan(priceMinor = 1999, interval: 'month' | 'year' = 'month', as: Tenant = t.a): Promise<string> {
  const productId = as === t.a ? product : productB;
  const res = await t.call('POST', '/api/v1/plans', { as, body: { productId, name: interval === 'month' ? 'Pro' : 'Pro Yearly', priceMinor, currency: 'EUR', interval, features: ['fax'] } });
  if (res.status !== 201) throw new Error(`plan: ${res.status} ${res.body}`);
  return res.json.id as string;
}

async function subscribe(planId: string, body: Record<string, unknown> = {}, customer: Record<string, unknown> = {}, as: Tenant = t.a) {
  const customerId = await makeCustomer(t, as, { name: 'Nora Notice', emails: [`nora${Math.random().toString(36).slice(2)}@example.com`], ...customer });
  const res = await t.call('POST', '/api/v1/subscriptions', { as, body: { customerId, planId, ...body } });
  if (res.status !== 201) throw new Error(`subscription: ${res.status} ${res.body}`);
  return { customerId, ...(res.json as { id: string; reference: string; status: string; renewsAt: string; currentPeriodEnd: string; trialEndsAt: string | null }) };
}

type ListedNotice = { id: string; kind: string; figures: Record<string, string | number>; to: string | null; sentAt: string; periodKey: string; priceChangeId: string | null; termsChangeId: string | null };
const notices = async (subscriptionId: string, as: Tenant = t.a) => (await t.call('GET', `/api/v1/subscriptions/${subscriptionId}/notices`, { as })).json.data as ListedNotice[];
const emailsOf = (noticeId: string) => t.store.db.selectFrom('outbox').select(['kind', 'payload']).where('kind', '=', 'email.send').where(sql<string>`payload->>'noticeId'`, '=', noticeId).execute();
const cancelLink = (reference: string) => `${ORIGIN}/portal/${slug}/cancel?reference=${reference}`;

describe(`notices before the fact (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('refuses a price change less than 30 days ahead, naming effectiveAt', async () => {
    const p = await plan();
    for (const days of [0, 29, 29.99]) {
      const res = await t.call('POST', `/api/v1/plans/${p}/price-changes`, { body: { priceMinor: 2199, effectiveAt: at(days).toISOString(), reason: 'Costs rose' } });
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json.errors).toEqual([expect.objectContaining({ pointer: '/effectiveAt' })]);
    }
    const missing = await t.call('POST', `/api/v1/plans/${p}/price-changes`, { body: { priceMinor: 2199, effectiveAt: at(40).toISOString() } });
    expect(missing.status).toBe(400);
    expect(missing.json.errors).toEqual([expect.objectContaining({ pointer: '/reason' })]);
    expect((await t.call('POST', '/api/v1/plans/00000000-0000-7000-8000-000000000000/price-changes', { body: { priceMinor: 1, effectiveAt: at(40).toISOString(), reason: 'x' } })).status).toBe(404);
    expect(await t.store.db.selectFrom('price_changes').select('id').where('plan_id', '=', p).execute()).toEqual([]);
  });

  it("tells every renewing subscriber their own old and new price, the yearly difference and the cancel link; later subscribers too; each once", async () => {
    const p = await plan();
    const regular = await subscribe(p);
    const grandfathered = await subscribe(p, { startedAt: at(-100).toISOString(), priceHistory: [{ priceMinor: 1799, from: at(-100).toISOString() }] });
    const leaving = await subscribe(p);
    const started = await t.call('POST', `/api/v1/subscriptions/${leaving.id}/cancellations`, { body: { channel: 'portal' } });
    expect((await t.call('POST', `/api/v1/cancellations/${started.json.id}/confirm`)).status).toBe(200);

    const effectiveAt = at(31).toISOString();
    const res = await t.call('POST', `/api/v1/plans/${p}/price-changes`, { body: { priceMinor: 2199, effectiveAt, reason: 'Our fax carrier raised its prices.' }, headers: { origin: ORIGIN } });
    expect(res.status, res.body).toBe(201);
    expect(res.json).toMatchObject({ planId: p, priceMinor: 2199, currency: 'EUR', effectiveAt, noticed: 2 });

    for (const [sub, old] of [[regular, 1999], [grandfathered, 1799]] as const) {
      const [notice] = await notices(sub.id);
      expect(notice).toMatchObject({ kind: 'price_change', figures: { oldPriceMinor: old, newPriceMinor: 2199, yearlyDifferenceMinor: (2199 - old) * 12, currency: 'EUR', effectiveAt } });
      const [email] = await emailsOf((await t.store.db.selectFrom('notices').select('id').where('subscription_id', '=', sub.id).executeTakeFirstOrThrow()).id);
      expect(String(email!.payload.text)).toContain(`Your price now: ${formatMoney(old, 'EUR')} a month.`);
      expect(String(email!.payload.cancelUrl)).toMatch(new RegExp(`/portal/${slug}/cancel\\?reference=${sub.reference}$`));
    }
    expect(await notices(leaving.id)).toEqual([]);

    // Subscribed after the announcement, before it takes effect: told by the notice job, once.
    const late = await subscribe(p);
    const first = await sendDueNotices(t.store.db, { publicOrigin: ORIGIN });
    expect(first.priceChange).toBeGreaterThanOrEqual(1);
    const [lateNotice] = await notices(late.id);
    expect(lateNotice).toMatchObject({ kind: 'price_change', figures: { oldPriceMinor: 1999, newPriceMinor: 2199, cancelUrl: cancelLink(late.reference) } });
    await sendDueNotices(t.store.db, { publicOrigin: ORIGIN });
    expect(await notices(late.id)).toHaveLength(1);
    expect(await notices(regular.id)).toHaveLength(1);
  });

  it('billing charges the new price only for periods starting on or after effectiveAt, and appends it to the price history', async () => {
    const p = await plan();
    const sub = await subscribe(p, { startedAt: at(-10).toISOString(), currentPeriodStart: at(-10).toISOString(), currentPeriodEnd: at(20).toISOString() });
    const effectiveAt = at(35);
    expect((await t.call('POST', `/api/v1/plans/${p}/price-changes`, { body: { priceMinor: 2499, effectiveAt: effectiveAt.toISOString(), reason: 'New features' } })).status).toBe(201);
    const run = await billingRun(t.store.db, { until: at(60), publicOrigin: ORIGIN });
    const charged = run.tenants.flatMap((x) => x.charged).filter((c) => c.subscriptionId === sub.id);
    expect(charged.map((c) => [c.amountMinor, new Date(c.periodStart).getTime() >= effectiveAt.getTime()])).toEqual([
      [1999, false],
      [2499, true],
    ]);
    const after = (await t.call('GET', `/api/v1/subscriptions/${sub.id}`)).json;
    expect(after.priceHistory).toHaveLength(2);
    expect(after.priceHistory[0].priceMinor).toBe(1999);
    expect(after.priceHistory[1]).toEqual({ priceMinor: 2499, from: effectiveAt.toISOString() });
    // The change took effect by the run's --until: the plan's list price is the new one, and a new subscriber starts on it.
    expect((await t.call('GET', `/api/v1/plans?productId=${product}`)).json.data.find((x: { id: string }) => x.id === p).priceMinor).toBe(2499);
    const newcomer = await subscribe(p);
    expect((await t.call('GET', `/api/v1/subscriptions/${newcomer.id}`)).json.priceHistory[0].priceMinor).toBe(2499);
  });

  it('starts a trial: status trialing, nothing charged, a reminder 7 days before with the price that starts, billing from trialEndsAt', async () => {
    const p = await plan();
    const trialEndsAt = at(10);
    const sub = await subscribe(p, { trialEndsAt: trialEndsAt.toISOString() });
    expect(sub).toMatchObject({ status: 'trialing', trialEndsAt: trialEndsAt.toISOString(), renewsAt: trialEndsAt.toISOString(), currentPeriodEnd: trialEndsAt.toISOString() });
    const early = await billingRun(t.store.db, { until: at(2), publicOrigin: ORIGIN });
    expect(early.tenants.flatMap((x) => x.charged).filter((c) => c.subscriptionId === sub.id)).toEqual([]);
    expect(await notices(sub.id)).toEqual([]); // 8 days before the end: not yet
    await sendDueNotices(t.store.db, { now: at(3.5), publicOrigin: ORIGIN });
    const [reminder] = await notices(sub.id);
    expect(reminder).toMatchObject({ kind: 'trial_reminder', figures: { priceMinor: 1999, yearlyMinor: 1999 * 12, trialEndsAt: trialEndsAt.toISOString(), cancelUrl: cancelLink(sub.reference) } });
    const paid = await billingRun(t.store.db, { until: new Date(trialEndsAt.getTime() + 1000), publicOrigin: ORIGIN });
    const charges = paid.tenants.flatMap((x) => x.charged).filter((c) => c.subscriptionId === sub.id);
    expect(charges).toEqual([expect.objectContaining({ amountMinor: 1999, periodStart: trialEndsAt.toISOString() })]);
    expect((await t.call('GET', `/api/v1/subscriptions/${sub.id}`)).json.status).toBe('active');
    expect(await notices(sub.id)).toHaveLength(1);

    // Shorter than 7 days: reminded at once.
    const short = await subscribe(p, { trialEndsAt: at(3).toISOString() });
    await sendDueNotices(t.store.db, { publicOrigin: ORIGIN });
    expect((await notices(short.id)).map((n) => n.kind)).toEqual(['trial_reminder']);
    // A trial cancelled before it ends refunds nothing (nothing was paid).
    const req = await t.call('POST', `/api/v1/subscriptions/${short.id}/cancellations`, { body: { channel: 'portal', timing: 'immediate' } });
    const confirmed = await t.call('POST', `/api/v1/cancellations/${req.json.id}/confirm`);
    expect(confirmed.json.refund.amountMinor).toBe(0);

    const bad = await t.call('POST', '/api/v1/subscriptions', { body: { customerId: short.customerId, planId: p, startedAt: at(0).toISOString(), trialEndsAt: at(-1).toISOString() } });
    expect(bad.status).toBe(422);
    expect(bad.json.errors).toEqual([expect.objectContaining({ pointer: '/trialEndsAt' })]);
  });

  it('reminds every auto-renewing subscription once a year: yearly plans 30 days before renewal, monthly ones on the anniversary', async () => {
    const yearlyPlan = await plan(19900, 'year');
    const yearly = await subscribe(yearlyPlan, { startedAt: at(-345).toISOString(), currentPeriodStart: at(-345).toISOString(), currentPeriodEnd: at(20).toISOString() });
    const notYet = await subscribe(yearlyPlan, { startedAt: at(-300).toISOString(), currentPeriodStart: at(-300).toISOString(), currentPeriodEnd: at(65).toISOString() });
    const monthlyPlan = await plan();
    const anniversary = await subscribe(monthlyPlan, { startedAt: at(-367).toISOString(), currentPeriodStart: at(-2).toISOString(), currentPeriodEnd: at(28).toISOString() });
    const young = await subscribe(monthlyPlan, { startedAt: at(-200).toISOString(), currentPeriodStart: at(-17).toISOString(), currentPeriodEnd: at(13).toISOString() });

    await sendDueNotices(t.store.db, { publicOrigin: ORIGIN });
    await sendDueNotices(t.store.db, { publicOrigin: ORIGIN });
    expect(await notices(yearly.id)).toEqual([
      expect.objectContaining({ kind: 'annual_reminder', figures: expect.objectContaining({ priceMinor: 19900, yearlyMinor: 19900, renewsAt: yearly.renewsAt, cancelUrl: cancelLink(yearly.reference) }) }),
    ]);
    expect(await notices(notYet.id)).toEqual([]);
    expect(await notices(anniversary.id)).toEqual([expect.objectContaining({ kind: 'annual_reminder', figures: expect.objectContaining({ priceMinor: 1999, yearlyMinor: 1999 * 12 }) })]);
    expect(await notices(young.id)).toEqual([]);
    // Thirty-five days on, the yearly one is not reminded again for the same renewal (and the run charges it).
    const run = await billingRun(t.store.db, { until: at(35), publicOrigin: ORIGIN });
    expect(run.notices).not.toBeNull();
    expect((await notices(yearly.id)).filter((n) => n.kind === 'annual_reminder')).toHaveLength(1);
    expect((await notices(notYet.id)).map((n) => n.kind)).toEqual(['annual_reminder']);
  });

  it("keeps an erased customer's notices without the address they went to", async () => {
    const p = await plan();
    const sub = await subscribe(p);
    expect((await t.call('POST', `/api/v1/plans/${p}/price-changes`, { body: { priceMinor: 2099, effectiveAt: at(40).toISOString(), reason: 'Costs rose.' } })).status).toBe(201);
    expect((await notices(sub.id))[0]!.to).toMatch(/@example\.com$/);
    const erased = await t.call('POST', `/api/v1/customers/${sub.customerId}/erasure`);
    expect(erased.status, erased.body).toBeLessThan(300);
    const [notice] = await notices(sub.id);
    expect(notice).toMatchObject({ kind: 'price_change', to: null, figures: expect.objectContaining({ newPriceMinor: 2099 }) });
  });

  it('delivers a price-change notice over real SMTP whose figures match the database', async () => {
    const smtp = await startSmtpCapture();
    const { received } = smtp;
    const mailer = createMailer({ smtpUrl: smtp.url, dataDir: t.store.dataDir });
    const worker = new JobsWorker({ db: t.store.db, handlers: jobHandlers({ mailer, mailFrom: 'help@example.com' }) });
    try {
      const p = await plan(999);
      const sub = await subscribe(p, {}, { name: 'Jörg Jahr', emails: ['joerg@example.com'], timeZone: 'Europe/Berlin', locale: 'de-DE' });
      const effectiveAt = at(45).toISOString();
      const res = await t.call('POST', `/api/v1/plans/${p}/price-changes`, { body: { priceMinor: 1249, effectiveAt, reason: 'Our fax carrier raised its prices.' } });
      expect(res.status).toBe(201);
      for (let i = 0; i < 10 && !received.some((m) => m.to.includes('joerg@example.com')); i++) await worker.runDue();
      const mine = received.filter((m) => m.to.includes('joerg@example.com'));
      expect(mine).toHaveLength(1);
      const { headers, text } = parseMessage(mine[0]!.raw);

      const notice = await t.store.db.selectFrom('notices').selectAll().where('subscription_id', '=', sub.id).executeTakeFirstOrThrow();
      const change = await t.store.db.selectFrom('price_changes').selectAll().where('id', '=', notice.price_change_id!).executeTakeFirstOrThrow();
      const subRow = await t.store.db.selectFrom('subscriptions').selectAll().where('id', '=', sub.id).executeTakeFirstOrThrow();
      const planRow = await t.store.db.selectFrom('plans').selectAll().where('id', '=', p).executeTakeFirstOrThrow();
      const customer = await t.store.db.selectFrom('customers').selectAll().where('id', '=', sub.customerId).executeTakeFirstOrThrow();
      const tenant = await t.store.db.selectFrom('tenants').select('slug').where('id', '=', t.a.id).executeTakeFirstOrThrow();
      const money = (minor: number) => formatMoney(minor, planRow.currency, customer.locale!);
      const oldPrice = Number(subRow.price_history[0]!.priceMinor);
      const newPrice = Number(change.price_minor);
      const when = localDate(change.effective_at, customer.time_zone!);

      expect(headers.to).toBe(customer.emails[0]);
      expect(headers.from).toBe('help@example.com');
      expect(headers.subject).toBe(`The price of ${planRow.name} (${subRow.reference}) changes on ${when}`);
      expect(notice.to_address).toBe(customer.emails[0]);
      expect(when).toMatch(/^\d{4}-\d{2}-\d{2} \(Europe\/Berlin\)$/);
      const line = (label: string) => new RegExp(`^${label.replace(/[()]/g, '\\$&')}: (.*)$`, 'm').exec(text)?.[1];
      expect(line('Your price now')).toBe(`${money(oldPrice)} a month.`);
      expect(line(`Your price from ${when}`)).toBe(`${money(newPrice)} a month.`);
      expect(line('Over a year')).toBe(`${money(newPrice * 12)} instead of ${money(oldPrice * 12)}, which is ${money((newPrice - oldPrice) * 12)} more.`);
      expect(line('Why')).toBe(change.reason);
      // The one-click cancel link: the portal's logged-out cancel page for this subscription.
      const link = /(https?:\/\/\S+\/portal\/\S+)$/m.exec(text)?.[1];
      expect(link).toMatch(new RegExp(`/portal/${tenant.slug}/cancel\\?reference=${subRow.reference}$`));
      expect(notice.figures).toMatchObject({ oldPriceMinor: oldPrice, newPriceMinor: newPrice, yearlyDifferenceMinor: (newPrice - oldPrice) * 12, effectiveAt: change.effective_at.toISOString(), cancelUrl: link });
      expect(notice.sent_at.getTime()).toBeLessThanOrEqual(Date.now());
    } finally {
      mailer.close();
      await smtp.close();
    }
  });
  describe('changes of terms', () => {
    const summary = 'the monthly fax cap falls from 200 to 150 pages';
    // Announced over HTTP, the cancel link is at the request's host; sent by the job, at its publicOrigin.
    const anyHostLink = (reference: string) => new RegExp(`^https?://[^/]+/portal/${slug}/cancel\\?reference=${reference}$`);

    it('refuses a change of terms less than 30 days ahead, naming effectiveAt; and a missing summary, naming it', async () => {
      const p = await plan();
      for (const days of [0, 29, 29.99]) {
        const res = await t.call('POST', `/api/v1/plans/${p}/term-changes`, { body: { summary, effectiveAt: at(days).toISOString() } });
        expect(res.status).toBe(422);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json.errors).toEqual([expect.objectContaining({ pointer: '/effectiveAt' })]);
      }
      for (const body of [{ effectiveAt: at(40).toISOString() }, { summary: '   ', effectiveAt: at(40).toISOString() }]) {
        const res = await t.call('POST', `/api/v1/plans/${p}/term-changes`, { body });
        expect(res.status).toBe(400);
        expect(res.json.errors).toEqual([expect.objectContaining({ pointer: '/summary' })]);
      }
      const bad = await t.call('POST', `/api/v1/plans/${p}/term-changes`, { body: { summary, effectiveAt: 'next month' } });
      expect(bad.status).toBe(400);
      expect(bad.json.errors).toEqual([expect.objectContaining({ pointer: '/effectiveAt' })]);
      expect((await t.call('POST', '/api/v1/plans/00000000-0000-7000-8000-000000000000/term-changes', { body: { summary, effectiveAt: at(40).toISOString() } })).status).toBe(404);
      expect(await t.store.db.selectFrom('term_changes').select('id').where('plan_id', '=', p).execute()).toEqual([]);
      // Exactly 30 days ahead is enough.
      expect((await t.call('POST', `/api/v1/plans/${p}/term-changes`, { body: { summary, effectiveAt: at(30.001).toISOString() } })).status).toBe(201);
    });

    it('tells every renewing subscriber, once, with the change, the date in their zone, what they pay now and the cancel link; not another tenant\'s', async () => {
      const p = await plan();
      const berlin = await subscribe(p, {}, { name: 'Bea Berlin', timeZone: 'Europe/Berlin' });
      const grandfathered = await subscribe(p, { startedAt: at(-100).toISOString(), priceHistory: [{ priceMinor: 1799, from: at(-100).toISOString() }] }, { name: 'Nick York', timeZone: 'America/New_York' });
      const trial = await subscribe(p, { trialEndsAt: at(10).toISOString() });
      const leaving = await subscribe(p);
      const started = await t.call('POST', `/api/v1/subscriptions/${leaving.id}/cancellations`, { body: { channel: 'portal' } });
      expect((await t.call('POST', `/api/v1/cancellations/${started.json.id}/confirm`)).status).toBe(200);
      // Tenant B: a plan and subscriber of its own.
      const planB = await plan(1999, 'month', t.b);
      const subB = await subscribe(planB, {}, {}, t.b);

      const effectiveAt = at(45).toISOString();
      const details = 'Pages beyond the cap cost what they cost today.';
      const send = () => t.call('POST', `/api/v1/plans/${p}/term-changes`, { body: { summary, details, effectiveAt }, headers: { 'idempotency-key': `terms-${p}` } });
      const res = await send();
      expect(res.status, res.body).toBe(201);
      expect(res.json).toMatchObject({ planId: p, summary, details, effectiveAt, noticed: 3 });
      // The same Idempotency-Key replays the answer: no second change, no second notice.
      const again = await send();
      expect(again.json.id).toBe(res.json.id);
      expect(await t.store.db.selectFrom('term_changes').select('id').where('plan_id', '=', p).execute()).toHaveLength(1);

      for (const [sub, paid, zone] of [[berlin, 1999, 'Europe/Berlin'], [grandfathered, 1799, 'America/New_York'], [trial, 1999, 'UTC']] as const) {
        const listed = await notices(sub.id);
        expect(listed).toEqual([
          expect.objectContaining({ kind: 'terms_change', periodKey: res.json.id, termsChangeId: res.json.id, priceChangeId: null, figures: expect.objectContaining({ summary, details, priceMinor: paid, yearlyMinor: paid * 12, currency: 'EUR', effectiveAt, cancelUrl: expect.stringMatching(anyHostLink(sub.reference)) }) }),
        ]);
        const [email] = await emailsOf(listed[0]!.id);
        const text = String(email!.payload.text);
        expect(email!.payload.subject).toBe(`The terms of Pro (${sub.reference}) change on ${localDate(new Date(effectiveAt), zone)}`);
        expect(text).toContain(`What changes: ${summary}`);
        expect(text).toContain(`Details: ${details}`);
        expect(text).toContain(`change on ${localDate(new Date(effectiveAt), zone)}.`);
        expect(text).toContain(sub === trial ? `nothing during your free trial, which ends on ${localDate(new Date(trial.trialEndsAt!), zone)}; from then ${formatMoney(paid, 'EUR')} a month` : `What you pay now: ${formatMoney(paid, 'EUR')} a month (${formatMoney(paid * 12, 'EUR')} a year).`);
        expect(text).toContain(listed[0]!.figures.cancelUrl);
      }
      expect(await notices(leaving.id)).toEqual([]);
      expect(await notices(subB.id, t.b)).toEqual([]);
      // Tenant A cannot announce on B's plan; B's own change reaches B's subscriber only.
      expect((await t.call('POST', `/api/v1/plans/${planB}/term-changes`, { body: { summary, effectiveAt } })).status).toBe(404);
      const ofB = await t.call('POST', `/api/v1/plans/${planB}/term-changes`, { as: t.b, body: { summary: 'B: streaming leaves the plan', effectiveAt } });
      expect(ofB.json).toMatchObject({ noticed: 1 });
      expect((await notices(subB.id, t.b)).map((n) => n.figures.summary)).toEqual(['B: streaming leaves the plan']);
      expect((await notices(berlin.id)).map((n) => n.figures.summary)).toEqual([summary]);

      // The notice job finds nothing more to send for either tenant's change.
      await sendDueNotices(t.store.db, { publicOrigin: ORIGIN });
      for (const sub of [berlin, grandfathered, trial]) expect((await notices(sub.id)).filter((n) => n.kind === 'terms_change')).toHaveLength(1);
      expect(await notices(subB.id, t.b)).toHaveLength(1);
      // A second change of the same plan is a notice of its own.
      expect((await t.call('POST', `/api/v1/plans/${p}/term-changes`, { body: { summary: 'fax-to-e-mail is included', effectiveAt: at(50).toISOString() } })).json.noticed).toBe(3);
      expect((await notices(berlin.id)).map((n) => n.figures.summary).sort()).toEqual(['fax-to-e-mail is included', summary]);
    });

    it('a subscriber who joins after the announcement and before it takes effect is told by the notice job, once; not after it took effect', async () => {
      const p = await plan(2499);
      const early = await subscribe(p);
      const effectiveAt = at(31);
      const res = await t.call('POST', `/api/v1/plans/${p}/term-changes`, { body: { summary, effectiveAt: effectiveAt.toISOString() } });
      expect(res.json.noticed).toBe(1);
      const late = await subscribe(p, {}, { timeZone: 'Asia/Tokyo' });
      expect(await notices(late.id)).toEqual([]);
      const first = await sendDueNotices(t.store.db, { publicOrigin: ORIGIN });
      expect(first.termsChange).toBeGreaterThanOrEqual(1);
      expect(await notices(late.id)).toEqual([
        expect.objectContaining({ kind: 'terms_change', termsChangeId: res.json.id, figures: expect.objectContaining({ summary, priceMinor: 2499, effectiveAt: effectiveAt.toISOString(), cancelUrl: cancelLink(late.reference) }) }),
      ]);
      const [email] = await emailsOf((await notices(late.id))[0]!.id);
      expect(String(email!.payload.text)).toContain(`change on ${localDate(effectiveAt, 'Asia/Tokyo')}.`);
      await sendDueNotices(t.store.db, { publicOrigin: ORIGIN });
      expect(await notices(late.id)).toHaveLength(1);
      expect(await notices(early.id)).toHaveLength(1);
      // Once the new terms are in effect, a newcomer joins on them: nothing to tell.
      const newcomer = await subscribe(p);
      await sendDueNotices(t.store.db, { now: new Date(effectiveAt.getTime() + 1000), publicOrigin: ORIGIN });
      expect((await notices(newcomer.id)).filter((n) => n.kind === 'terms_change')).toEqual([]);
    });
  });
});
