import { DEMO_PLANS, DEMO_PRODUCT, DEMO_SUBSCRIPTION_STORIES } from './demo-data.ts';
import { createPlan } from './create-plan.ts';
import { createProduct } from './create-product.ts';
import { createSubscription } from './create-subscription.ts';
import { recordUsage } from './record-usage.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

export type DemoPlanKey = keyof typeof DEMO_PLANS;
const DAY = 86_400_000;

/** The demo catalog, found by name or created: plan key → plan id. */
export async function seedDemoCatalog(scope: TenantScope): Promise<Map<string, string>> {
  const existing = await inTenantTx(scope, async (tx) => {
    const product = await tx.selectFrom('products').select('id').where('tenant_id', '=', scope.tenantId).where('name', '=', DEMO_PRODUCT.name).executeTakeFirst();
    const plans = product
      ? await tx.selectFrom('plans').select(['id', 'name']).where('tenant_id', '=', scope.tenantId).where('product_id', '=', product.id).execute()
      : [];
    return { productId: product?.id ?? null, plans };
  });
  const productId = existing.productId ?? (await createProduct(scope, { name: DEMO_PRODUCT.name, description: DEMO_PRODUCT.description, features: DEMO_PRODUCT.features })).id;
  const ids = new Map<string, string>();
  for (const [key, p] of Object.entries(DEMO_PLANS)) {
    const found = existing.plans.find((row) => row.name === p.name);
    const id =
      found?.id ??
      (
        await createPlan(scope, {
          productId,
          name: p.name,
          priceMinor: p.priceMinor,
          currency: 'GBP',
          interval: p.interval,
          features: [...p.features],
          ...('limits' in p && { limits: { ...p.limits } }),
        })
      ).id;
    ids.set(key, id);
  }
  return ids;
}

/**
 * A new demo customer's subscription to their plan, in the middle of a paid period, with three months
 * of usage (broadband in GB, TV in hours) so "what may be shown" has real figures to work from.
 * Returns the subscription's reference.
 */
export async function seedDemoSubscription(
  scope: TenantScope,
  plans: Map<string, string>,
  customer: { id: string; key: string; plan: string; since: string },
  index: number,
  now = new Date(),
): Promise<string | null> {
  const planId = plans.get(customer.plan);
  const plan = DEMO_PLANS[customer.plan as DemoPlanKey];
  if (!planId || !plan) return null;
  const story = DEMO_SUBSCRIPTION_STORIES[customer.key] ?? {};
  const startedAt = new Date(`${customer.since}T09:00:00Z`);
  const periodStart = new Date(now.getTime() - (3 + ((index * 5) % 25)) * DAY);
  const priceHistory =
    story.previousPriceMinor !== undefined && story.priceRoseDaysAgo !== undefined
      ? [
          { priceMinor: story.previousPriceMinor, from: startedAt.toISOString() },
          { priceMinor: plan.priceMinor, from: new Date(now.getTime() - story.priceRoseDaysAgo * DAY).toISOString() },
        ]
      : undefined;
  const sub = await createSubscription(scope, {
    customerId: customer.id,
    planId,
    status: 'active',
    startedAt: startedAt.toISOString(),
    currentPeriodStart: periodStart.toISOString(),
    ...(priceHistory && { priceHistory }),
  });
  const usesTv = plan.features.some((f) => f === 'tv') && story.usesTv !== false;
  for (let month = 1; month <= 3; month++) {
    const at = new Date(now.getTime() - month * 30 * DAY).toISOString();
    await recordUsage(scope, customer.id, { unit: 'broadband', quantity: 60 + ((index * 37 + month * 11) % 140), at, externalId: `demo-usage-${customer.key}-broadband-${month}` });
    if (usesTv) await recordUsage(scope, customer.id, { unit: 'tv', quantity: 20 + ((index * 13 + month * 7) % 40), at, externalId: `demo-usage-${customer.key}-tv-${month}` });
  }
  return sub.reference;
}
