import { writeAudit } from '../db/repositories/audit.ts';
import { currentCancelRequest, updateCancelRequest } from '../db/repositories/cancel-requests.ts';
import { findConversation } from '../db/repositories/conversations.ts';
import type { CancelRequestRow, MessageRow } from '../db/schema.ts';
import { ConflictError, NotFoundError } from './errors.ts';
import { appendMessage } from './post-message.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

/**
 * The agent's one clarification of a fact the customer may have misread (a price change, say): posts
 * one public agent message and marks it as the clarification of the open cancel request. A second
 * clarification is refused (409): after it the agent carries the cancellation out or the customer
 * withdraws — the flag is never a way to argue.
 */
export async function clarifyCancelRequest(scope: TenantScope, conversationId: string, input: { text: string }): Promise<{ request: CancelRequestRow; message: MessageRow }> {
  const result = await inTenantTx(scope, async (tx) => {
    // The conversation first, then the request: the order posting a message uses.
    const conversation = await findConversation(tx, scope.tenantId, conversationId, { forUpdate: true });
    if (!conversation) throw new NotFoundError('conversation', conversationId);
    const open = await currentCancelRequest(tx, scope.tenantId, conversationId, true);
    if (!open || open.status !== 'open') throw new ConflictError('the conversation has no open cancel request');
    if (open.clarification_message_id) {
      throw new ConflictError('this cancel request was clarified once already: carry the cancellation out, or dismiss the request with a reason', [
        { pointer: '/text', detail: 'one clarification per cancel request' },
      ]);
    }
    const author = scope.actor.startsWith('agent:') ? scope.actor.slice('agent:'.length) : null;
    const posted = await appendMessage(tx, scope, conversation, { role: 'agent', author, text: input.text, visibility: 'public' });
    const request = await updateCancelRequest(tx, scope.tenantId, open.id, { clarification_message_id: posted.message.id });
    await writeAudit(tx, {
      tenantId: scope.tenantId,
      actor: scope.actor,
      action: 'cancel_request.clarified',
      entityType: 'cancel_request',
      entityId: request.id,
      fields: ['clarificationMessageId'],
    });
    return { request, message: posted.message, enqueued: posted.enqueued };
  });
  if (result.enqueued) scope.onOutbox?.();
  return { request: result.request, message: result.message };
}
