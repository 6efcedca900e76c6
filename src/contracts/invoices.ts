import { z } from 'zod';
import { Id, PageQuery, Timestamp, listOf, text } from './common.ts';
import { Currency } from './spend.ts';

/** Account credit granted to a customer: the next invoices in its currency use it first. */
export const CreditCreate = z.strictObject({
  amountMinor: z
    .number()
    .int({ error: 'must be an integer number of minor units (e.g. cents)' })
    .min(1, { error: 'must be at least 1 minor unit' })
    .max(1e12),
  currency: Currency,
  reason: text(500).describe('why the customer is given credit, in plain words (kept with the grant and in the ledger)'),
});
export type CreditCreate = z.infer<typeof CreditCreate>;

export const Credit = z
  .object({
    id: Id,
    customerId: Id,
    amountMinor: z.number().int(),
    currency: z.string(),
    reason: z.string(),
    grantedBy: z.string(),
    grantedAt: Timestamp,
    /** The customer's credit still available in this currency, this grant included. */
    availableMinor: z.number().int(),
  })
  .meta({ id: 'Credit' });
export type Credit = z.infer<typeof Credit>;

export const InvoiceLine = z.object({
  kind: z.enum(['plan', 'credit']),
  description: z.string(),
  periodStart: Timestamp.nullable(),
  periodEnd: Timestamp.nullable(),
  /** Positive for the plan; a credit applied is its own negative line. */
  amountMinor: z.number().int(),
});

export const Invoice = z
  .object({
    id: Id,
    /** Per tenant, sequential and gap-free: `INV-000123`. */
    number: z.string(),
    customerId: Id,
    subscriptionId: Id,
    issuedAt: Timestamp,
    periodStart: Timestamp.nullable(),
    periodEnd: Timestamp.nullable(),
    currency: z.string(),
    lines: z.array(InvoiceLine),
    subtotalMinor: z.number().int(),
    creditAppliedMinor: z.number().int(),
    /** What was charged: the sum of the lines. */
    totalMinor: z.number().int(),
    /** Given back on this invoice so far. */
    refundedMinor: z.number().int(),
    status: z.enum(['paid', 'partially_refunded', 'refunded']),
    /** The charge that collected the total (0 when credit paid it all). */
    chargeId: Id.nullable(),
    /** Refunds given back on this invoice, oldest first. */
    refunds: z.array(z.object({ id: Id, amountMinor: z.number().int(), at: Timestamp, externalId: z.string() })),
  })
  .meta({ id: 'Invoice' });
export type Invoice = z.infer<typeof Invoice>;
export const InvoiceListQuery = z.strictObject({ ...PageQuery });
export const InvoiceList = listOf(Invoice);
