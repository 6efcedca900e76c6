import { writeAudit } from '../db/repositories/audit.ts';
import { currentCancelRequest, updateCancelRequest } from '../db/repositories/cancel-requests.ts';
import { findConversation } from '../db/repositories/conversations.ts';
import type { CancelRequestRow } from '../db/schema.ts';
import { cancelRequestStateAt } from './cancel-request-clock.ts';
import { ConflictError, NotFoundError } from './errors.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

/**
 * Closes an open cancel request that was not one (the analyzer misread the message, the customer
 * meant something else) — only with a reason, which is kept and audited.
 */
export async function dismissCancelRequest(scope: TenantScope, conversationId: string, input: { reason: string }, now = new Date()): Promise<CancelRequestRow> {
  return inTenantTx(scope, async (tx) => {
    const conversation = await findConversation(tx, scope.tenantId, conversationId);
    if (!conversation) throw new NotFoundError('conversation', conversationId);
    const open = await currentCancelRequest(tx, scope.tenantId, conversationId, true);
    if (!open || open.status !== 'open') throw new ConflictError('the conversation has no open cancel request');
    const request = await updateCancelRequest(tx, scope.tenantId, open.id, {
      status: 'dismissed',
      dismiss_reason: input.reason,
      closed_at: now,
      closed_by: scope.actor,
      sla_state: await cancelRequestStateAt(tx, scope.tenantId, open, now, now),
    });
    await writeAudit(tx, {
      tenantId: scope.tenantId,
      actor: scope.actor,
      action: 'cancel_request.dismissed',
      entityType: 'cancel_request',
      entityId: request.id,
      fields: ['status', 'dismissReason', 'closedAt'],
    });
    return request;
  });
}
