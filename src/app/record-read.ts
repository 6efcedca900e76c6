import { newId } from '../db/ids.ts';
import type { Tx } from '../db/with-tenant.ts';
import type { TenantScope } from './scope.ts';

/**
 * Notes that someone read a customer's record — for the customer's own access request and for
 * compliance. Written in the same transaction as the read, so a read that happened is recorded.
 * Portal reads by the customer themself are not logged: it is their own record.
 */
export async function logRead(tx: Tx, scope: TenantScope, customerId: string, what: string): Promise<void> {
  if (scope.actor === `customer:${customerId}`) return;
  await tx.insertInto('record_reads').values({ tenant_id: scope.tenantId, id: newId(), actor: scope.actor, customer_id: customerId, what }).execute();
}
