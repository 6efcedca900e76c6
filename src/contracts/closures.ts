import { z } from 'zod';
import { Id, Timestamp } from './common.ts';

export const ClosureCreate = z.strictObject({
  reason: z.string().trim().min(1).max(100).describe('One of: customer_request, fraud, abuse_of_staff, non_payment, deceased, duplicate_account, legal_requirement'),
  note: z.string().trim().max(2000).optional(),
});

export const ClosureApprove = z.strictObject({ agentId: Id.describe('A lead or compliance officer') });

export const Closure = z
  .object({
    id: Id,
    customerId: Id,
    reason: z.string(),
    note: z.string().nullable(),
    state: z.enum(['awaiting_approval', 'approved', 'rejected']),
    requestedBy: z.string(),
    leadApproverId: Id.nullable(),
    complianceApproverId: Id.nullable(),
    createdAt: Timestamp,
    decidedAt: Timestamp.nullable(),
  })
  .meta({ id: 'Closure' });
export type Closure = z.infer<typeof Closure>;
