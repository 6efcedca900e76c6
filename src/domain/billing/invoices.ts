/**
 * Invoices and account credit: the pure rules of the embedded ledger. An invoice bills one period of a
 * subscription: its plan line, then any credit applied as its own negative line; the total is what is
 * charged. Its status follows from what was refunded on it.
 */

export type InvoiceStatus = 'paid' | 'partially_refunded' | 'refunded';

export interface InvoiceLineDraft {
  kind: 'plan' | 'credit';
  description: string;
  /** Positive for the plan, negative for a credit applied. */
  amountMinor: number;
}

export interface InvoiceDraft {
  lines: InvoiceLineDraft[];
  subtotalMinor: number;
  creditAppliedMinor: number;
  /** subtotal − credit applied: what is charged (0 when credit covers all). */
  totalMinor: number;
}

/**
 * The invoice for one period: credit available in the invoice's currency is applied first, up to the
 * subtotal; only the rest is charged.
 *
 * @example draftInvoice({ description: 'Pro', amountMinor: 1999 }, 500) // plan 1999, credit −500, total 1499
 */
export function draftInvoice(plan: { description: string; amountMinor: number }, creditAvailableMinor: number): InvoiceDraft {
  if (!Number.isSafeInteger(plan.amountMinor) || plan.amountMinor < 0) throw new RangeError('the plan amount must be a non-negative integer');
  if (!Number.isSafeInteger(creditAvailableMinor) || creditAvailableMinor < 0) throw new RangeError('available credit must be a non-negative integer');
  const creditAppliedMinor = Math.min(plan.amountMinor, creditAvailableMinor);
  const lines: InvoiceLineDraft[] = [{ kind: 'plan', description: plan.description, amountMinor: plan.amountMinor }];
  if (creditAppliedMinor > 0) lines.push({ kind: 'credit', description: 'Account credit applied', amountMinor: -creditAppliedMinor });
  return { lines, subtotalMinor: plan.amountMinor, creditAppliedMinor, totalMinor: plan.amountMinor - creditAppliedMinor };
}

/**
 * Paid until money is given back; `refunded` once refunds reach the total charged. An invoice fully
 * paid by credit (total 0) stays `paid`.
 */
export function invoiceStatus(totalMinor: number, refundedMinor: number): InvoiceStatus {
  if (refundedMinor <= 0) return 'paid';
  return refundedMinor >= totalMinor ? 'refunded' : 'partially_refunded';
}

/** The human number of an invoice: `INV-` and at least six digits (`INV-000123`, `INV-1234567`). */
export function formatInvoiceNumber(n: number): string {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError('an invoice number is a positive integer');
  return `INV-${String(n).padStart(6, '0')}`;
}

/** The inverse of `formatInvoiceNumber` (any case), or null when it is not an invoice number. */
export function parseInvoiceNumber(text: string): number | null {
  const m = /^INV-(\d{6,15})$/i.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n >= 1 ? n : null;
}
