import type { PlanCreate } from '../contracts/subscriptions.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { newId } from '../db/ids.ts';
import type { PlanRow } from '../db/schema.ts';
import { UnprocessableError } from './errors.ts';
import { inTenantTx, type TenantScope, type TxHooks } from './scope.ts';

/** Adds a plan (price in minor units, interval, features and monthly caps) to a product. */
export async function createPlan(scope: TenantScope, input: PlanCreate, hooks?: TxHooks<PlanRow>): Promise<PlanRow> {
  return inTenantTx(
    scope,
    async (tx) => {
      const product = await tx.selectFrom('products').select('id').where('tenant_id', '=', scope.tenantId).where('id', '=', input.productId).executeTakeFirst();
      if (!product) throw new UnprocessableError('the request refers to records that do not exist', [{ pointer: '/productId', detail: 'no such product' }]);
      const limits = input.limits ?? {};
      // Why: a cap on a feature the plan lacks would make "covers their usage" ambiguous.
      const stray = Object.keys(limits).filter((f) => !input.features.includes(f));
      if (stray.length > 0) throw new UnprocessableError('limits name features the plan does not include', stray.map((f) => ({ pointer: `/limits/${f}`, detail: 'is not one of the plan’s features' })));
      const row = await tx
        .insertInto('plans')
        .values({
          tenant_id: scope.tenantId,
          id: newId(),
          product_id: input.productId,
          name: input.name,
          price_minor: input.priceMinor,
          currency: input.currency,
          interval: input.interval,
          features: [...new Set(input.features)],
          limits: JSON.stringify(limits),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await writeAudit(tx, {
        tenantId: scope.tenantId,
        actor: scope.actor,
        action: 'plan.created',
        entityType: 'plan',
        entityId: row.id,
        fields: ['productId', 'name', 'priceMinor', 'currency', 'interval', 'features', 'limits'],
      });
      return row;
    },
    hooks,
  );
}
