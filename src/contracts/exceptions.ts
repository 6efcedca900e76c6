import { z } from 'zod';
import { Id, PageQuery, Timestamp, listOf, text } from './common.ts';

export const ExceptionCreate = z.strictObject({
  customerId: Id,
  what: text(500).describe('What this customer gets beyond the charter, e.g. "resolution within 4h for the office move"'),
  reason: text(2000),
  approverId: Id.describe('The agent who approves; their role must be one the charter’s exception policy allows'),
  expiresAt: Timestamp.describe('No later than the policy’s maxDays from now'),
});
export type ExceptionCreate = z.infer<typeof ExceptionCreate>;

export const CharterException = z
  .object({
    id: Id,
    customerId: Id,
    what: z.string(),
    reason: z.string(),
    approverId: Id,
    expiresAt: Timestamp,
    createdBy: z.string(),
    createdAt: Timestamp,
    active: z.boolean(),
  })
  .meta({ id: 'CharterException' });
export type CharterException = z.infer<typeof CharterException>;

export const ExceptionListQuery = z.strictObject({
  ...PageQuery,
  customerId: Id.optional(),
  active: z.enum(['true', 'false']).optional(),
});
export const ExceptionList = listOf(CharterException);
