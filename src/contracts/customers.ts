import { z } from 'zod';
import { Attributes, Id, PageQuery, Timestamp, listOf, text } from './common.ts';

const Email = z.email({ error: 'must be an e-mail address' }).max(254);
const Phone = z.string().trim().regex(/^\+?[0-9 ().-]{3,30}$/, { error: 'must be a phone number' });
const TimeZone = z.string().refine(isTimeZone, { error: 'must be an IANA time zone such as Europe/Berlin' });
/** A calendar date, YYYY-MM-DD. */
const CalendarDate = z.iso.date({ error: 'must be a date YYYY-MM-DD' });
const Locale = z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, { error: 'must be a BCP 47 locale such as en-GB' });

export const CustomerCreate = z.strictObject({
  name: text(200),
  emails: z.array(Email).max(20).default([]),
  phones: z.array(Phone).max(20).default([]),
  externalId: text(200).nullable().optional(),
  timeZone: TimeZone.nullable().optional(),
  locale: Locale.nullable().optional(),
  /** When the relationship began (for tenure-based tiers); defaults to unknown. */
  customerSince: CalendarDate.nullable().optional(),
  attributes: Attributes.default({}),
});
export type CustomerCreate = z.infer<typeof CustomerCreate>;

/** A JSON merge patch (RFC 7396): absent fields stay, null clears, attributes merge key by key. */
export const CustomerPatch = z.strictObject({
  name: text(200).optional(),
  emails: z.array(Email).max(20).optional(),
  phones: z.array(Phone).max(20).optional(),
  externalId: text(200).nullable().optional(),
  timeZone: TimeZone.nullable().optional(),
  locale: Locale.nullable().optional(),
  customerSince: CalendarDate.nullable().optional(),
  attributes: z.record(z.string().max(100), z.unknown()).nullable().optional(),
});
export type CustomerPatch = z.infer<typeof CustomerPatch>;

export const Customer = z
  .object({
    id: Id,
    name: z.string(),
    emails: z.array(z.string()),
    phones: z.array(z.string()),
    externalId: z.string().nullable(),
    timeZone: z.string().nullable(),
    locale: z.string().nullable(),
    customerSince: z.string().nullable(),
    closedAt: Timestamp.nullable(),
    erasedAt: Timestamp.nullable(),
    attributes: Attributes,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Customer' });
export type Customer = z.infer<typeof Customer>;

export const CustomerListQuery = z.strictObject({
  ...PageQuery,
  email: z.string().max(254).optional(),
  externalId: z.string().max(200).optional(),
});

export const CustomerList = listOf(Customer);

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** A customer's whole record for a data-subject access request (GET /customers/:id/export). */
export const CustomerExport = z
  .object({
    format: z.literal('fairdesk-customer-export/1'),
    exportedAt: Timestamp,
    exportedBy: z.string().describe('who asked for the export (also logged as a read of the record, and audited)'),
    customerId: z.string(),
    customer: z.record(z.string(), z.unknown()),
    records: z
      .record(z.string(), z.array(z.record(z.string(), z.unknown())))
      .describe('every table holding rows about the customer, camelCase: conversations, messages, subscriptions, cancellations, spendEntries, charges, invoices, invoiceLines, credits, offers, offerOutcomes, consents, creditInquiries, recordReads, notices …'),
    auditTrail: z.array(z.record(z.string(), z.unknown())).describe('audit rows about the record: who changed which fields, when'),
  })
  .meta({ id: 'CustomerExport' });
