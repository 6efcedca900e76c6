import type { UsageCreate } from '../contracts/subscriptions.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { findCustomer } from '../db/repositories/customers.ts';
import { newId } from '../db/ids.ts';
import type { UsageEventRow } from '../db/schema.ts';
import { ConflictError, NotFoundError } from './errors.ts';
import { inTenantTx, type TenantScope, type TxHooks } from './scope.ts';

export interface RecordedUsage {
  event: UsageEventRow;
  /** False when this externalId was already recorded with the same figures. */
  created: boolean;
}

/**
 * Records a usage event of a customer (a unit = a feature name). Idempotent on externalId, so a
 * metering pipeline that resends never counts the same use twice.
 */
export async function recordUsage(scope: TenantScope, customerId: string, input: UsageCreate, hooks?: TxHooks<RecordedUsage>): Promise<RecordedUsage> {
  return inTenantTx(
    scope,
    async (tx) => {
      if (!(await findCustomer(tx, scope.tenantId, customerId))) throw new NotFoundError('customer', customerId);
      const inserted = await tx
        .insertInto('usage_events')
        .values({ tenant_id: scope.tenantId, id: newId(), customer_id: customerId, unit: input.unit, quantity: input.quantity, at: input.at, external_id: input.externalId })
        .onConflict((oc) => oc.columns(['tenant_id', 'external_id']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted) {
        await writeAudit(tx, {
          tenantId: scope.tenantId,
          actor: scope.actor,
          action: 'usage.recorded',
          entityType: 'usage_event',
          entityId: inserted.id,
          fields: ['unit', 'quantity', 'at', 'externalId'],
        });
        return { event: inserted, created: true };
      }
      const existing = await tx.selectFrom('usage_events').selectAll().where('tenant_id', '=', scope.tenantId).where('external_id', '=', input.externalId).executeTakeFirst();
      const same =
        existing &&
        existing.customer_id === customerId &&
        existing.unit === input.unit &&
        Number(existing.quantity) === input.quantity &&
        existing.at.getTime() === new Date(input.at).getTime();
      if (!existing || !same) {
        throw new ConflictError('this externalId was already recorded with different figures', [
          { pointer: '/externalId', detail: 'was already recorded with a different customer, unit, quantity or time' },
        ]);
      }
      return { event: existing, created: false };
    },
    hooks,
  );
}
