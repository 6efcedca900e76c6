import { writeAudit } from '../db/repositories/audit.ts';
import { deleteEndpoint, findEndpoint } from '../db/repositories/webhooks.ts';
import { NotFoundError } from './errors.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

/**
 * Removes an endpoint with its deliveries and their log. Deliveries still queued find nothing and end
 * without sending; the audit log keeps that the endpoint existed and who removed it.
 */
export async function deleteWebhook(scope: TenantScope, id: string): Promise<void> {
  await inTenantTx(scope, async (tx) => {
    const current = await findEndpoint(tx, scope.tenantId, id, { forUpdate: true });
    if (!current) throw new NotFoundError('webhook', id);
    await deleteEndpoint(tx, scope.tenantId, id);
    await writeAudit(tx, { tenantId: scope.tenantId, actor: scope.actor, action: 'webhook.deleted', entityType: 'webhook', entityId: id, fields: [] });
  });
}
