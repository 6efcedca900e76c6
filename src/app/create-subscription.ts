import { addInterval } from '../domain/cancellation/index.ts';
import type { SubscriptionCreate } from '../contracts/subscriptions.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { findCustomer } from '../db/repositories/customers.ts';
import { newId } from '../db/ids.ts';
import type { SubscriptionRow } from '../db/schema.ts';
import type { FieldError } from './errors.ts';
import { UnprocessableError } from './errors.ts';
import { inTenantTx, type TenantScope, type TxHooks } from './scope.ts';
import { listPriceAt } from './plan-prices.ts';
import { findPlan, insertWithFreshReference, referencePrefix } from './subscription-records.ts';

/**
 * Subscribes a customer to a plan. The period, start and price history default to "from now at the
 * plan's price"; they may be given to import an existing subscription. The reference is human-readable
 * (`NW-7F3K2Q`, the product's initials) so a customer can quote it, also on the logged-out route.
 */
export async function createSubscription(scope: TenantScope, input: SubscriptionCreate, hooks?: TxHooks<SubscriptionRow>, now = new Date()): Promise<SubscriptionRow> {
  return inTenantTx(
    scope,
    async (tx) => {
      const errors: FieldError[] = [];
      if (!(await findCustomer(tx, scope.tenantId, input.customerId))) errors.push({ pointer: '/customerId', detail: 'no such customer' });
      const plan = await findPlan(tx, scope.tenantId, input.planId);
      if (!plan) errors.push({ pointer: '/planId', detail: 'no such plan' });
      if (errors.length > 0 || !plan) throw new UnprocessableError('the request refers to records that do not exist', errors);

      const startedAt = input.startedAt ? new Date(input.startedAt) : now;
      const trialEndsAt = input.trialEndsAt ? new Date(input.trialEndsAt) : null;
      if (trialEndsAt) {
        if (trialEndsAt.getTime() <= startedAt.getTime()) throw new UnprocessableError('the trial ends before it starts', [{ pointer: '/trialEndsAt', detail: 'must be after startedAt' }]);
        const periodGiven = input.currentPeriodStart ? '/currentPeriodStart' : input.currentPeriodEnd ? '/currentPeriodEnd' : null;
        if (periodGiven) throw new UnprocessableError('a trial is the first period: give trialEndsAt or a period, not both', [{ pointer: periodGiven, detail: 'not allowed with trialEndsAt' }]);
      }
      // A trial is the first period; billing starts when it ends.
      const periodStart = input.currentPeriodStart ? new Date(input.currentPeriodStart) : startedAt;
      const periodEnd = trialEndsAt ?? (input.currentPeriodEnd ? new Date(input.currentPeriodEnd) : addInterval(periodStart, plan.interval));
      if (periodEnd.getTime() <= periodStart.getTime()) throw new UnprocessableError('the period ends before it starts', [{ pointer: '/currentPeriodEnd', detail: 'must be after currentPeriodStart' }]);
      // The list price when the subscription starts (an announced change already in effect counts);
      // during a trial the price is 0, so a cancellation in the trial refunds nothing that was not paid.
      const listPrice = await listPriceAt(tx, scope.tenantId, plan, trialEndsAt ?? startedAt);
      const defaultHistory = trialEndsAt
        ? [
            { priceMinor: 0, from: startedAt.toISOString() },
            { priceMinor: listPrice, from: trialEndsAt.toISOString() },
          ]
        : [{ priceMinor: listPrice, from: startedAt.toISOString() }];
      const history = (input.priceHistory ?? defaultHistory)
        .map((p) => ({ priceMinor: p.priceMinor, from: new Date(p.from).toISOString() }))
        .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));

      const product = await tx.selectFrom('products').select('name').where('tenant_id', '=', scope.tenantId).where('id', '=', plan.product_id).executeTakeFirstOrThrow();
      const prefix = referencePrefix(product.name);
      const row = await insertWithFreshReference(prefix, (reference) =>
        tx
          .insertInto('subscriptions')
          .values({
            tenant_id: scope.tenantId,
            id: newId(),
            customer_id: input.customerId,
            plan_id: plan.id,
            status: trialEndsAt ? 'trialing' : input.status,
            current_period_start: periodStart,
            current_period_end: periodEnd,
            price_history: JSON.stringify(history),
            renews_at: periodEnd,
            started_at: startedAt,
            trial_ends_at: trialEndsAt,
            reference,
          })
          .onConflict((oc) => oc.columns(['tenant_id', 'reference']).doNothing())
          .returningAll()
          .executeTakeFirst(),
      );
      await writeAudit(tx, {
        tenantId: scope.tenantId,
        actor: scope.actor,
        action: 'subscription.created',
        entityType: 'subscription',
        entityId: row.id,
        fields: ['customerId', 'planId', 'status', 'currentPeriodStart', 'currentPeriodEnd', 'priceHistory', 'startedAt', 'reference', ...(trialEndsAt ? ['trialEndsAt'] : [])],
      });
      return row;
    },
    hooks,
  );
}
