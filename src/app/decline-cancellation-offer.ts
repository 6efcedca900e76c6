import { apply } from '../domain/cancellation/index.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { ConflictError } from './errors.ts';
import type { CancellationView } from './read-subscriptions.ts';
import { settleCancellationOffer } from './cancellation-offer-gates.ts';
import { inTenantTx, type TenantScope } from './scope.ts';
import { currencyOfSubscription, requireCancellation, reviveState, storeState } from './subscription-records.ts';

/** Who acts on an open attempt: a signed-in customer reaches only their own cancellations. */
export interface AttemptOptions {
  /** The signed-in customer acting (portal): another customer's cancellation is not found. */
  customerId?: string | undefined;
  now?: Date;
}

/**
 * The customer says no to the clarification or offer. The attempt goes back to "requested"; the
 * machine then refuses any further show in this attempt. One step of the customer's.
 */
export async function declineCancellationOffer(scope: TenantScope, cancellationId: string, options: AttemptOptions = {}): Promise<CancellationView> {
  return inTenantTx(scope, async (tx) => {
    const row = await requireCancellation(tx, scope.tenantId, cancellationId, true, options.customerId);
    const r = apply(reviveState(row.state), { type: 'decline' });
    if ('error' in r) throw new ConflictError(r.error);
    const updated = await tx
      .updateTable('cancellations')
      .set({ state: storeState(r.state), status: r.state.status, steps: row.steps + 1 })
      .where('tenant_id', '=', scope.tenantId)
      .where('id', '=', cancellationId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await settleCancellationOffer(tx, scope.tenantId, row.id, 'declined', options.now ?? new Date());
    const currency = await currencyOfSubscription(tx, scope.tenantId, row.subscription_id);
    await writeAudit(tx, { tenantId: scope.tenantId, actor: scope.actor, action: 'cancellation.declined', entityType: 'cancellation', entityId: row.id, fields: ['status', 'steps'] });
    return { row: updated, currency };
  });
}
