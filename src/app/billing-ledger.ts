/**
 * Writing to the embedded billing ledger: invoices (with any credit applied), a charge or refund row and
 * its mirror in the spend entries (the charter's one source of a customer's spend), and account credit —
 * all in the caller's transaction. Used by the embedded billing provider.
 */
import { sql } from 'kysely';
import { draftInvoice } from '../domain/billing/invoices.ts';
import { type CancellationState } from '../domain/cancellation/index.ts';
import { insertSpendEntry } from '../db/repositories/spend.ts';
import { newId } from '../db/ids.ts';
import type { ChargeRow, CreditRow, InvoiceRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';
import { reviveState } from './subscription-records.ts';

export interface LedgerWrite {
  tenantId: string;
  subscriptionId: string;
  customerId: string;
  kind: 'charge' | 'refund';
  /** Positive minor units; the spend entry carries the sign. */
  amountMinor: number;
  currency: string;
  periodStart: Date | null;
  periodEnd: Date | null;
  at: Date;
  externalId: string;
  /** The invoice a charge belongs to (required for charges), or the one a refund gives money back on. */
  invoiceId?: string | null;
  /** The mirrored spend entry's source and externalId (default `billing`/`billing_refund` and `<kind>:<row id>`). */
  spend?: { source: string; externalId: string };
}

/**
 * Inserts the ledger row and its spend entry (`charge:<id>` / `refund:<id>`), or nothing when the
 * externalId is already in the ledger. Returns the new row and spend entry id, or undefined for a repeat.
 * A zero charge (an invoice paid entirely by credit) moves no money, so it has no spend entry (null):
 * spend means money the customer paid. Writes no audit row: callers audit last, after every other row
 * lock of their transaction.
 */
export async function writeLedgerEntry(tx: Tx, w: LedgerWrite): Promise<{ row: ChargeRow; spendEntryId: string | null } | undefined> {
  if (w.kind === 'charge' && !w.invoiceId) throw new Error('every charge belongs to an invoice');
  const row = await tx
    .insertInto('charges')
    .values({
      tenant_id: w.tenantId,
      id: newId(),
      subscription_id: w.subscriptionId,
      customer_id: w.customerId,
      kind: w.kind,
      amount_minor: w.amountMinor,
      currency: w.currency,
      period_start: w.periodStart,
      period_end: w.periodEnd,
      at: w.at,
      external_id: w.externalId,
      invoice_id: w.invoiceId ?? null,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'external_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) return undefined;
  if (w.amountMinor === 0) return { row, spendEntryId: null };
  const spendEntryId = newId();
  await insertSpendEntry(tx, {
    tenant_id: w.tenantId,
    id: spendEntryId,
    customer_id: w.customerId,
    amount_minor: w.kind === 'charge' ? w.amountMinor : -w.amountMinor,
    currency: w.currency,
    at: w.at,
    source: w.spend?.source ?? (w.kind === 'charge' ? 'billing' : 'billing_refund'),
    external_id: w.spend?.externalId ?? `${w.kind}:${row.id}`,
  });
  return { row, spendEntryId };
}

/** What an invoice needs beyond the charge: the plan line's text. */
export interface InvoiceWrite {
  tenantId: string;
  subscriptionId: string;
  customerId: string;
  /** The plan's price for the period, before credit. */
  amountMinor: number;
  currency: string;
  periodStart: Date | null;
  periodEnd: Date | null;
  at: Date;
  /** The renewal key; the invoice is unique on it, like its charge. */
  externalId: string;
  description: string;
}

/**
 * Issues an invoice: applies the customer's available credit in its currency first (locking the
 * credit balance row, so a concurrent run cannot spend the same credit), allocates the tenant's next
 * number (locking the counter row until commit: a rolled-back charge gives its number back, so numbers
 * are gap-free), and writes the invoice and its lines. Lock order: credit balance, then counter.
 */
export async function issueInvoice(tx: Tx, w: InvoiceWrite): Promise<InvoiceRow> {
  const balance = await tx
    .selectFrom('credit_balances')
    .select('balance_minor')
    .where('tenant_id', '=', w.tenantId)
    .where('customer_id', '=', w.customerId)
    .where('currency', '=', w.currency)
    .forUpdate()
    .executeTakeFirst();
  const draft = draftInvoice({ description: w.description, amountMinor: w.amountMinor }, balance?.balance_minor ?? 0);
  if (draft.creditAppliedMinor > 0) {
    await tx
      .updateTable('credit_balances')
      .set({ balance_minor: sql<number>`balance_minor - ${draft.creditAppliedMinor}` })
      .where('tenant_id', '=', w.tenantId)
      .where('customer_id', '=', w.customerId)
      .where('currency', '=', w.currency)
      .execute();
  }
  const { last_number: number } = await tx
    .insertInto('invoice_sequences')
    .values({ tenant_id: w.tenantId, last_number: 1 })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ last_number: sql<number>`invoice_sequences.last_number + 1` }))
    .returning('last_number')
    .executeTakeFirstOrThrow();
  const invoice = await tx
    .insertInto('invoices')
    .values({
      tenant_id: w.tenantId,
      id: newId(),
      number: Number(number),
      customer_id: w.customerId,
      subscription_id: w.subscriptionId,
      currency: w.currency,
      period_start: w.periodStart,
      period_end: w.periodEnd,
      issued_at: w.at,
      subtotal_minor: draft.subtotalMinor,
      credit_applied_minor: draft.creditAppliedMinor,
      total_minor: draft.totalMinor,
      external_id: w.externalId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  // Line ids are made in order, before the charge's: in the ledger the credit applied comes before the charge.
  await tx
    .insertInto('invoice_lines')
    .values(
      draft.lines.map((l, i) => ({
        tenant_id: w.tenantId,
        id: newId(),
        invoice_id: invoice.id,
        position: i + 1,
        kind: l.kind,
        description: l.description,
        period_start: w.periodStart,
        period_end: w.periodEnd,
        amount_minor: l.amountMinor,
      })),
    )
    .execute();
  return invoice;
}

/**
 * The invoice a refund of a subscription gives money back on: the latest one whose period started at or
 * before `at` (the refunded period's start), else none (the subscription was never charged here).
 */
export async function invoiceForRefund(tx: Tx, tenantId: string, subscriptionId: string, at: Date): Promise<string | null> {
  const row = await tx
    .selectFrom('invoices')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('subscription_id', '=', subscriptionId)
    .where(sql<boolean>`coalesce(period_start, issued_at) <= ${at}`)
    .orderBy(sql`coalesce(period_start, issued_at)`, 'desc')
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** What a grant of account credit records. */
export interface CreditWrite {
  tenantId: string;
  customerId: string;
  amountMinor: number;
  currency: string;
  reason: string;
  grantedBy: string;
  at: Date;
}

/** Grants account credit: the grant and the customer's available balance in its currency (locked until commit). */
export async function writeCredit(tx: Tx, w: CreditWrite): Promise<CreditRow> {
  await tx
    .insertInto('credit_balances')
    .values({ tenant_id: w.tenantId, customer_id: w.customerId, currency: w.currency, balance_minor: w.amountMinor })
    .onConflict((oc) => oc.columns(['tenant_id', 'customer_id', 'currency']).doUpdateSet({ balance_minor: sql<number>`credit_balances.balance_minor + ${w.amountMinor}` }))
    .execute();
  return tx
    .insertInto('credits')
    .values({
      tenant_id: w.tenantId,
      id: newId(),
      customer_id: w.customerId,
      amount_minor: w.amountMinor,
      currency: w.currency,
      reason: w.reason,
      granted_by: w.grantedBy,
      granted_at: w.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The subscription's latest cancellation attempt, revived into a machine state (null when none).
 * One in force wins over a later attempt that is not: billing must never restart by accident.
 */
export async function latestCancellation(tx: Tx, tenantId: string, subscriptionId: string): Promise<{ id: string; state: CancellationState } | null> {
  const row = await tx
    .selectFrom('cancellations')
    .select(['id', 'state'])
    .where('tenant_id', '=', tenantId)
    .where('subscription_id', '=', subscriptionId)
    .orderBy(sql`(status in ('confirmed', 'effective'))`, 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: row.id, state: reviveState(row.state) } : null;
}

/** How a refund goes back: to the payment method, and (what credit paid for) as account credit. */
export interface RefundSplit {
  totalMinor: number;
  toPaymentMethodMinor: number;
  asCreditMinor: number;
  invoiceId: string | null;
}

/**
 * Splits a refund for the period starting at `periodStart` by how that period was paid: never more
 * cash back than was paid in cash on its invoice (net of refunds already made on it), and what credit
 * paid for goes back as credit. A period the ledger holds no invoice for (imported, paid outside) is
 * refunded to the payment method in full.
 */
export async function splitRefund(tx: Tx, tenantId: string, subscriptionId: string, periodStart: Date, amountMinor: number): Promise<RefundSplit> {
  if (amountMinor <= 0) return { totalMinor: 0, toPaymentMethodMinor: 0, asCreditMinor: 0, invoiceId: null };
  const invoice = await tx
    .selectFrom('invoices')
    .select(['id', 'credit_applied_minor'])
    .where('tenant_id', '=', tenantId)
    .where('subscription_id', '=', subscriptionId)
    .where('period_start', '=', periodStart)
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!invoice) return { totalMinor: amountMinor, toPaymentMethodMinor: amountMinor, asCreditMinor: 0, invoiceId: null };
  const paid = await tx
    .selectFrom('charges')
    .select(sql<number>`coalesce(sum(case when kind = 'charge' then amount_minor else -amount_minor end), 0)::int`.as('net'))
    .where('tenant_id', '=', tenantId)
    .where('invoice_id', '=', invoice.id)
    .executeTakeFirstOrThrow();
  const cash = Math.min(amountMinor, Math.max(0, Number(paid.net)));
  const credit = Math.min(amountMinor - cash, Number(invoice.credit_applied_minor));
  return { totalMinor: cash + credit, toPaymentMethodMinor: cash, asCreditMinor: credit, invoiceId: invoice.id };
}
