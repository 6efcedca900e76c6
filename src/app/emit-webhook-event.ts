import type { WebhookEventType } from '../domain/webhooks.ts';
import { enqueue } from '../db/repositories/outbox.ts';
import { anyEndpointListening } from '../db/repositories/webhooks.ts';
import type { Tx } from '../db/with-tenant.ts';

/**
 * Puts a webhook event in the outbox, in the caller's transaction — but only when an enabled endpoint
 * of the tenant listens for it, so the busiest events (every message) cost a tenant without webhooks
 * one indexed look-up rather than an outbox row and a job run. Payloads are ids and key facts: never
 * message text, names or addresses (those stay in Fairdesk, where erasure can reach them).
 * Returns whether an event was queued.
 */
export async function emitWebhookEvent(tx: Tx, tenantId: string, type: WebhookEventType, data: Record<string, unknown>): Promise<boolean> {
  if (!(await anyEndpointListening(tx, tenantId, type))) return false;
  await enqueue(tx, { tenantId, kind: type, payload: data });
  return true;
}
