import { z } from 'zod';
import { Timestamp, text } from './common.ts';

/** A message as the customer sees it in the portal: who said it ("you" or "us"), never internal notes. */
export const PortalMessage = z.object({ id: z.string(), from: z.enum(['you', 'us']), text: z.string(), createdAt: Timestamp });
export type PortalMessage = z.infer<typeof PortalMessage>;

/** One of the customer's own requests (with what was said, when read one at a time). */
export const PortalConversation = z
  .object({ id: z.string(), subject: z.string(), status: z.string(), channel: z.string(), createdAt: Timestamp, messages: z.array(PortalMessage).optional() })
  .meta({ id: 'PortalConversation' });
export type PortalConversation = z.infer<typeof PortalConversation>;

export const PortalConversationList = z.object({ data: z.array(PortalConversation), nextCursor: z.null() });

/** The signed-in customer. */
export const PortalMe = z.object({ id: z.string(), name: z.string(), emails: z.array(z.string()) });
export type PortalMe = z.infer<typeof PortalMe>;

export const PortalConversationCreate = z.strictObject({ subject: text(500), text: z.string().trim().min(1).max(100_000) });
export const PortalReply = z.strictObject({ text: z.string().trim().min(1).max(100_000) });
export const MagicLinkRequest = z.strictObject({ email: z.email().max(254) });
