import { addInterval } from '../domain/cancellation/index.ts';
import type { SubscriptionCreate } from '../contracts/subscriptions.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { findCustomer } from '../db/repositories/customers.ts';
import { newId } from '../db/ids.ts';
import type { SubscriptionRow } from '../db/schema.ts';
import type { FieldError } from './errors.ts';
import { UnprocessableError } from './errors.ts';
import { inTenantTx, type TenantScope, type TxHooks } from './scope.ts';
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
      const periodStart = input.currentPeriodStart ? new Date(input.currentPeriodStart) : startedAt;
      const periodEnd = input.currentPeriodEnd ? new Date(input.currentPeriodEnd) : addInterval(periodStart, plan.interval);
      if (periodEnd.getTime() <= periodStart.getTime()) throw new UnprocessableError('the period ends before it starts', [{ pointer: '/currentPeriodEnd', detail: 'must be after currentPeriodStart' }]);
      const history = (input.priceHistory ?? [{ priceMinor: Number(plan.price_minor), from: startedAt.toISOString() }])
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
            status: input.status,
            current_period_start: periodStart,
            current_period_end: periodEnd,
            price_history: JSON.stringify(history),
            renews_at: periodEnd,
            started_at: startedAt,
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
        fields: ['customerId', 'planId', 'status', 'currentPeriodStart', 'currentPeriodEnd', 'priceHistory', 'startedAt', 'reference'],
      });
      return row;
    },
    hooks,
  );
}
