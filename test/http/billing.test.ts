import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingRun } from '../../src/app/billing-run.ts';
import { confirmCancellation, localDateTime } from '../../src/app/confirm-cancellation.ts';
import { CHARGE_AFTER_CANCELLATION_ALERT, reconcileCharges } from '../../src/app/reconcile-charges.ts';
import { formatMoney } from '../../src/domain/charter/money.ts';
import { jobHandlers } from '../../src/jobs/handlers.ts';
import { createMailer } from '../../src/jobs/mailer.ts';
import { JobsWorker } from '../../src/jobs/worker.ts';
import { makeCustomer, startTestApp, type TestApp } from '../support/app.ts';
import { injectCharge } from '../support/ledger.ts';
import { onPostgres } from '../support/store.ts';
import { parseMessage, startSmtpCapture } from '../support/mail.ts';

let t: TestApp;
let pro: string; // 19.99 a month
beforeAll(async () => {
  t = await startTestApp();
  const product = (await t.call('POST', '/api/v1/products', { body: { name: 'Fax Line' } })).json.id as string;
  const res = await t.call('POST', '/api/v1/plans', { body: { productId: product, name: 'Pro', priceMinor: 1999, currency: 'EUR', interval: 'month', features: ['fax'] } });
  if (res.status !== 201) throw new Error(`plan: ${res.status} ${res.body}`);
  pro = res.json.id as string;
}, 60_000);
afterAll(async () => t?.close());

const DAY = 86_400_000;
const at = (days: number) => new Date(Date.now() + days * DAY);

/** A Pro subscription out of cooling-off whose current period ends in 20 days (19.99 → 21.99 from day 15). */
async function subscription(customerId: string, priceRise = false): Promise<{ id: string; reference: string }> {
  const res = await t.call('POST', '/api/v1/subscriptions', {
    body: {
      customerId,
      planId: pro,
      startedAt: at(-400).toISOString(),
      currentPeriodStart: at(-10).toISOString(),
      currentPeriodEnd: at(20).toISOString(),
      priceHistory: [{ priceMinor: 1999, from: at(-400).toISOString() }, ...(priceRise ? [{ priceMinor: 2199, from: at(15).toISOString() }] : [])],
    },
  });
  if (res.status !== 201) throw new Error(`subscription: ${res.status} ${res.body}`);
  return res.json as { id: string; reference: string };
}

async function cancelAtPeriodEnd(subscriptionId: string): Promise<{ id: string; effectiveAt: string; reference: string }> {
  const req = await t.call('POST', `/api/v1/subscriptions/${subscriptionId}/cancellations`, { body: { channel: 'portal', timing: 'period_end' } });
  if (req.status !== 201) throw new Error(`cancellation: ${req.status} ${req.body}`);
  const res = await t.call('POST', `/api/v1/cancellations/${req.json.id}/confirm`);
  if (res.status !== 200) throw new Error(`confirm: ${res.status} ${res.body}`);
  return { id: req.json.id as string, effectiveAt: res.json.effectiveAt as string, reference: res.json.reference as string };
}

const ledger = (subscriptionId: string) => t.store.db.selectFrom('charges').selectAll().where('subscription_id', '=', subscriptionId).orderBy('at').orderBy('kind').execute();

