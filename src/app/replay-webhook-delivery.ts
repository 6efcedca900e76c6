import { writeAudit } from '../db/repositories/audit.ts';
import { enqueue } from '../db/repositories/outbox.ts';
import { findDelivery, findEndpoint, updateDelivery } from '../db/repositories/webhooks.ts';
import { NotFoundError } from './errors.ts';
import { withAttempts, type DeliveryView } from './read-webhooks.ts';
import { inTenantTx, type TenantScope } from './scope.ts';
import { DELIVER_JOB } from './deliver-webhook.ts';

/**
 * Sends a delivery again — the same body under the same webhook-id, so a receiver that already has it
 * can drop it — as a new outbox job with its own retries. Audited.
 */
export async function replayWebhookDelivery(scope: TenantScope, endpointId: string, deliveryId: string): Promise<DeliveryView> {
  const view = await inTenantTx(scope, async (tx) => {
    const endpoint = await findEndpoint(tx, scope.tenantId, endpointId);
    if (!endpoint) throw new NotFoundError('webhook', endpointId);
    const delivery = await findDelivery(tx, scope.tenantId, deliveryId, { endpointId, forUpdate: true });
    if (!delivery) throw new NotFoundError('webhook delivery', deliveryId);
    await enqueue(tx, { tenantId: scope.tenantId, kind: DELIVER_JOB, payload: { deliveryId, replay: true } });
    const row = await updateDelivery(tx, scope.tenantId, deliveryId, { status: 'pending' });
    await writeAudit(tx, { tenantId: scope.tenantId, actor: scope.actor, action: 'webhook.delivery_replayed', entityType: 'webhook_delivery', entityId: deliveryId, fields: ['status'] });
    return (await withAttempts(tx, scope.tenantId, [row]))[0]!;
  });
  scope.onOutbox?.();
  return view;
}
