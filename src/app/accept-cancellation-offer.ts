import { apply } from '../domain/cancellation/index.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { billingProvider } from './billing-provider.ts';
import type { AttemptOptions } from './decline-cancellation-offer.ts';
import { ConflictError } from './errors.ts';
import type { CancellationView } from './read-subscriptions.ts';
import { inTenantTx, type TenantScope } from './scope.ts';
import { settleCancellationOffer } from './cancellation-offer-gates.ts';
import { findPlan, requireCancellation, requireSubscription, reviveState, storeState } from './subscription-records.ts';

/**
 * The customer takes the offer (another plan of the same product that covers their own use for
 * less). The attempt ends without a cancellation, and the offer's effect is applied and recorded:
 * the subscription moves to the offered plan now, and its new price applies from the next renewal
 * (the current period is paid for). One step of the customer's.
 */
export async function acceptCancellationOffer(scope: TenantScope, cancellationId: string, options: AttemptOptions = {}): Promise<CancellationView> {
  const now = options.now ?? new Date();
  return inTenantTx(scope, async (tx) => {
    const row = await requireCancellation(tx, scope.tenantId, cancellationId, true, options.customerId);
    const r = apply(reviveState(row.state), { type: 'accept_offer' });
    if ('error' in r) throw new ConflictError(r.error);
    const planId = r.state.shown?.planId;
    const sub = await requireSubscription(tx, scope.tenantId, row.subscription_id, true);
    const plan = planId ? await findPlan(tx, scope.tenantId, planId) : undefined;
    // The offer was computed from the catalog; a plan since removed cannot be switched to.
    if (!plan) throw new ConflictError('the offered plan no longer exists');
    const updated = await tx
      .updateTable('cancellations')
      .set({ state: storeState(r.state), status: r.state.status, steps: row.steps + 1, ended_at: now })
      .where('tenant_id', '=', scope.tenantId)
      .where('id', '=', cancellationId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await billingProvider.changePlan(tx, { tenantId: scope.tenantId, subscription: sub, plan });
    await settleCancellationOffer(tx, scope.tenantId, row.id, 'accepted', now);
    await writeAudit(tx, {
      tenantId: scope.tenantId,
      actor: scope.actor,
      action: 'cancellation.offer_accepted',
      entityType: 'cancellation',
      entityId: row.id,
      fields: ['status', 'steps', 'endedAt'],
    });
    await writeAudit(tx, {
      tenantId: scope.tenantId,
      actor: scope.actor,
      action: 'subscription.plan_changed',
      entityType: 'subscription',
      entityId: sub.id,
      fields: ['planId', 'priceHistory'],
    });
    return { row: updated, currency: plan.currency };
  });
}
