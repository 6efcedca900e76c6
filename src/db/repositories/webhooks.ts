import type { Insertable, Updateable } from 'kysely';
import type { WebhookDeliveriesTable, WebhookDeliveryAttemptRow, WebhookDeliveryAttemptsTable, WebhookDeliveryRow, WebhookEndpointRow, WebhookEndpointsTable } from '../schema.ts';
import type { Tx } from '../with-tenant.ts';
import { pageQuery, type Page, type PageRequest } from './paging.ts';

export async function insertEndpoint(tx: Tx, row: Insertable<WebhookEndpointsTable>): Promise<WebhookEndpointRow> {
  return tx.insertInto('webhook_endpoints').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findEndpoint(tx: Tx, tenantId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<WebhookEndpointRow | undefined> {
  const q = tx.selectFrom('webhook_endpoints').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  return (options.forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

export async function listEndpoints(tx: Tx, tenantId: string, page: PageRequest): Promise<Page<WebhookEndpointRow>> {
  return pageQuery(tx.selectFrom('webhook_endpoints').selectAll().where('tenant_id', '=', tenantId), page);
}

export async function updateEndpoint(tx: Tx, tenantId: string, id: string, values: Updateable<WebhookEndpointsTable>): Promise<WebhookEndpointRow> {
  return tx.updateTable('webhook_endpoints').set(values).where('tenant_id', '=', tenantId).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** Deletes an endpoint with its deliveries and their log (foreign keys cascade). */
export async function deleteEndpoint(tx: Tx, tenantId: string, id: string): Promise<void> {
  await tx.deleteFrom('webhook_endpoints').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

/** The enabled endpoints that existed when an event happened: they, and only they, receive it. */
export async function endpointsAt(tx: Tx, tenantId: string, at: Date): Promise<WebhookEndpointRow[]> {
  return tx.selectFrom('webhook_endpoints').selectAll().where('tenant_id', '=', tenantId).where('enabled', '=', true).where('created_at', '<=', at).orderBy('id').execute();
}

/** Whether any enabled endpoint of the tenant listens for this event type (`*` or the type itself). */
export async function anyEndpointListening(tx: Tx, tenantId: string, type: string): Promise<boolean> {
  const row = await tx
    .selectFrom('webhook_endpoints')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('enabled', '=', true)
    .where((eb) => eb.or([eb(eb.val('*'), '=', eb.fn.any('events')), eb(eb.val(type), '=', eb.fn.any('events'))]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** One delivery per (event, endpoint): a second insert of the same pair does nothing and returns undefined. */
export async function insertDelivery(tx: Tx, row: Insertable<WebhookDeliveriesTable>): Promise<WebhookDeliveryRow | undefined> {
  return tx
    .insertInto('webhook_deliveries')
    .values(row)
    .onConflict((oc) => oc.columns(['tenant_id', 'endpoint_id', 'event_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findDelivery(tx: Tx, tenantId: string, id: string, options: { endpointId?: string; forUpdate?: boolean } = {}): Promise<WebhookDeliveryRow | undefined> {
  let q = tx.selectFrom('webhook_deliveries').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  if (options.endpointId !== undefined) q = q.where('endpoint_id', '=', options.endpointId);
  return (options.forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

export async function updateDelivery(tx: Tx, tenantId: string, id: string, values: Updateable<WebhookDeliveriesTable>): Promise<WebhookDeliveryRow> {
  return tx.updateTable('webhook_deliveries').set(values).where('tenant_id', '=', tenantId).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function listDeliveries(tx: Tx, tenantId: string, endpointId: string, page: PageRequest): Promise<Page<WebhookDeliveryRow>> {
  return pageQuery(tx.selectFrom('webhook_deliveries').selectAll().where('tenant_id', '=', tenantId).where('endpoint_id', '=', endpointId), page);
}

export async function insertAttempt(tx: Tx, row: Insertable<WebhookDeliveryAttemptsTable>): Promise<WebhookDeliveryAttemptRow> {
  return tx.insertInto('webhook_delivery_attempts').values(row).returningAll().executeTakeFirstOrThrow();
}

/** The attempts of the given deliveries, oldest first. */
export async function attemptsOf(tx: Tx, tenantId: string, deliveryIds: readonly string[]): Promise<WebhookDeliveryAttemptRow[]> {
  if (deliveryIds.length === 0) return [];
  return tx.selectFrom('webhook_delivery_attempts').selectAll().where('tenant_id', '=', tenantId).where('delivery_id', 'in', [...deliveryIds]).orderBy('id').execute();
}
