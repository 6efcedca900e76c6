import type { Page, PageRequest } from '../db/repositories/paging.ts';
import { attemptsOf, findEndpoint, listDeliveries, listEndpoints } from '../db/repositories/webhooks.ts';
import type { WebhookDeliveryAttemptRow, WebhookDeliveryRow, WebhookEndpointRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';
import { NotFoundError } from './errors.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

/** A delivery with its log: every HTTP attempt, oldest first. */
export interface DeliveryView {
  id: string;
  row: WebhookDeliveryRow;
  attempts: WebhookDeliveryAttemptRow[];
}

export async function listWebhooks(scope: TenantScope, page: PageRequest): Promise<Page<WebhookEndpointRow>> {
  return inTenantTx(scope, (tx) => listEndpoints(tx, scope.tenantId, page));
}

export async function getWebhook(scope: TenantScope, id: string): Promise<WebhookEndpointRow> {
  return inTenantTx(scope, async (tx) => {
    const row = await findEndpoint(tx, scope.tenantId, id);
    if (!row) throw new NotFoundError('webhook', id);
    return row;
  });
}

/** Attaches each delivery's attempts (one query for the page). */
export async function withAttempts(tx: Tx, tenantId: string, rows: WebhookDeliveryRow[]): Promise<DeliveryView[]> {
  const attempts = await attemptsOf(tx, tenantId, rows.map((r) => r.id));
  return rows.map((row) => ({ id: row.id, row, attempts: attempts.filter((a) => a.delivery_id === row.id) }));
}

/** An endpoint's delivery log, newest delivery first, each with its attempts. */
export async function listWebhookDeliveries(scope: TenantScope, endpointId: string, page: PageRequest): Promise<Page<DeliveryView>> {
  return inTenantTx(scope, async (tx) => {
    const endpoint = await findEndpoint(tx, scope.tenantId, endpointId);
    if (!endpoint) throw new NotFoundError('webhook', endpointId);
    const deliveries = await listDeliveries(tx, scope.tenantId, endpointId, page);
    return { rows: await withAttempts(tx, scope.tenantId, deliveries.rows), nextAfter: deliveries.nextAfter };
  });
}
