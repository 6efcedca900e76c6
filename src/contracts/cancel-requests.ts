import { z } from 'zod';
import { Id, PageQuery, listOf, text } from './common.ts';
import { CancellationConfirmation } from './subscriptions.ts';
import { CancelRequest, CancelRequestStatus, Message } from './conversations.ts';

export { CancelRequest, CancelRequestStatus };


export const CancelRequestCarryOut = z.strictObject({
  subscriptionId: Id.optional().describe("required when the customer does not have exactly one active subscription"),
  timing: z.enum(['period_end', 'immediate']).optional().describe('default period_end'),
});
export type CancelRequestCarryOut = z.infer<typeof CancelRequestCarryOut>;

export const CancelRequestCarriedOut = z
  .object({ cancelRequest: CancelRequest, confirmation: CancellationConfirmation })
  .meta({ id: 'CancelRequestCarriedOut' });

export const CancelRequestClarify = z.strictObject({
  text: z.string().trim().min(1, { error: 'must not be empty' }).max(100_000).describe("the one clarification of a fact of the customer's own account"),
});

export const CancelRequestClarified = z.object({ cancelRequest: CancelRequest, message: Message }).meta({ id: 'CancelRequestClarified' });

export const CancelRequestDismiss = z.strictObject({
  reason: text(2000).describe('why this is not a cancel request, e.g. the analyzer misread the message'),
});

export const CancelRequestListQuery = z.strictObject({ ...PageQuery, status: CancelRequestStatus.optional() });
export const CancelRequestList = listOf(CancelRequest);
