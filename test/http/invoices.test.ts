import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueInvoice } from '../../src/app/billing-ledger.ts';
import { billingRun } from '../../src/app/billing-run.ts';
import { confirmCancellation } from '../../src/app/confirm-cancellation.ts';
import { reconcileCharges } from '../../src/app/reconcile-charges.ts';
import { withTenant } from '../../src/db/with-tenant.ts';
import { makeCustomer, startTestApp, type TestApp, type TestTenant } from '../support/app.ts';
import { injectCharge } from '../support/ledger.ts';
import { onPostgres } from '../support/store.ts';

let t: TestApp;
const plans = new Map<string, string>(); // tenant id → Pro plan (19.99 EUR a month)
beforeAll(async () => {
  t = await startTestApp();
  for (const as of [t.a, t.b]) {
    const product = (await t.call('POST', '/api/v1/products', { as, body: { name: 'Fax Line' } })).json.id as string;
    const res = await t.call('POST', '/api/v1/plans', { as, body: { productId: product, name: 'Pro', priceMinor: 1999, currency: 'EUR', interval: 'month', features: ['fax'] } });
    if (res.status !== 201) throw new Error(`plan: ${res.status} ${res.body}`);
    plans.set(as.id, res.json.id as string);
  }
}, 60_000);
afterAll(async () => t?.close());

const DAY = 86_400_000;
const at = (days: number) => new Date(Date.now() + days * DAY);

/** A customer with a Pro subscription out of cooling-off whose period ends in 20 days. */
async function subscriber(as: TestTenant = t.a, name = 'Ivy Invoice'): Promise<{ customerId: string; subscriptionId: string }> {
  const customerId = await makeCustomer(t, as, { name });
  const res = await t.call('POST', '/api/v1/subscriptions', {
    as,
    body: { customerId, planId: plans.get(as.id)!, startedAt: at(-400).toISOString(), currentPeriodStart: at(-10).toISOString(), currentPeriodEnd: at(20).toISOString() },
  });
  if (res.status !== 201) throw new Error(`subscription: ${res.status} ${res.body}`);
  return { customerId, subscriptionId: res.json.id as string };
}

const grant = (customerId: string, body: unknown, as: TestTenant = t.a, headers: Record<string, string> = {}) =>
  t.call('POST', `/api/v1/customers/${customerId}/credits`, { as, body, headers });

const invoicesOf = async (customerId: string, as: TestTenant = t.a) => {
  const res = await t.call('GET', `/api/v1/customers/${customerId}/invoices`, { as });
  expect(res.status).toBe(200);
  return res.json.data as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed JSON
};

