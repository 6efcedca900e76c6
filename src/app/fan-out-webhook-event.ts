import { eventMatches, webhookBody } from '../domain/webhooks.ts';
import { enqueue } from '../db/repositories/outbox.ts';
import { endpointsAt, insertDelivery } from '../db/repositories/webhooks.ts';
import { newId } from '../db/ids.ts';
import type { OutboxRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';
import { DELIVER_JOB } from './deliver-webhook.ts';

/**
 * Runs when an event's outbox job runs (inside its tenant transaction): one delivery, with its own
 * `webhook.deliver` job, for each enabled endpoint whose filter takes the event and that existed when
 * it happened — so each endpoint retries on its own schedule. The body is fixed here, once. A second
 * run for the same event adds nothing (one delivery per event and endpoint). Returns how many it made.
 */
export async function fanOutWebhookEvent(tx: Tx, event: Pick<OutboxRow, 'tenant_id' | 'id' | 'kind' | 'payload' | 'created_at'>): Promise<number> {
  const endpoints = (await endpointsAt(tx, event.tenant_id, event.created_at)).filter((e) => eventMatches(e.events, event.kind));
  let made = 0;
  for (const endpoint of endpoints) {
    const delivery = await insertDelivery(tx, {
      tenant_id: event.tenant_id,
      id: newId(),
      endpoint_id: endpoint.id,
      event_id: event.id,
      event_type: event.kind,
      body: webhookBody(event.kind, event.created_at, event.payload),
    });
    if (!delivery) continue;
    await enqueue(tx, { tenantId: event.tenant_id, kind: DELIVER_JOB, payload: { deliveryId: delivery.id } });
    made++;
  }
  return made;
}
