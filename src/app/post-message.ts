import type { MessageCreate } from '../contracts/conversations.ts';
import { advanceClock } from '../domain/conversation-clock.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { findConversation, findMessage, insertMessage, updateConversation } from '../db/repositories/conversations.ts';
import { findCustomer } from '../db/repositories/customers.ts';
import { enqueue } from '../db/repositories/outbox.ts';
import { emitWebhookEvent } from './emit-webhook-event.ts';
import { newId } from '../db/ids.ts';
import type { CancelRequestRow, ConversationRow, MessageRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';
import { ConflictError, NotFoundError } from './errors.ts';
import { openCancelRequestIfAsked } from './open-cancel-request.ts';
import { refreshListening } from './refresh-listening.ts';
import { refreshSla } from './sla.ts';
import { inTenantTx, type TenantScope, type TxHooks } from './scope.ts';

export interface PostedMessage {
  message: MessageRow;
  conversation: ConversationRow;
}

/** Adds a message to a conversation: clock, search index, listening analysis, audit and e-mail in one transaction. */
export async function postMessage(
  scope: TenantScope,
  conversationId: string,
  input: MessageCreate,
  hooks?: TxHooks<PostedMessage>,
): Promise<PostedMessage> {
  const result = await inTenantTx(
    scope,
    async (tx) => {
      // Lock the conversation so concurrent messages advance its clock one after another.
      const conversation = await findConversation(tx, scope.tenantId, conversationId, { forUpdate: true });
      if (!conversation) throw new NotFoundError('conversation', conversationId);
      return appendMessage(tx, scope, conversation, input);
    },
    hooks,
  );
  if (result.enqueued) scope.onOutbox?.();
  return { message: result.message, conversation: result.conversation };
}

/** The shared body of posting, also used when a conversation is created with its first message. */
export async function appendMessage(
  tx: Tx,
  scope: TenantScope,
  conversation: ConversationRow,
  input: MessageCreate,
): Promise<PostedMessage & { enqueued: boolean; cancelRequest: CancelRequestRow | null }> {
  if (conversation.status === 'closed' && input.role === 'customer') {
    throw new ConflictError('the conversation is closed; start a new one', [{ pointer: '/role', detail: 'conversation is closed' }]);
  }
  const message = await insertMessage(tx, {
    tenant_id: scope.tenantId,
    id: newId(),
    conversation_id: conversation.id,
    role: input.role,
    author_id: input.author ?? null,
    text: input.text,
    visibility: input.visibility,
  });
  const clock = advanceClock(
    {
      status: conversation.status,
      firstReplyAt: conversation.first_reply_at,
      waitingSince: conversation.waiting_since,
      lastCustomerMessageAt: conversation.last_customer_message_at,
    },
    { role: message.role, visibility: message.visibility, at: message.created_at },
  );
  let updated = await updateConversation(
    tx,
    scope.tenantId,
    conversation.id,
    {
      status: clock.status,
      first_reply_at: clock.firstReplyAt,
      waiting_since: clock.waitingSince,
      last_customer_message_at: clock.lastCustomerMessageAt,
    },
    { appendSearchText: input.text },
  );
  if (clock.status === 'open' && updated.resolved_at !== null) {
    updated = await updateConversation(tx, scope.tenantId, conversation.id, { resolved_at: null });
  }
  updated = await refreshSla(tx, scope.tenantId, updated, message.created_at);
  updated = await refreshListening(tx, scope.tenantId, updated);
  const labelled = (await findMessage(tx, scope.tenantId, message.id)) ?? message;
  // A customer asking to cancel raises a flag the agent must act on the same business day.
  const cancelRequest = await openCancelRequestIfAsked(tx, scope.tenantId, updated, labelled);
  // Ids and facts only: a message's text never leaves in a webhook (internal notes least of all).
  let enqueued = await emitWebhookEvent(tx, scope.tenantId, 'message.created', {
    messageId: message.id,
    conversationId: conversation.id,
    customerId: conversation.customer_id,
    role: message.role,
    visibility: message.visibility,
    authorId: message.author_id,
    createdAt: message.created_at.toISOString(),
  });
  await writeAudit(tx, {
    tenantId: scope.tenantId,
    actor: scope.actor,
    action: 'message.created',
    entityType: 'message',
    entityId: message.id,
    fields: ['role', 'text', 'visibility'],
  });
  if (cancelRequest) {
    await writeAudit(tx, {
      tenantId: scope.tenantId,
      actor: scope.actor,
      action: 'cancel_request.opened',
      entityType: 'cancel_request',
      entityId: cancelRequest.id,
      fields: ['conversationId', 'messageId', 'subscriptionId', 'requestedAt', 'dueAt'],
    });
  }

  if (message.role === 'agent' && message.visibility === 'public' && conversation.channel === 'email') {
    const customer = await findCustomer(tx, scope.tenantId, conversation.customer_id);
    const to = customer?.emails[0];
    if (to) {
      await enqueue(tx, {
        tenantId: scope.tenantId,
        kind: 'email.send',
        payload: {
          to,
          subject: conversation.subject.startsWith('Re:') ? conversation.subject : `Re: ${conversation.subject}`,
          text: message.text,
          conversationId: conversation.id,
          messageId: message.id,
        },
      });
      enqueued = true;
    }
  }
  return { message: labelled, conversation: updated, enqueued, cancelRequest };
}