describe(`billing run and reconciliation (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('one run past the effective date charges the other subscription, not the cancelled one; a rerun charges nothing; an injected charge is refunded once', async () => {
    const customerId = await makeCustomer(t, t.a, { name: 'Billy Bill' });
    const kept = await subscription(customerId, true);
    const cancelled = await subscription(customerId);
    const cancellation = await cancelAtPeriodEnd(cancelled.id);
    expect(new Date(cancellation.effectiveAt).getTime()).toBeGreaterThan(Date.now());

    // 25 days on: one renewal of `kept` is due (at day 20, at the new price), and the cancellation took effect.
    const until = at(25);
    const first = await billingRun(t.store.db, { until });
    const mine = first.tenants.find((x) => x.tenantId === t.a.id)!;
    const keptRow = await t.store.db.selectFrom('subscriptions').selectAll().where('id', '=', kept.id).executeTakeFirstOrThrow();
    expect(mine.charged).toHaveLength(1);
    expect(mine.charged[0]).toMatchObject({ subscriptionId: kept.id, amountMinor: 2199, currency: 'EUR', periodEnd: keptRow.current_period_end.toISOString() });
    expect(keptRow.renews_at!.toISOString()).toBe(keptRow.current_period_end.toISOString());
    expect(keptRow.renews_at!.getTime()).toBeGreaterThan(until.getTime());
    expect(mine.ended).toEqual([{ subscriptionId: cancelled.id, cancellationId: cancellation.id, effectiveAt: cancellation.effectiveAt }]);
    expect(first.reconciliation.refunded).toEqual([]);
    const cancelledRow = await t.store.db.selectFrom('subscriptions').selectAll().where('id', '=', cancelled.id).executeTakeFirstOrThrow();
    expect(cancelledRow.status).toBe('cancelled');
    expect((await t.store.db.selectFrom('cancellations').select('status').where('id', '=', cancellation.id).executeTakeFirstOrThrow()).status).toBe('effective');
    expect(await ledger(cancelled.id)).toEqual([]);
    const keptCharges = await ledger(kept.id);
    expect(keptCharges.map((c) => ({ kind: c.kind, amount: Number(c.amount_minor), external: c.external_id }))).toEqual([
      { kind: 'charge', amount: 2199, external: `renewal:${kept.id}:${mine.charged[0]!.periodStart}` },
    ]);

    // Idempotent: the same run again charges and ends nothing.
    const again = await billingRun(t.store.db, { until });
    expect(again.tenants.find((x) => x.tenantId === t.a.id)).toEqual({ tenantId: t.a.id, charged: [], ended: [] });
    expect(await ledger(kept.id)).toHaveLength(1);

    // A charge slips through after the effective date (injected straight into the ledger).
    const injectedId = randomUUID();
    const injected = await injectCharge(t.store.db, {
      tenant_id: t.a.id,
      id: injectedId,
      subscription_id: cancelled.id,
      customer_id: customerId,
      amount_minor: 1999,
      currency: 'EUR',
      period_start: cancellation.effectiveAt,
      period_end: at(50),
      at: new Date(new Date(cancellation.effectiveAt).getTime() + DAY),
      external_id: `manual:${injectedId}`,
    });
    const reconciled = await reconcileCharges(t.store.db);
    expect(reconciled.refunded).toEqual([
      expect.objectContaining({ tenantId: t.a.id, chargeId: injectedId, subscriptionId: cancelled.id, cancellationId: cancellation.id, amountMinor: 1999, currency: 'EUR' }),
    ]);
    expect((await reconcileCharges(t.store.db)).refunded).toEqual([]);
    expect((await billingRun(t.store.db, { until })).reconciliation.refunded).toEqual([]);
    const refunds = (await ledger(cancelled.id)).filter((c) => c.kind === 'refund');
    expect(refunds.map((r) => ({ amount: Number(r.amount_minor), external: r.external_id, id: r.id, invoice: r.invoice_id }))).toEqual([
      { amount: 1999, external: `refund-of:${injectedId}`, id: reconciled.refunded[0]!.refundId, invoice: injected.invoiceId },
    ]);
    const alerts = await t.store.db.selectFrom('audit_log').selectAll().where('tenant_id', '=', t.a.id).where('action', '=', CHARGE_AFTER_CANCELLATION_ALERT).execute();
    expect(alerts.map((a) => a.entity_id)).toEqual([injectedId]);
    expect(
      (await t.store.db.selectFrom('audit_log').select('entity_id').where('tenant_id', '=', t.a.id).where('action', '=', 'billing.charged').execute()).map((a) => a.entity_id),
    ).toContain(keptCharges[0]!.id);

    // Spend entries mirror every charge and refund the billing wrote (the injected one bypassed it).
    const spend = await t.store.db.selectFrom('spend_entries').selectAll().where('tenant_id', '=', t.a.id).where('customer_id', '=', customerId).orderBy('external_id').execute();
    expect(spend.map((s) => ({ external: s.external_id, amount: Number(s.amount_minor), currency: s.currency, at: s.at.toISOString() })).sort((x, y) => x.external.localeCompare(y.external))).toEqual(
      [
        { external: `charge:${keptCharges[0]!.id}`, amount: 2199, currency: 'EUR', at: keptCharges[0]!.at.toISOString() },
        { external: `refund:${refunds[0]!.id}`, amount: -1999, currency: 'EUR', at: refunds[0]!.at.toISOString() },
      ].sort((x, y) => x.external.localeCompare(y.external)),
    );
  });

  it('charges several periods when several renewals are due, at the price in force at each', async () => {
    const customerId = await makeCustomer(t, t.b, { name: 'Multi Period' });
    const res = await t.call('POST', '/api/v1/subscriptions', {
      as: t.b,
      body: { customerId, planId: await bPlan(), startedAt: at(-40).toISOString(), currentPeriodStart: at(-10).toISOString(), currentPeriodEnd: at(20).toISOString() },
    });
    expect(res.status).toBe(201);
    const run = await billingRun(t.store.db, { until: at(100) });
    const charged = run.tenants.find((x) => x.tenantId === t.b.id)!.charged.filter((c) => c.subscriptionId === res.json.id);
    expect(charged.length).toBe(3); // renewals at about day 20, 50 and 80
    for (let i = 1; i < charged.length; i++) expect(charged[i]!.periodStart).toBe(charged[i - 1]!.periodEnd);
    expect(new Set(charged.map((c) => c.amountMinor))).toEqual(new Set([500]));
    expect((await billingRun(t.store.db, { until: at(100) })).tenants.find((x) => x.tenantId === t.b.id)!.charged).toEqual([]);
  });
});

let bPlanId: string | undefined;
async function bPlan(): Promise<string> {
  if (bPlanId) return bPlanId;
  const product = (await t.call('POST', '/api/v1/products', { as: t.b, body: { name: 'Other Thing' } })).json.id as string;
  bPlanId = (await t.call('POST', '/api/v1/plans', { as: t.b, body: { productId: product, name: 'Small', priceMinor: 500, currency: 'GBP', interval: 'month', features: [] } })).json.id as string;
  return bPlanId;
}

describe(`the cancellation confirmation e-mail on a real SMTP server (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('is received, and each field matches the database', async () => {
    const smtp = await startSmtpCapture();
    const { received } = smtp;
    const mailer = createMailer({ smtpUrl: smtp.url, dataDir: t.store.dataDir });
    const worker = new JobsWorker({ db: t.store.db, handlers: jobHandlers({ mailer, mailFrom: 'help@example.com' }) });
    try {
      const customerId = await makeCustomer(t, t.a, { name: 'Mia Müller', emails: ['mia@example.com'], timeZone: 'Europe/Berlin', locale: 'de-DE' });
      const sub = await subscription(customerId);
      const req = await t.call('POST', `/api/v1/subscriptions/${sub.id}/cancellations`, { body: { channel: 'portal', timing: 'immediate' } });
      const confirmed = await t.call('POST', `/api/v1/cancellations/${req.json.id}/confirm`);
      expect(confirmed.status).toBe(200);
      // Other tests' jobs may be queued too; run until ours has gone out.
      for (let i = 0; i < 5 && !received.some((m) => m.to.includes('mia@example.com')); i++) await worker.runDue();
      const mine = received.filter((m) => m.to.includes('mia@example.com'));
      expect(mine).toHaveLength(1);
      const { headers, text } = parseMessage(mine[0]!.raw);

      const row = await t.store.db.selectFrom('cancellations').selectAll().where('id', '=', req.json.id).executeTakeFirstOrThrow();
      const subRow = await t.store.db.selectFrom('subscriptions').selectAll().where('id', '=', sub.id).executeTakeFirstOrThrow();
      const plan = await t.store.db.selectFrom('plans').selectAll().where('id', '=', subRow.plan_id).executeTakeFirstOrThrow();
      const customer = await t.store.db.selectFrom('customers').selectAll().where('id', '=', customerId).executeTakeFirstOrThrow();
      const spend = await t.store.db.selectFrom('spend_entries').selectAll().where('external_id', '=', `cancellation-refund:${row.id}`).executeTakeFirstOrThrow();
      const zone = customer.time_zone!;
      const subscriptionName = `${plan.name} (${subRow.reference})`;
      const field = (label: string) => new RegExp(`^${label}: (.*)$`, 'm').exec(text)?.[1];

      expect(headers.to).toBe(customer.emails[0]);
      expect(headers.from).toBe('help@example.com');
      expect(headers.subject).toBe(`Your cancellation of ${subscriptionName} is confirmed (${row.reference})`);
      // The declaration, with the date and time of receipt in the customer's zone, named.
      const declaration = /^Your declaration: "(.*)" — received on (.*)\.$/m.exec(text);
      expect(declaration?.[1]).toBe(`I cancel my subscription ${subscriptionName}.`);
      expect(declaration?.[2]).toBe(localDateTime(row.confirmed_at!, zone));
      expect(declaration?.[2]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} \(Europe\/Berlin\)$/);
      expect(field('Subscription')).toBe(subscriptionName);
      expect(field('Ends on')).toBe(localDateTime(row.effective_at!, zone));
      expect(field('No charges after')).toBe(localDateTime(row.effective_at!, zone));
      expect(Number(row.refund_minor)).toBeGreaterThan(0);
      expect(Number(spend.amount_minor)).toBe(-Number(row.refund_minor));
      expect(field('Refund')).toBe(`${formatMoney(Number(row.refund_minor), plan.currency, customer.locale ?? undefined)}, to the payment method on file`);
      expect(field('Reference')).toBe(row.reference);
      expect(text).toContain(`Cancellation reference: ${row.reference}.`);
    } finally {
      mailer.close();
      await smtp.close();
    }
  });

  it("the customer's ledger: charges and refunds newest first, with the running balance, keyset-paginated", async () => {
    const customerId = await makeCustomer(t, t.a, { name: 'Lena Ledger' });
    const sub = await subscription(customerId);
    const run = await billingRun(t.store.db, { until: at(21) });
    const charged = run.tenants.flatMap((x) => x.charged).find((c) => c.subscriptionId === sub.id)!;
    expect(charged.amountMinor).toBe(1999);
    // On the simulated clock, a day into the new period: cancelled at once, the unused days are refunded.
    const req = await t.call('POST', `/api/v1/subscriptions/${sub.id}/cancellations`, { body: { channel: 'api', timing: 'immediate' } });
    const confirmed = await confirmCancellation({ db: t.store.db, tenantId: t.a.id, actor: 'test' }, req.json.id, { now: at(21) });
    const refundMinor = confirmed.refund.amountMinor;
    expect(refundMinor).toBeGreaterThan(0);

    const all = await t.call('GET', `/api/v1/customers/${customerId}/ledger`);
    expect(all.status).toBe(200);
    expect(all.json.nextCursor).toBeNull();
    expect(all.json.data.map((e: { kind: string; amountMinor: number; balanceMinor: number }) => [e.kind, e.amountMinor, e.balanceMinor])).toEqual([
      ['refund', refundMinor, 1999 - refundMinor],
      ['charge', 1999, 1999],
    ]);
    expect(all.json.data[0]).toMatchObject({ subscriptionId: sub.id, currency: 'EUR', externalId: `cancellation-refund:${req.json.id}` });
    expect(all.json.data[1]).toMatchObject({ periodStart: charged.periodStart, periodEnd: charged.periodEnd, at: charged.periodStart });

    const first = await t.call('GET', `/api/v1/customers/${customerId}/ledger?limit=1`);
    expect(first.json.data).toHaveLength(1);
    const second = await t.call('GET', `/api/v1/customers/${customerId}/ledger?limit=1&cursor=${first.json.nextCursor}`);
    expect(second.json).toEqual({ data: [all.json.data[1]], nextCursor: null });

    expect((await t.call('GET', `/api/v1/customers/${customerId}/ledger`, { as: t.b })).status).toBe(404);
    const bad = await t.call('GET', `/api/v1/customers/${customerId}/ledger?cursor=nonsense`);
    expect([bad.status, bad.json.errors[0].parameter]).toEqual([400, 'cursor']);
  });
});
