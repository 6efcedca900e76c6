import { pageQuery, type Page, type PageRequest } from '../db/repositories/paging.ts';
import type { CancellationRow, PlanRow, ProductRow, SubscriptionRow } from '../db/schema.ts';
import { inTenantTx, type TenantScope } from './scope.ts';
import { currencyOfSubscription, requireCancellation, requireSubscription } from './subscription-records.ts';

/** The tenant's products, newest first. */
export async function listProducts(scope: TenantScope, page: PageRequest): Promise<Page<ProductRow>> {
  return inTenantTx(scope, (tx) => pageQuery(tx.selectFrom('products').selectAll().where('tenant_id', '=', scope.tenantId), page));
}

/** The tenant's plans, newest first, optionally of one product. */
export async function listPlans(scope: TenantScope, filter: { productId?: string | undefined }, page: PageRequest): Promise<Page<PlanRow>> {
  return inTenantTx(scope, (tx) => {
    let q = tx.selectFrom('plans').selectAll().where('tenant_id', '=', scope.tenantId);
    if (filter.productId) q = q.where('product_id', '=', filter.productId);
    return pageQuery(q, page);
  });
}

/** The tenant's subscriptions, newest first, optionally of one customer. */
export async function listSubscriptions(scope: TenantScope, filter: { customerId?: string | undefined }, page: PageRequest): Promise<Page<SubscriptionRow>> {
  return inTenantTx(scope, (tx) => {
    let q = tx.selectFrom('subscriptions').selectAll().where('tenant_id', '=', scope.tenantId);
    if (filter.customerId) q = q.where('customer_id', '=', filter.customerId);
    return pageQuery(q, page);
  });
}

export async function getSubscription(scope: TenantScope, id: string): Promise<SubscriptionRow> {
  return inTenantTx(scope, (tx) => requireSubscription(tx, scope.tenantId, id));
}

/** A cancellation with the currency of its subscription's plan (refunds are in that currency). */
export interface CancellationView {
  row: CancellationRow;
  currency: string;
}

export async function getCancellation(scope: TenantScope, id: string): Promise<CancellationView> {
  return inTenantTx(scope, async (tx) => {
    const row = await requireCancellation(tx, scope.tenantId, id);
    const currency = await currencyOfSubscription(tx, scope.tenantId, row.subscription_id);
    return { row, currency };
  });
}

/**
 * The tenant's cancellation attempts, newest first, of one customer and/or one subscription (the
 * customer view's timeline: each attempt with its confirmation), each with its refund currency.
 */
export async function listCancellations(
  scope: TenantScope,
  filter: { customerId?: string | undefined; subscriptionId?: string | undefined },
  page: PageRequest,
): Promise<Page<CancellationView & { id: string }>> {
  return inTenantTx(scope, async (tx) => {
    let q = tx.selectFrom('cancellations').selectAll().where('tenant_id', '=', scope.tenantId);
    if (filter.subscriptionId) q = q.where('subscription_id', '=', filter.subscriptionId);
    if (filter.customerId)
      q = q.where('subscription_id', 'in', tx.selectFrom('subscriptions').select('id').where('tenant_id', '=', scope.tenantId).where('customer_id', '=', filter.customerId));
    const rows = await pageQuery(q, page);
    const currencies = new Map<string, string>();
    for (const r of rows.rows) if (!currencies.has(r.subscription_id)) currencies.set(r.subscription_id, await currencyOfSubscription(tx, scope.tenantId, r.subscription_id));
    return { rows: rows.rows.map((row) => ({ id: row.id, row, currency: currencies.get(row.subscription_id)! })), nextAfter: rows.nextAfter };
  });
}
