import { insertCancelRequest } from '../db/repositories/cancel-requests.ts';
import { newId } from '../db/ids.ts';
import type { CancelRequestRow, ConversationRow, MessageRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';
import { cancelRequestDue } from './cancel-request-clock.ts';

/** The listening label that raises a cancel request. */
export const CANCEL_REQUEST_LABEL = 'cancel_request';

/**
 * Raises a cancel request when a stored customer message is labelled `cancel_request` by the
 * listening analyzer and the conversation has none open (a repeated "please cancel" joins the open
 * one). The subscription is the customer's only active or trialing one, or none when they have
 * several or none — the agent then names it when carrying the request out.
 * Runs inside the message's transaction, with the conversation already locked; the caller writes
 * the `cancel_request.opened` audit row last. Returns the new request, or null.
 */
export async function openCancelRequestIfAsked(tx: Tx, tenantId: string, conversation: ConversationRow, message: MessageRow): Promise<CancelRequestRow | null> {
  if (message.role !== 'customer' || message.visibility !== 'public' || !message.labels.includes(CANCEL_REQUEST_LABEL)) return null;
  const open = await tx
    .selectFrom('cancel_requests')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('conversation_id', '=', conversation.id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  if (open) return null;
  const subscriptions = await tx
    .selectFrom('subscriptions')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', conversation.customer_id)
    .where('status', 'in', ['active', 'trialing'])
    .limit(2)
    .execute();
  const requestedAt = message.created_at;
  const { dueAt, charterVersion, state } = await cancelRequestDue(tx, tenantId, requestedAt);
  return insertCancelRequest(tx, {
    tenant_id: tenantId,
    id: newId(),
    conversation_id: conversation.id,
    customer_id: conversation.customer_id,
    message_id: message.id,
    subscription_id: subscriptions.length === 1 ? subscriptions[0]!.id : null,
    status: 'open',
    requested_at: requestedAt,
    due_at: dueAt,
    charter_version: charterVersion,
    sla_state: state,
  });
}