describe(`credits (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('grants credit (201, audited, the available balance in the answer); a retry with the same Idempotency-Key grants nothing more', async () => {
    const customerId = await makeCustomer(t, t.a, { name: 'Cora Credit' });
    const key = randomUUID();
    const first = await grant(customerId, { amountMinor: 700, currency: 'EUR', reason: 'Outage on 3 March' }, t.a, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ customerId, amountMinor: 700, currency: 'EUR', reason: 'Outage on 3 March', availableMinor: 700 });
    const again = await grant(customerId, { amountMinor: 700, currency: 'EUR', reason: 'Outage on 3 March' }, t.a, { 'idempotency-key': key });
    expect([again.status, again.json.id, again.headers['idempotent-replayed']]).toEqual([201, first.json.id, 'true']);
    const second = await grant(customerId, { amountMinor: 300, currency: 'EUR', reason: 'Late reply' });
    expect(second.json.availableMinor).toBe(1000);
    expect(await t.store.db.selectFrom('credits').select('id').where('customer_id', '=', customerId).execute()).toHaveLength(2);
    const audit = await t.store.db.selectFrom('audit_log').select(['entity_id', 'action']).where('tenant_id', '=', t.a.id).where('action', '=', 'credit.granted').execute();
    expect(audit.map((a) => a.entity_id)).toEqual(expect.arrayContaining([first.json.id, second.json.id]));
    // Credit is not spend: nothing in the spend entries.
    expect(await t.store.db.selectFrom('spend_entries').select('id').where('customer_id', '=', customerId).execute()).toEqual([]);
  });

  it.each([
    [{ amountMinor: 0, currency: 'EUR', reason: 'x' }, '/amountMinor'],
    [{ amountMinor: -5, currency: 'EUR', reason: 'x' }, '/amountMinor'],
    [{ amountMinor: 1.5, currency: 'EUR', reason: 'x' }, '/amountMinor'],
    [{ amountMinor: 100, currency: 'eur', reason: 'x' }, '/currency'],
    [{ amountMinor: 100, currency: 'EUR', reason: '  ' }, '/reason'],
    [{ amountMinor: 100, currency: 'EUR' }, '/reason'],
  ])('refuses %j with a 400 naming %s', async (body, pointer) => {
    const customerId = await makeCustomer(t, t.a);
    const res = await grant(customerId, body);
    expect(res.status).toBe(400);
    expect(res.json.errors.map((e: { pointer?: string }) => e.pointer)).toContain(pointer);
  });

  it('is 404 for an unknown customer and for another tenant’s', async () => {
    const customerId = await makeCustomer(t, t.a);
    expect((await grant(randomUUID(), { amountMinor: 100, currency: 'EUR', reason: 'x' })).status).toBe(404);
    expect((await grant(customerId, { amountMinor: 100, currency: 'EUR', reason: 'x' }, t.b)).status).toBe(404);
    expect(await t.store.db.selectFrom('credits').select('id').where('customer_id', '=', customerId).execute()).toEqual([]);
  });
});

describe(`invoices and credit in the billing run (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('applies credit first: a negative line, only the rest charged and recorded as spend; other currencies untouched', async () => {
    const { customerId, subscriptionId } = await subscriber(t.a, 'Paula Partial');
    await grant(customerId, { amountMinor: 500, currency: 'EUR', reason: 'Goodwill' });
    await grant(customerId, { amountMinor: 900, currency: 'GBP', reason: 'Other currency' });
    const run = await billingRun(t.store.db, { until: at(21) });
    const charged = run.tenants.flatMap((x) => x.charged).find((c) => c.subscriptionId === subscriptionId)!;
    expect(charged).toMatchObject({ amountMinor: 1499, creditAppliedMinor: 500, currency: 'EUR' });
    expect(charged.invoiceNumber).toMatch(/^INV-\d{6}$/);

    const [invoice] = await invoicesOf(customerId);
    expect(invoice).toMatchObject({
      id: charged.invoiceId,
      number: charged.invoiceNumber,
      customerId,
      subscriptionId,
      currency: 'EUR',
      periodStart: charged.periodStart,
      periodEnd: charged.periodEnd,
      issuedAt: charged.periodStart,
      subtotalMinor: 1999,
      creditAppliedMinor: 500,
      totalMinor: 1499,
      refundedMinor: 0,
      status: 'paid',
      chargeId: charged.chargeId,
      refunds: [],
    });
    expect(invoice!.lines).toEqual([
      { kind: 'plan', description: 'Pro', periodStart: charged.periodStart, periodEnd: charged.periodEnd, amountMinor: 1999 },
      { kind: 'credit', description: 'Account credit applied', periodStart: charged.periodStart, periodEnd: charged.periodEnd, amountMinor: -500 },
    ]);
    const spend = await t.store.db.selectFrom('spend_entries').selectAll().where('customer_id', '=', customerId).execute();
    expect(spend.map((s) => [Number(s.amount_minor), s.currency, s.external_id])).toEqual([[1499, 'EUR', `charge:${charged.chargeId}`]]);
    const balances = await t.store.db.selectFrom('credit_balances').select(['currency', 'balance_minor']).where('customer_id', '=', customerId).orderBy('currency').execute();
    expect(balances.map((b) => [b.currency, Number(b.balance_minor)])).toEqual([
      ['EUR', 0],
      ['GBP', 900],
    ]);
    const issued = await t.store.db.selectFrom('audit_log').select('entity_id').where('tenant_id', '=', t.a.id).where('action', '=', 'invoice.issued').execute();
    expect(issued.map((a) => a.entity_id)).toContain(charged.invoiceId);
  });

  it('a fully credited invoice is a charge of 0, paid, with no spend; the rest of the credit pays the next period too', async () => {
    const { customerId, subscriptionId } = await subscriber(t.a, 'Fred Free');
    await grant(customerId, { amountMinor: 3000, currency: 'EUR', reason: 'Six weeks of outage' });
    const run = await billingRun(t.store.db, { until: at(51) }); // renewals at about day 20 and day 50
    const charged = run.tenants.flatMap((x) => x.charged).filter((c) => c.subscriptionId === subscriptionId);
    expect(charged.map((c) => [c.amountMinor, c.creditAppliedMinor])).toEqual([
      [0, 1999],
      [998, 1001],
    ]);
    const invoices = await invoicesOf(customerId);
    expect(invoices.map((i) => [i.totalMinor, i.creditAppliedMinor, i.status])).toEqual([
      [998, 1001, 'paid'],
      [0, 1999, 'paid'],
    ]);
    const zero = await t.store.db.selectFrom('charges').selectAll().where('id', '=', charged[0]!.chargeId).executeTakeFirstOrThrow();
    expect([Number(zero.amount_minor), zero.invoice_id]).toEqual([0, charged[0]!.invoiceId]);
    const spend = await t.store.db.selectFrom('spend_entries').selectAll().where('customer_id', '=', customerId).execute();
    expect(spend.map((s) => Number(s.amount_minor))).toEqual([998]);

    // The ledger: credit granted and applied, with the credit balance; the paid balance counts money only.
    const ledger = await t.call('GET', `/api/v1/customers/${customerId}/ledger`);
    expect(ledger.status).toBe(200);
    const rows = ledger.json.data.map((e: Record<string, unknown>) => [e.kind, e.amountMinor, e.balanceMinor, e.creditBalanceMinor, e.invoiceNumber]);
    expect(rows).toEqual([
      ['charge', 998, 998, 0, invoices[0]!.number],
      ['credit_applied', 1001, 0, 0, invoices[0]!.number],
      ['charge', 0, 0, 1001, invoices[1]!.number],
      ['credit_applied', 1999, 0, 1001, invoices[1]!.number],
      ['credit', 3000, 0, 3000, null],
    ]);
    expect(ledger.json.data[4]).toMatchObject({ subscriptionId: null, invoiceId: null, reason: 'Six weeks of outage', currency: 'EUR' });
    expect(ledger.json.data[0]).toMatchObject({ subscriptionId, invoiceId: invoices[0]!.id, reason: null });
    // Keyset pages agree with the whole list, across the entry kinds.
    const seen: unknown[] = [];
    let cursor: string | null = null;
    do {
      const page = await t.call('GET', `/api/v1/customers/${customerId}/ledger?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.json.data);
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ledger.json.data);
  });

  it('refunds reference their invoice: a prorated cancellation refund makes it partially_refunded, a refund of the rest refunded', async () => {
    const { customerId, subscriptionId } = await subscriber(t.a, 'Rita Refund');
    const run = await billingRun(t.store.db, { until: at(21) });
    const charged = run.tenants.flatMap((x) => x.charged).find((c) => c.subscriptionId === subscriptionId)!;
    const req = await t.call('POST', `/api/v1/subscriptions/${subscriptionId}/cancellations`, { body: { channel: 'api', timing: 'immediate' } });
    const confirmed = await confirmCancellation({ db: t.store.db, tenantId: t.a.id, actor: 'test' }, req.json.id, { now: at(21) });
    const refundMinor = confirmed.refund.amountMinor;
    expect(refundMinor).toBeGreaterThan(0);
    expect(refundMinor).toBeLessThan(1999);
    let invoice = (await t.call('GET', `/api/v1/invoices/${charged.invoiceId}`)).json;
    expect(invoice).toMatchObject({ status: 'partially_refunded', refundedMinor: refundMinor, totalMinor: 1999 });
    expect(invoice.refunds).toEqual([expect.objectContaining({ amountMinor: refundMinor, externalId: `cancellation-refund:${req.json.id}` })]);

    // A charge slipped through after the cancellation: the reconciliation refunds it on its own invoice.
    const slipped = await injectCharge(t.store.db, { tenant_id: t.a.id, subscription_id: subscriptionId, customer_id: customerId, amount_minor: 1999, currency: 'EUR', period_start: at(22), period_end: at(52), at: at(22), external_id: `slipped:${subscriptionId}` });
    await reconcileCharges(t.store.db, { now: at(23) });
    invoice = (await t.call('GET', `/api/v1/invoices/${slipped.invoiceId}`)).json;
    expect(invoice).toMatchObject({ status: 'refunded', refundedMinor: 1999, totalMinor: 1999, chargeId: expect.any(String) });
    const ledger = (await t.call('GET', `/api/v1/customers/${customerId}/ledger`)).json.data as Array<Record<string, unknown>>;
    expect(ledger.filter((e) => e.kind === 'refund').map((e) => e.invoiceNumber)).toEqual([invoice.number, charged.invoiceNumber]);
  });

  it('a cancelled period paid partly by credit: the cash refund never exceeds the cash paid, and what credit paid goes back as credit', async () => {
    const { customerId, subscriptionId } = await subscriber(t.a, 'Clara Cancel');
    await t.call('PATCH', `/api/v1/customers/${customerId}`, { body: { emails: ['clara@example.com'] }, headers: { 'content-type': 'application/merge-patch+json' } });
    await grant(customerId, { amountMinor: 1500, currency: 'EUR', reason: 'Goodwill' });
    const run = await billingRun(t.store.db, { until: at(21) });
    const charged = run.tenants.flatMap((x) => x.charged).find((c) => c.subscriptionId === subscriptionId)!;
    expect([charged.amountMinor, charged.creditAppliedMinor]).toEqual([499, 1500]);

    // Cancelled at once on the first day of that period: nearly all of the 19.99 is refundable.
    const req = await t.call('POST', `/api/v1/subscriptions/${subscriptionId}/cancellations`, { body: { channel: 'api', timing: 'immediate' } });
    const confirmed = await confirmCancellation({ db: t.store.db, tenantId: t.a.id, actor: 'test' }, req.json.id, { now: new Date(new Date(charged.periodStart).getTime() + 60_000) });
    const { refund } = confirmed;
    expect(refund.toPaymentMethodMinor).toBe(499);
    expect(refund.asCreditMinor).toBeGreaterThan(0);
    expect(refund.asCreditMinor).toBeLessThanOrEqual(1500);
    expect(refund.amountMinor).toBe(refund.toPaymentMethodMinor + refund.asCreditMinor);

    const cash = await t.store.db.selectFrom('charges').select(['amount_minor', 'invoice_id']).where('subscription_id', '=', subscriptionId).where('kind', '=', 'refund').execute();
    expect(cash.map((c) => [Number(c.amount_minor), c.invoice_id])).toEqual([[499, charged.invoiceId]]);
    const balance = await t.store.db.selectFrom('credit_balances').select('balance_minor').where('customer_id', '=', customerId).where('currency', '=', 'EUR').executeTakeFirstOrThrow();
    expect(Number(balance.balance_minor)).toBe(refund.asCreditMinor);
    // Spend counts money only: +499 charged, -499 refunded.
    const spend = await t.store.db.selectFrom('spend_entries').select('amount_minor').where('customer_id', '=', customerId).execute();
    expect(spend.map((x) => Number(x.amount_minor)).sort((a, b) => a - b)).toEqual([-499, 499]);
    // The e-mail says where each part goes.
    expect(confirmed.emailJobId).not.toBeNull();
    const mail = await t.store.db.selectFrom('outbox').select('payload').where('id', '=', confirmed.emailJobId!).executeTakeFirstOrThrow();
    expect(JSON.stringify(mail.payload)).toMatch(/to the payment method on file, and .*, back as account credit/);
  });

  it('numbers are sequential and gap-free per tenant, also when a charging transaction rolls back', async () => {
    const { customerId, subscriptionId } = await subscriber(t.a, 'Gap Free');
    // A charging transaction that fails after taking a number gives it back.
    await expect(
      withTenant(t.store.db, t.a.id, async (tx) => {
        await issueInvoice(tx, { tenantId: t.a.id, subscriptionId, customerId, amountMinor: 1999, currency: 'EUR', periodStart: null, periodEnd: null, at: new Date(), externalId: 'doomed', description: 'Pro' });
        throw new Error('the payment failed');
      }),
    ).rejects.toThrow('the payment failed');
    // Two runs at once charge every renewal once.
    await subscriber(t.a, 'Gap Free 2');
    const b = await subscriber(t.b, 'Other Tenant');
    await Promise.all([billingRun(t.store.db, { until: at(21) }), billingRun(t.store.db, { until: at(21) })]);
    for (const tenant of [t.a, t.b]) {
      const numbers = (await t.store.db.selectFrom('invoices').select('number').where('tenant_id', '=', tenant.id).orderBy('number').execute()).map((r) => Number(r.number));
      expect(numbers.length).toBeGreaterThan(0);
      expect(numbers).toEqual(numbers.map((_n, i) => i + 1));
      const charges = await t.store.db.selectFrom('charges').select(['invoice_id']).where('tenant_id', '=', tenant.id).where('kind', '=', 'charge').execute();
      expect(charges.filter((c) => !c.invoice_id)).toEqual([]);
      expect(new Set(charges.map((c) => c.invoice_id)).size).toBe(charges.length);
    }
    expect((await invoicesOf(b.customerId, t.b)).map((i) => i.number)).toEqual(['INV-000001']);
  });
});

describe(`invoice routes (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('lists a customer’s invoices newest first in keyset pages; another tenant gets 404; bad ids and cursors are 400', async () => {
    const { customerId, subscriptionId } = await subscriber(t.a, 'Paged Invoices');
    await billingRun(t.store.db, { until: at(90) }); // three renewals (about days 20, 50 and 81)
    const all = await invoicesOf(customerId);
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(all.every((i) => i.subscriptionId === subscriptionId)).toBe(true);
    const numbers = all.map((i) => Number(String(i.number).slice(4)));
    expect(numbers).toEqual([...numbers].sort((x, y) => y - x));
    const first = await t.call('GET', `/api/v1/customers/${customerId}/invoices?limit=2`);
    const second = await t.call('GET', `/api/v1/customers/${customerId}/invoices?limit=2&cursor=${first.json.nextCursor}`);
    expect([...first.json.data, ...second.json.data].slice(0, all.length)).toEqual(all);

    expect((await t.call('GET', `/api/v1/customers/${customerId}/invoices`, { as: t.b })).status).toBe(404);
    expect((await t.call('GET', `/api/v1/invoices/${all[0]!.id}`, { as: t.b })).status).toBe(404);
    expect((await t.call('GET', `/api/v1/invoices/${randomUUID()}`)).status).toBe(404);
    const badId = await t.call('GET', '/api/v1/invoices/INV-000001');
    expect([badId.status, badId.json.errors[0].parameter]).toEqual([400, 'id']);
    const badCursor = await t.call('GET', `/api/v1/customers/${customerId}/invoices?cursor=nonsense`);
    expect([badCursor.status, badCursor.json.errors[0].parameter]).toEqual([400, 'cursor']);
    const foreignCursor = await t.call('GET', `/api/v1/customers/${customerId}/invoices?cursor=${Buffer.from(randomUUID()).toString('base64url')}`);
    expect(foreignCursor.json).toEqual({ data: [], nextCursor: null });
  });
});
