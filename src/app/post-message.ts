import type { MessageCreate } from '../contracts/conversations.ts';
import { advanceClock } from '../domain/conversation-clock.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { findConversation, findMessage, insertMessage, updateConversation } from '../db/repositories/conversations.ts';
import { findCustomer } from '../db/repositories/customers.ts';
import { enqueue } from '../db/repositories/outbox.ts';
import { emitWebhookEvent } from './emit-webhook-event.ts';
import { conversationEmailTrail, insertAttachment, insertEmailMessage } from '../db/repositories/email.ts';
import { outgoingMessageId, referencesChain, replySubject } from '../domain/email.ts';
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

/** What a message that came in by e-mail carries besides its text (src/app/receive-email.ts). */
export interface EmailOrigin {
  /** Its Message-ID, normalised to `<…>`: unique per tenant. */
  headerId: string;
  /** The sender's address. */
  from: string;
  /** Our address it was sent to. */
  mailbox: string;
  attachments: Array<{ filename: string; contentType: string; content: Buffer; sha256: string }>;
}

/** The shared body of posting, also used when a conversation is created with its first message. */
export async function appendMessage(
  tx: Tx,
  scope: TenantScope,
  conversation: ConversationRow,
  input: MessageCreate,
  email?: EmailOrigin,
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
  if (email) {
    // Its Message-ID first: a redelivery racing this one fails here, on the unique index, and rolls back whole.
    await insertEmailMessage(tx, { tenant_id: scope.tenantId, message_id: message.id, header_id: email.headerId, direction: 'in', address: email.from, mailbox: email.mailbox });
    for (const a of email.attachments) {
      await insertAttachment(tx, {
        tenant_id: scope.tenantId,
        id: newId(),
        message_id: message.id,
        filename: a.filename,
        content_type: a.contentType,
        size: a.content.length,
        sha256: a.sha256,
        content: a.content,
      });
    }
  }
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
    fields: email ? ['role', 'text', 'visibility', 'email', ...(email.attachments.length ? ['attachments'] : [])] : ['role', 'text', 'visibility'],
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
    enqueued = (await mailReply(tx, scope, conversation, message)) || enqueued;
  }
  return { message: labelled, conversation: updated, enqueued, cancelRequest };
}

/**
 * E-mails an agent's public reply to the customer, in the customer's thread: In-Reply-To is the
 * customer's last mail, References the conversation's chain of Message-IDs, and our own Message-ID
 * (`<jobId@fairdesk>`, the one the mailer sends) is stored so the customer's answer threads back here.
 * It goes to the address the customer last wrote from, else their first address on file.
 */
async function mailReply(tx: Tx, scope: TenantScope, conversation: ConversationRow, message: MessageRow): Promise<boolean> {
  const trail = await conversationEmailTrail(tx, scope.tenantId, conversation.id);
  const lastIn = trail.filter((t) => t.direction === 'in').at(-1);
  const customer = await findCustomer(tx, scope.tenantId, conversation.customer_id);
  const to = lastIn?.address ?? customer?.emails[0];
  if (!to) return false;
  const references = referencesChain(trail.map((t) => t.header_id));
  const jobId = await enqueue(tx, {
    tenantId: scope.tenantId,
    kind: 'email.send',
    payload: {
      to,
      subject: replySubject(conversation.subject),
      text: message.text,
      conversationId: conversation.id,
      messageId: message.id,
      ...(lastIn ? { inReplyTo: lastIn.header_id, replyTo: lastIn.mailbox } : {}),
      ...(references.length ? { references } : {}),
    },
  });
  await insertEmailMessage(tx, { tenant_id: scope.tenantId, message_id: message.id, header_id: outgoingMessageId(jobId), direction: 'out', address: to, mailbox: lastIn?.mailbox ?? null });
  return true;
}

