import { findConversation, listConversations as listRows, listMessages, type ConversationFilter } from '../db/repositories/conversations.ts';
import type { Page, PageRequest } from '../db/repositories/paging.ts';
import { currentCancelRequest } from '../db/repositories/cancel-requests.ts';
import type { CancelRequestRow, ConversationRow, MessageRow } from '../db/schema.ts';
import { NotFoundError } from './errors.ts';
import { inTenantTx, type TenantScope } from './scope.ts';
import { logRead } from './record-read.ts';
import { listConversationAttachments, type AttachmentMeta } from '../db/repositories/email.ts';

/** A conversation with all its messages (internal notes included: this is the agents' view). */
export async function getConversation(
  scope: TenantScope,
  id: string,
): Promise<{ conversation: ConversationRow; messages: MessageRow[]; cancelRequest: CancelRequestRow | null; attachments: AttachmentMeta[] }> {
  const found = await inTenantTx(scope, async (tx) => {
    const conversation = await findConversation(tx, scope.tenantId, id);
    if (conversation) await logRead(tx, scope, conversation.customer_id, `conversation:${id}`);
    return (
      conversation && {
        conversation,
        messages: await listMessages(tx, scope.tenantId, id),
        cancelRequest: (await currentCancelRequest(tx, scope.tenantId, id)) ?? null,
        attachments: await listConversationAttachments(tx, scope.tenantId, id),
      }
    );
  });
  if (!found) throw new NotFoundError('conversation', id);
  return found;
}

export async function listConversations(
  scope: TenantScope,
  filter: ConversationFilter,
  page: PageRequest,
): Promise<Page<ConversationRow>> {
  return inTenantTx(scope, (tx) => listRows(tx, scope.tenantId, filter, page));
}
