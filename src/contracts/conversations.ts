import { z } from 'zod';
import { Id, PageQuery, Tag, Timestamp, listOf, text } from './common.ts';

export const Channel = z.enum(['email', 'chat', 'phone', 'portal', 'social']);
export const ConversationStatus = z.enum(['open', 'pending', 'resolved', 'closed']);
export const MessageRole = z.enum(['customer', 'agent', 'system']);
export const Visibility = z.enum(['public', 'internal']);
/** Severity names a need (outage, blocked, question), never the customer's value. */
export const Severity = z.string().trim().regex(/^[a-z][a-z0-9_-]{0,31}$/, { error: 'must be a short lower-case name' });

const MessageText = z.string().max(100_000);

export const MessageCreate = z.strictObject({
  role: MessageRole,
  /** Who wrote it: an agent id for agents, a customer id or handle for customers. */
  author: z.string().trim().min(1).max(200).nullable().optional(),
  text: MessageText,
  visibility: Visibility.default('public'),
});
export type MessageCreate = z.infer<typeof MessageCreate>;

export const ConversationCreate = z.strictObject({
  customerId: Id,
  channel: Channel,
  subject: text(500),
  /** Omit to let the charter set it from what the customer needs (channel, tags). */
  severity: Severity.optional(),
  status: ConversationStatus.default('open'),
  assigneeId: Id.nullable().optional(),
  teamId: Id.nullable().optional(),
  tags: z.array(Tag).max(50).default([]),
  /** The first message, when the conversation starts with one (most do). */
  message: MessageCreate.optional(),
});
export type ConversationCreate = z.infer<typeof ConversationCreate>;

export const ConversationPatch = z.strictObject({
  subject: text(500).optional(),
  severity: Severity.optional(),
  status: ConversationStatus.optional(),
  assigneeId: Id.nullable().optional(),
  teamId: Id.nullable().optional(),
  tags: z.array(Tag).max(50).optional(),
});
export type ConversationPatch = z.infer<typeof ConversationPatch>;

export const Span = z.object({ messageId: Id, start: z.number().int(), end: z.number().int() });

export const Finding = z
  .object({
    type: z.string(),
    messageIds: z.array(Id),
    spans: z.array(Span),
    evidence: z.string(),
  })
  .meta({ id: 'ListeningFinding' });

export const Listening = z
  .object({
    listeningScore: z.number().min(0).max(100),
    components: z.record(z.string(), z.number().nullable()),
    findings: z.array(Finding),
  })
  .meta({ id: 'Listening' });

/** A file that came with a message (by e-mail); its bytes are at `url` (docs/email.md). */
export const Attachment = z
  .object({
    id: Id,
    filename: z.string(),
    /** As the sender declared it; the download is served as a safe type (HTML, SVG… as application/octet-stream). */
    contentType: z.string(),
    size: z.number().int(),
    sha256: z.string(),
    url: z.string(),
  })
  .meta({ id: 'Attachment' });
export type Attachment = z.infer<typeof Attachment>;

export const Message = z
  .object({
    id: Id,
    conversationId: Id,
    role: MessageRole,
    author: z.string().nullable(),
    text: z.string(),
    visibility: Visibility,
    labels: z.array(z.string()),
    attachments: z.array(Attachment),
    createdAt: Timestamp,
  })
  .meta({ id: 'Message' });
export type Message = z.infer<typeof Message>;

export const Sla = z
  .object({
    state: z.enum(['on_track', 'at_risk', 'breached', 'met']),
    firstResponseDueAt: Timestamp,
    resolutionDueAt: Timestamp,
    /** The charter version and tier the conversation opened under; it keeps them. */
    charterVersion: z.number().int(),
    tier: z.string().nullable(),
  })
  .meta({ id: 'Sla' });

export const CancelRequestStatus = z.enum(['open', 'carried_out', 'dismissed']);

/** A cancel request raised in a conversation: what the agent must act on, with its same-business-day clock. */
export const CancelRequest = z
  .object({
    id: Id,
    conversationId: Id,
    customerId: Id,
    status: CancelRequestStatus,
    /** When the customer asked (the message's time). */
    requestedAt: Timestamp,
    /** The end of that business day under the charter, or of the UTC day without one. */
    dueAt: Timestamp,
    slaState: z.enum(['on_track', 'at_risk', 'breached', 'met']),
    /** The customer message the listening analyzer labelled `cancel_request`. */
    messageId: Id,
    /** The customer's only active subscription when the request was raised, or the one carried out. */
    subscriptionId: Id.nullable(),
    /** The agent's one clarification, if they posted it. */
    clarificationMessageId: Id.nullable(),
    cancellationId: Id.nullable(),
    cancellationReference: z.string().nullable(),
    dismissReason: z.string().nullable(),
    closedAt: Timestamp.nullable(),
    closedBy: z.string().nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'CancelRequest' });
export type CancelRequest = z.infer<typeof CancelRequest>;

const ConversationFields = {
  id: Id,
  customerId: Id,
  channel: Channel,
  subject: z.string(),
  severity: z.string(),
  status: ConversationStatus,
  assigneeId: Id.nullable(),
  teamId: Id.nullable(),
  tags: z.array(z.string()),
  firstReplyAt: Timestamp.nullable(),
  waitingSince: Timestamp.nullable(),
  lastCustomerMessageAt: Timestamp.nullable(),
  resolvedAt: Timestamp.nullable(),
  kind: z.enum(['customer', 'root_cause']),
  sla: Sla.nullable(),
  listening: Listening.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

export const ConversationSummary = z.object(ConversationFields).meta({ id: 'ConversationSummary' });
export type ConversationSummary = z.infer<typeof ConversationSummary>;

export const Conversation = z
  .object({
    ...ConversationFields,
    messages: z.array(Message),
    /** The open cancel request, else the latest one; null when the customer never asked to cancel here. */
    cancelRequest: CancelRequest.nullable(),
  })
  .meta({ id: 'Conversation' });
export type Conversation = z.infer<typeof Conversation>;

export const ConversationListQuery = z.strictObject({
  ...PageQuery,
  status: ConversationStatus.optional(),
  customerId: Id.optional(),
  assigneeId: Id.optional(),
  teamId: Id.optional(),
  channel: Channel.optional(),
  tag: Tag.optional(),
  q: z.string().trim().min(1).max(500).optional(),
});

export const ConversationList = listOf(ConversationSummary);

export const ReplyCheck = z.strictObject({
  /** The agent's unsent reply. */
  text: z.string().max(100_000),
  author: z.string().trim().min(1).max(200).nullable().optional(),
});

const DraftRef = z.string().describe('a message id, or "draft" for the unsent reply');

export const ReplyCheckResult = z
  .object({
    findings: z.array(
      z.object({
        type: z.string(),
        messageIds: z.array(DraftRef),
        spans: z.array(z.object({ messageId: DraftRef, start: z.number().int(), end: z.number().int() })),
        evidence: z.string(),
      }),
    ),
  })
  .meta({ id: 'ReplyCheckResult' });

/** Filters of the JSONL conversation export. */
export const ConversationExportQuery = z.strictObject({
  from: Timestamp.optional().describe('opened at or after'),
  to: Timestamp.optional().describe('opened before'),
  status: ConversationStatus.optional(),
  channel: Channel.optional(),
  customerId: Id.optional(),
});
