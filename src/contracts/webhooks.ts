import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../domain/webhook-events.ts';
import { Id, PageQuery, Timestamp, listOf, text } from './common.ts';

export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES);

/** `*` for every event (also ones added later), or a list of event types. */
export const WebhookEventFilter = z
  .array(z.union([z.literal('*'), WebhookEventType], { error: `must be * or one of ${WEBHOOK_EVENT_TYPES.join(', ')}` }))
  .min(1, { error: 'must name at least one event type, or *' })
  .max(WEBHOOK_EVENT_TYPES.length + 1)
  .describe(`"*" or event types: ${WEBHOOK_EVENT_TYPES.join(', ')}`);

const WebhookUrl = z
  .string()
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(2000)
  .describe('Where events are POSTed: http(s), no credentials, resolving to public addresses only unless the operator allows others');

export const WebhookCreate = z.strictObject({
  url: WebhookUrl,
  description: text(500).optional(),
  events: WebhookEventFilter.default(['*']),
  enabled: z.boolean().default(true),
});
export type WebhookCreate = z.infer<typeof WebhookCreate>;

/** JSON merge patch: fields left out stay as they are; `description: null` clears it. */
export const WebhookPatch = z.strictObject({
  url: WebhookUrl.optional(),
  description: text(500).nullable().optional(),
  events: WebhookEventFilter.optional(),
  enabled: z.boolean().optional(),
});
export type WebhookPatch = z.infer<typeof WebhookPatch>;

export const Webhook = z
  .object({
    id: Id,
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(z.string()),
    enabled: z.boolean(),
    secretRotatedAt: Timestamp.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Webhook' });
export type Webhook = z.infer<typeof Webhook>;

/** The answer to a create or a rotation: the only time the signing secret is shown. */
export const WebhookWithSecret = Webhook.extend({
  secret: z.string().describe('The signing secret, whsec_<base64> (Standard Webhooks). Shown once: store it now.'),
}).meta({ id: 'WebhookWithSecret' });
export type WebhookWithSecret = z.infer<typeof WebhookWithSecret>;

export const WebhookList = listOf(Webhook);
export const WebhookListQuery = z.strictObject({ ...PageQuery });

export const DeliveryParams = z.strictObject({ id: Id, deliveryId: Id });

export const WebhookAttempt = z
  .object({
    id: Id,
    at: Timestamp,
    durationMs: z.number().int(),
    statusCode: z.number().int().nullable().describe("The receiver's HTTP status; null when none came (refused target, timeout, connection error)"),
    error: z.string().nullable(),
    replay: z.boolean().describe('Sent because someone asked for a replay'),
  })
  .meta({ id: 'WebhookAttempt' });

export const WebhookDelivery = z
  .object({
    id: Id,
    endpointId: Id,
    messageId: z.string().describe('The webhook-id header: the same on every attempt and replay, so receivers can drop repeats'),
    eventId: Id,
    eventType: z.string(),
    status: z.enum(['pending', 'retrying', 'succeeded', 'failed']),
    payload: z.unknown().describe('The body sent: {type, timestamp, data}'),
    attempts: z.array(WebhookAttempt).describe('Every HTTP attempt, oldest first'),
    createdAt: Timestamp,
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const WebhookDeliveryList = listOf(WebhookDelivery);
