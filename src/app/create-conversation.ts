import type { ConversationCreate } from '../contracts/conversations.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { insertConversation, updateConversation as updateConversationRow } from '../db/repositories/conversations.ts';
import { findCustomer } from '../db/repositories/customers.ts';
import { severityAtOpen, slaAtOpen } from './sla.ts';
import { linkRepeatContact } from './open-root-cause-case.ts';
import { newId } from '../db/ids.ts';
import type { CancelRequestRow, ConversationRow, MessageRow } from '../db/schema.ts';
import { appendMessage, type EmailOrigin } from './post-message.ts';
import { emitWebhookEvent } from './emit-webhook-event.ts';
import type { Tx } from '../db/with-tenant.ts';
import { requireReferences } from './references.ts';
import { inTenantTx, type TenantScope, type TxHooks } from './scope.ts';

export interface CreatedConversation {
  conversation: ConversationRow;
  messages: MessageRow[];
  /** Raised when the first message asks to cancel. */
  cancelRequest: CancelRequestRow | null;
}

/** Opens a conversation for a customer, with its first message when one is given. */
export async function createConversation(
  scope: TenantScope,
  input: ConversationCreate,
  hooks?: TxHooks<CreatedConversation>,
): Promise<CreatedConversation> {
  const created = await inTenantTx(scope, (tx) => openConversation(tx, scope, input), hooks);
  if (created.enqueued) scope.onOutbox?.();
  return { conversation: created.conversation, messages: created.messages, cancelRequest: created.cancelRequest };
}

/**
 * The body of opening a conversation inside the caller's transaction: also used by an e-mail that
 * starts a thread (receive-email.ts), whose first message carries its Message-ID and attachments.
 */
export async function openConversation(
  tx: Tx,
  scope: TenantScope,
  input: ConversationCreate,
  email?: EmailOrigin,
): Promise<CreatedConversation & { enqueued: boolean }> {
  await requireReferences(tx, scope.tenantId, {
    customerId: input.customerId,
    assigneeId: input.assigneeId ?? null,
    teamId: input.teamId ?? null,
  });
  const customer = (await findCustomer(tx, scope.tenantId, input.customerId))!;
  const tags = [...new Set(input.tags)];
  const { severity, charter } = await severityAtOpen(tx, scope.tenantId, new Date(), { channel: input.channel, tags, severity: input.severity });
  let conversation = await insertConversation(tx, {
    tenant_id: scope.tenantId,
    id: newId(),
    customer_id: input.customerId,
    channel: input.channel,
    subject: input.subject,
    severity,
    status: input.status,
    assignee_id: input.assigneeId ?? null,
    team_id: input.teamId ?? null,
    tags,
  });
  // The clock starts when the row was written, under the charter and entitlements of this moment.
  const sla = await slaAtOpen(tx, scope.tenantId, charter, customer, { channel: input.channel, severity, openedAt: conversation.created_at });
  if (sla.charter_version !== null) conversation = await updateConversationRow(tx, scope.tenantId, conversation.id, sla);
  if (charter) await linkRepeatContact(tx, scope, charter, conversation);
  let enqueued = await emitWebhookEvent(tx, scope.tenantId, 'conversation.created', {
    conversationId: conversation.id,
    customerId: conversation.customer_id,
    channel: conversation.channel,
    status: conversation.status,
    severity: conversation.severity,
    teamId: conversation.team_id,
    assigneeId: conversation.assignee_id,
    createdAt: conversation.created_at.toISOString(),
  });
  await writeAudit(tx, {
    tenantId: scope.tenantId,
    actor: scope.actor,
    action: 'conversation.created',
    entityType: 'conversation',
    entityId: conversation.id,
    fields: Object.keys(input).filter((k) => k !== 'message'),
  });
  const messages: MessageRow[] = [];
  let cancelRequest: CancelRequestRow | null = null;
  if (input.message) {
    const posted = await appendMessage(tx, scope, conversation, input.message, email);
    conversation = posted.conversation;
    messages.push(posted.message);
    enqueued = posted.enqueued || enqueued;
    cancelRequest = posted.cancelRequest;
  }
  return { conversation, messages, cancelRequest, enqueued };
}
