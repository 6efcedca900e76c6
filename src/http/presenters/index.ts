import type { Agent, Team } from '../../contracts/agents.ts';
import type { Attachment, CancelRequest, Conversation, ConversationSummary, Message } from '../../contracts/conversations.ts';
import type { Customer } from '../../contracts/customers.ts';
import type { StoredListening } from '../../app/refresh-listening.ts';
import type { CreatedConversation } from '../../app/create-conversation.ts';
import type { PostedMessage } from '../../app/post-message.ts';
import type { AgentRow, CancelRequestRow, ConversationRow, CustomerRow, MessageRow, TeamRow } from '../../db/schema.ts';
import type { AttachmentMeta } from '../../db/repositories/email.ts';

const iso = (d: Date): string => d.toISOString();
const isoOrNull = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** Rows never leave the server as they are: presenters map them to the API's camelCase shapes. */
export function presentCustomer(row: CustomerRow): Customer {
  return {
    id: row.id,
    name: row.name,
    emails: row.emails,
    phones: row.phones,
    externalId: row.external_id,
    timeZone: row.time_zone,
    locale: row.locale,
    customerSince: row.customer_since,
    closedAt: isoOrNull(row.closed_at),
    erasedAt: isoOrNull(row.erased_at),
    attributes: row.attributes,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function presentAgent(row: AgentRow): Agent {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    teamId: row.team_id,
    available: row.available,
    maxOpen: row.max_open,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function presentTeam(row: TeamRow): Team {
  return { id: row.id, name: row.name, createdAt: iso(row.created_at), updatedAt: iso(row.updated_at) };
}

export function presentAttachment(row: AttachmentMeta): Attachment {
  return { id: row.id, filename: row.filename, contentType: row.content_type, size: row.size, sha256: row.sha256, url: `/api/v1/attachments/${row.id}` };
}

export function presentMessage(row: MessageRow, attachments: readonly AttachmentMeta[] = []): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    role: row.role,
    author: row.author_id,
    text: row.text,
    visibility: row.visibility,
    labels: row.labels,
    attachments: attachments.filter((a) => a.message_id === row.id).map(presentAttachment),
    createdAt: iso(row.created_at),
  };
}

export function presentConversationSummary(row: ConversationRow): ConversationSummary {
  return {
    id: row.id,
    customerId: row.customer_id,
    channel: row.channel,
    subject: row.subject,
    severity: row.severity,
    status: row.status,
    assigneeId: row.assignee_id,
    teamId: row.team_id,
    tags: row.tags,
    firstReplyAt: isoOrNull(row.first_reply_at),
    waitingSince: isoOrNull(row.waiting_since),
    lastCustomerMessageAt: isoOrNull(row.last_customer_message_at),
    resolvedAt: isoOrNull(row.resolved_at),
    kind: row.kind,
    sla:
      row.charter_version !== null && row.sla_state && row.first_response_due_at && row.resolution_due_at
        ? {
            state: row.sla_state,
            firstResponseDueAt: iso(row.first_response_due_at),
            resolutionDueAt: iso(row.resolution_due_at),
            charterVersion: row.charter_version,
            tier: row.tier,
          }
        : null,
    listening: (row.listening as StoredListening | null) ?? null,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function presentCancelRequest(row: CancelRequestRow): CancelRequest {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    customerId: row.customer_id,
    status: row.status,
    requestedAt: iso(row.requested_at),
    dueAt: iso(row.due_at),
    slaState: row.sla_state,
    messageId: row.message_id,
    subscriptionId: row.subscription_id,
    clarificationMessageId: row.clarification_message_id,
    cancellationId: row.cancellation_id,
    cancellationReference: row.cancellation_reference,
    dismissReason: row.dismiss_reason,
    closedAt: isoOrNull(row.closed_at),
    closedBy: row.closed_by,
    createdAt: iso(row.created_at),
  };
}

export function presentConversation(
  row: ConversationRow,
  messages: MessageRow[],
  cancelRequest: CancelRequestRow | null,
  attachments: readonly AttachmentMeta[] = [],
): Conversation {
  return {
    ...presentConversationSummary(row),
    messages: messages.map((m) => presentMessage(m, attachments)),
    cancelRequest: cancelRequest ? presentCancelRequest(cancelRequest) : null,
  };
}

export function presentCreatedConversation(created: CreatedConversation): Conversation {
  return presentConversation(created.conversation, created.messages, created.cancelRequest);
}

export function presentPostedMessage(posted: PostedMessage): Message {
  return presentMessage(posted.message, []);
}
