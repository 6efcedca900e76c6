import { apply } from '../domain/cancellation/index.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import type { AttemptOptions } from './decline-cancellation-offer.ts';
import { ConflictError } from './errors.ts';
import type { CancellationView } from './read-subscriptions.ts';
import { inTenantTx, type TenantScope } from './scope.ts';
import { currencyOfSubscription, requireCancellation, reviveState, storeState } from './subscription-records.ts';

/**
 * The customer changed their mind before confirming: the attempt ends without a cancellation and
 * billing goes on as before. A confirmed cancellation cannot be withdrawn (only the customer may
 * reverse it, through the link of the logged-out route's e-mail): the machine refuses with a 409.
 */
export async function withdrawCancellation(scope: TenantScope, cancellationId: string, options: AttemptOptions = {}): Promise<CancellationView> {
  const now = options.now ?? new Date();
  return inTenantTx(scope, async (tx) => {
    const row = await requireCancellation(tx, scope.tenantId, cancellationId, true, options.customerId);
    const r = apply(reviveState(row.state), { type: 'withdraw' });
    if ('error' in r) throw new ConflictError(r.error);
    const updated = await tx
      .updateTable('cancellations')
      .set({ state: storeState(r.state), status: r.state.status, ended_at: now })
      .where('tenant_id', '=', scope.tenantId)
      .where('id', '=', cancellationId)
      .returningAll()
      .executeTakeFirstOrThrow();
    const currency = await currencyOfSubscription(tx, scope.tenantId, row.subscription_id);
    await writeAudit(tx, { tenantId: scope.tenantId, actor: scope.actor, action: 'cancellation.withdrawn', entityType: 'cancellation', entityId: row.id, fields: ['status', 'endedAt'] });
    return { row: updated, currency };
  });
}
