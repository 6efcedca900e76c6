import { describe, expect, it } from 'vitest';
import { draftInvoice, formatInvoiceNumber, invoiceStatus, parseInvoiceNumber } from '../../../src/domain/billing/invoices.ts';

describe('draftInvoice applies credit first, only the rest is charged', () => {
  it.each([
    // [name, plan amount, credit available, credit applied, total, lines]
    ['no credit', 1999, 0, 0, 1999, [1999]],
    ['some credit', 1999, 500, 500, 1499, [1999, -500]],
    ['credit covers it exactly', 1999, 1999, 1999, 0, [1999, -1999]],
    ['more credit than the invoice: the rest stays', 1999, 5000, 1999, 0, [1999, -1999]],
    ['a free period takes no credit', 0, 5000, 0, 0, [0]],
  ])('%s', (_name, amount, available, applied, total, lines) => {
    const d = draftInvoice({ description: 'Pro', amountMinor: amount }, available);
    expect(d.creditAppliedMinor).toBe(applied);
    expect(d.totalMinor).toBe(total);
    expect(d.subtotalMinor).toBe(amount);
    expect(d.lines.map((l) => l.amountMinor)).toEqual(lines);
    expect(d.lines.map((l) => l.kind)).toEqual(lines.length === 2 ? ['plan', 'credit'] : ['plan']);
    expect(d.lines.reduce((s, l) => s + l.amountMinor, 0)).toBe(d.totalMinor);
  });

  it.each([
    ['a negative price', -1, 0],
    ['negative credit', 100, -1],
    ['a fraction', 1.5, 0],
  ])('refuses %s', (_name, amount, available) => {
    expect(() => draftInvoice({ description: 'Pro', amountMinor: amount }, available)).toThrow(RangeError);
  });
});

describe('invoiceStatus', () => {
  it.each([
    // [total, refunded, status]
    [1999, 0, 'paid'],
    [1999, 1, 'partially_refunded'],
    [1999, 1998, 'partially_refunded'],
    [1999, 1999, 'refunded'],
    [0, 0, 'paid'],
  ] as const)('total %i, refunded %i → %s', (total, refunded, status) => {
    expect(invoiceStatus(total, refunded)).toBe(status);
  });
});

describe('invoice numbers', () => {
  it.each([
    [1, 'INV-000001'],
    [123, 'INV-000123'],
    [999_999, 'INV-999999'],
    [1_234_567, 'INV-1234567'],
  ])('%i ↔ %s', (n, text) => {
    expect(formatInvoiceNumber(n)).toBe(text);
    expect(parseInvoiceNumber(text)).toBe(n);
    expect(parseInvoiceNumber(text.toLowerCase())).toBe(n);
  });

  it.each(['INV-12', 'INV-000000', 'INV-00001x', 'X-000001', ''])('%j is not an invoice number', (text) => {
    expect(parseInvoiceNumber(text)).toBeNull();
  });

  it.each([0, -1, 1.5])('%d has no number', (n) => expect(() => formatInvoiceNumber(n)).toThrow(RangeError));
});
