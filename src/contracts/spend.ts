import { z } from 'zod';
import { Id, PageQuery, Timestamp, listOf, text } from './common.ts';

/** ISO 4217 code, e.g. EUR. */
export const Currency = z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 currency code such as EUR' });

/** Money is integer minor units (cents) with a currency; negative amounts are refunds and credits. */
export const SpendCreate = z.strictObject({
  amountMinor: z.number().int({ error: 'must be an integer number of minor units (e.g. cents)' }).min(-1e12).max(1e12),
  currency: Currency,
  at: Timestamp,
  source: text(50).describe('where it comes from: billing, import, manual …'),
  externalId: text(200).describe('unique per tenant; the same externalId is never counted twice'),
});
export type SpendCreate = z.infer<typeof SpendCreate>;

export const SpendEntry = z
  .object({
    id: Id,
    customerId: Id,
    amountMinor: z.number().int(),
    currency: z.string(),
    at: Timestamp,
    source: z.string(),
    externalId: z.string(),
    createdAt: Timestamp,
  })
  .meta({ id: 'SpendEntry' });
export type SpendEntry = z.infer<typeof SpendEntry>;

export const SpendListQuery = z.strictObject({ ...PageQuery });
export const SpendList = listOf(SpendEntry);
