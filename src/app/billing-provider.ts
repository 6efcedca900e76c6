/**
 * The billing-provider port: everything the app asks of whoever holds the customer's payment
 * relationship — charge a renewal, refund, stop renewing at the provider, resume, switch plan.
 * Fairdesk ships one implementation, the embedded ledger (`charges` + mirrored spend entries).
 * A Stripe- or Paddle-backed adapter would implement the same interface; docs/billing.md maps the
 * states.
 *
 * Every method runs inside the calling use-case's tenant transaction (`tx`) so the ledger and the
 * cancellation change commit together. An adapter for an external provider must not call out from
 * inside the transaction: it writes an outbox job in `tx` and makes the call from the jobs worker
 * (at least once, with `idempotencyKey` as the provider's idempotency key).
 */
import type { PlanRow, SubscriptionRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';
import { invoiceForRefund, issueInvoice, writeCredit, writeLedgerEntry } from './billing-ledger.ts';

/** Money moving one way or the other for one subscription. Amounts are positive minor units. */
export interface ProviderMoney {
  tenantId: string;
  subscriptionId: string;
  customerId: string;
  amountMinor: number;
  currency: string;
  periodStart: Date | null;
  periodEnd: Date | null;
  at: Date;
  /** Stable per effect: the same key never moves money twice (renewal:<sub>:<period>, refund-of:<charge> …). */
  idempotencyKey: string;
  /** The spend entry mirroring it, when it must differ from the default (e.g. a cancellation refund). */
  spend?: { source: string; externalId: string };
  /**
   * A refund: the invoice it gives money back on (default: the subscription's invoice for the period
   * that starts at or before `periodStart`, or `at`).
   */
  invoiceId?: string | null;
}

/** A renewal to invoice and collect: `amountMinor` is the plan's price for the period, before credit. */
export interface ProviderCharge extends ProviderMoney {
  /** The plan line of the invoice (the plan's name). */
  description: string;
}

/** What the ledger recorded; `null` when the idempotency key had been used already. */
export interface ProviderEntry {
  id: string;
  /** Null when no money moved (a charge of 0: the invoice was paid entirely by credit). */
  spendEntryId: string | null;
}

/** A renewal collected: the charge, and the invoice it belongs to. */
export interface ProviderChargeEntry extends ProviderEntry {
  invoiceId: string;
  invoiceNumber: number;
  /** What was charged: the invoice total, after credit. */
  amountMinor: number;
  creditAppliedMinor: number;
}

/** Account credit granted to a customer; the next invoices in its currency use it first. */
export interface ProviderCredit {
  tenantId: string;
  customerId: string;
  /** Positive minor units. */
  amountMinor: number;
  currency: string;
  reason: string;
  grantedBy: string;
  at: Date;
}

export interface BillingProvider {
  readonly name: string;
  /**
   * Invoices a renewal and takes the payment: available credit in the currency is applied first (its
   * own negative line) and only the rest is charged; a fully credited invoice is a charge of 0.
   */
  charge(tx: Tx, money: ProviderCharge): Promise<ProviderChargeEntry | null>;
  /** Gives money back (a cancellation's refund, a charge after cancellation), on the invoice it was paid on. */
  refund(tx: Tx, money: ProviderMoney): Promise<ProviderEntry | null>;
  /** Grants account credit (Stripe: a customer balance transaction; Paddle: a credit adjustment). */
  grantCredit(tx: Tx, credit: ProviderCredit): Promise<{ id: string }>;
  /** Stops renewing at the provider; ends the subscription now if `effectiveAt` has come. */
  cancelAtProvider(tx: Tx, input: { tenantId: string; subscription: SubscriptionRow; effectiveAt: Date; now: Date }): Promise<void>;
  /** Undoes `cancelAtProvider` (the customer reversed the cancellation): renewing resumes. */
  resumeAtProvider(tx: Tx, input: { tenantId: string; subscription: SubscriptionRow; now: Date }): Promise<void>;
  /** Moves the subscription to another plan; the new price applies from the next renewal. */
  changePlan(tx: Tx, input: { tenantId: string; subscription: SubscriptionRow; plan: PlanRow }): Promise<{ priceFrom: Date }>;
}

/**
 * The embedded ledger: invoices, charges and refunds in `invoices` and `charges`, each movement of money
 * mirrored as a spend entry; account credit in `credits`; subscription state in `subscriptions`.
 */
export const embeddedLedger: BillingProvider = {
  name: 'embedded',

  async charge(tx, m) {
    // A repeat of the key issues no invoice (the caller holds the subscription's lock, so this check holds).
    const repeat = await tx.selectFrom('charges').select('id').where('tenant_id', '=', m.tenantId).where('external_id', '=', m.idempotencyKey).executeTakeFirst();
    if (repeat) return null;
    const { spend: _spend, ...money } = ledgerWrite(m);
    const invoice = await issueInvoice(tx, { ...money, description: m.description });
    const written = await writeLedgerEntry(tx, { ...ledgerWrite(m), amountMinor: invoice.total_minor, kind: 'charge', invoiceId: invoice.id });
    // Someone charged this key since the check above: roll back the invoice (and its number) with it.
    if (!written) throw new Error(`charge ${m.idempotencyKey} was written concurrently`);
    return {
      id: written.row.id,
      spendEntryId: written.spendEntryId,
      invoiceId: invoice.id,
      invoiceNumber: invoice.number,
      amountMinor: invoice.total_minor,
      creditAppliedMinor: invoice.credit_applied_minor,
    };
  },

  async refund(tx, m) {
    const invoiceId = m.invoiceId !== undefined ? m.invoiceId : await invoiceForRefund(tx, m.tenantId, m.subscriptionId, m.periodStart ?? m.at);
    const written = await writeLedgerEntry(tx, { ...ledgerWrite(m), kind: 'refund', invoiceId });
    return written ? { id: written.row.id, spendEntryId: written.spendEntryId } : null;
  },

  async grantCredit(tx, c) {
    const row = await writeCredit(tx, c);
    return { id: row.id };
  },

  async cancelAtProvider(tx, { tenantId, subscription, effectiveAt, now }) {
    await tx
      .updateTable('subscriptions')
      .set({ renews_at: null, ...(effectiveAt.getTime() <= now.getTime() ? { status: 'cancelled' as const } : {}) })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', subscription.id)
      .execute();
  },

  async resumeAtProvider(tx, { tenantId, subscription, now }) {
    // Renewal resumes at the end of the period already paid for (or now, if that has passed).
    const end = subscription.current_period_end;
    await tx
      .updateTable('subscriptions')
      .set({ status: subscription.status === 'cancelled' ? 'active' : subscription.status, renews_at: end.getTime() > now.getTime() ? end : now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', subscription.id)
      .execute();
  },

  async changePlan(tx, { tenantId, subscription, plan }) {
    const priceFrom = subscription.current_period_end;
    // Prices announced for later than the switch belonged to the old plan: the new plan's price replaces them.
    const kept = subscription.price_history.filter((p) => new Date(p.from).getTime() < priceFrom.getTime());
    const history = [...kept, { priceMinor: Number(plan.price_minor), from: priceFrom.toISOString() }];
    await tx
      .updateTable('subscriptions')
      .set({ plan_id: plan.id, price_history: JSON.stringify(history) })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', subscription.id)
      .execute();
    return { priceFrom };
  },
};

function ledgerWrite(m: ProviderMoney) {
  return {
    tenantId: m.tenantId,
    subscriptionId: m.subscriptionId,
    customerId: m.customerId,
    amountMinor: m.amountMinor,
    currency: m.currency,
    periodStart: m.periodStart,
    periodEnd: m.periodEnd,
    at: m.at,
    externalId: m.idempotencyKey,
    ...(m.spend ? { spend: m.spend } : {}),
  };
}

/** The provider this installation bills through (the embedded ledger; the one seam to replace). */
export const billingProvider: BillingProvider = embeddedLedger;
