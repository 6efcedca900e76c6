/**
 * The events webhooks carry and how an endpoint's filter picks them. No Node imports: the web app's
 * type check reads this through src/contracts.
 */

/** Every event a webhook endpoint can subscribe to; `*` subscribes to all, present and future. */
export const WEBHOOK_EVENT_TYPES = [
  'conversation.created',
  'message.created',
  'sla.breached',
  'cancellation.confirmed',
  'offer.decided',
  'consent.changed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Whether an endpoint with this filter receives events of this type. */
export function eventMatches(filter: readonly string[], type: string): boolean {
  return filter.includes('*') || filter.includes(type);
}

/** A filter as stored: `*` alone when it is there, else each type once. */
export function normalizeEventFilter(events: readonly string[]): string[] {
  return events.includes('*') ? ['*'] : [...new Set(events)];
}
