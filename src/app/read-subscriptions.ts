import { pageQuery, type Page, type PageRequest } from '../db/repositories/paging.ts';
import type { CancellationRow, PlanRow, ProductRow, SubscriptionRow } from '../db/schema.ts';
import { confirmationEmails, emailState, type EmailState } from './read-cancellation-confirmation.ts';
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

/** A cancellation in a list: whose it is, on which plan, and how its confirmation e-mail fared. */
export interface CancellationListView extends CancellationView {
  id: string;
  customerId: string;
  customerName: string;
  subscriptionReference: string;
  planName: string;
  email: { state: EmailState; attempts: number; sentAt: Date | null } | null;
}

export interface CancellationFilter {
  customerId?: string | undefined;
  subscriptionId?: string | undefined;
  status?: string | undefined;
  /** Asked at or after / before (the attempt's created_at). */
  from?: string | undefined;
  to?: string | undefined;
}

/**
 * The tenant's cancellation attempts, newest first, filtered by customer, subscription, status and
 * when they were asked: each with its confirmation (the customer view's timeline), its customer,
 * subscription and plan, and its confirmation e-mail's delivery (the compliance list).
 */
export async function listCancellations(scope: TenantScope, filter: CancellationFilter, page: PageRequest): Promise<Page<CancellationListView>> {
  return inTenantTx(scope, async (tx) => {
    let q = tx.selectFrom('cancellations').selectAll().where('tenant_id', '=', scope.tenantId);
    if (filter.subscriptionId) q = q.where('subscription_id', '=', filter.subscriptionId);
    if (filter.customerId)
      q = q.where('subscription_id', 'in', tx.selectFrom('subscriptions').select('id').where('tenant_id', '=', scope.tenantId).where('customer_id', '=', filter.customerId));
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.from) q = q.where('created_at', '>=', new Date(filter.from));
    if (filter.to) q = q.where('created_at', '<', new Date(filter.to));
    const rows = await pageQuery(q, page);
    const subscriptionIds = [...new Set(rows.rows.map((r) => r.subscription_id))];
    const subs = subscriptionIds.length
      ? await tx
          .selectFrom('subscriptions as s')
          .innerJoin('customers as c', (j) => j.onRef('c.tenant_id', '=', 's.tenant_id').onRef('c.id', '=', 's.customer_id'))
          .innerJoin('plans as p', (j) => j.onRef('p.tenant_id', '=', 's.tenant_id').onRef('p.id', '=', 's.plan_id'))
          .select(['s.id', 's.reference', 's.customer_id', 'c.name as customer_name', 'p.name as plan_name', 'p.currency'])
          .where('s.tenant_id', '=', scope.tenantId)
          .where('s.id', 'in', subscriptionIds)
          .execute()
      : [];
    const bySub = new Map(subs.map((s) => [s.id, s]));
    const emails = await confirmationEmails(tx, scope.tenantId, rows.rows.map((r) => r.id));
    return {
      rows: rows.rows.map((row) => {
        const s = bySub.get(row.subscription_id)!; // foreign keys guarantee the subscription, customer and plan
        const job = emails.get(row.id);
        return {
          id: row.id,
          row,
          currency: s.currency,
          customerId: s.customer_id,
          customerName: s.customer_name,
          subscriptionReference: s.reference,
          planName: s.plan_name,
          email: job ? { state: emailState(job.state), attempts: job.attempts, sentAt: job.done_at } : null,
        };
      }),
      nextAfter: rows.nextAfter,
    };
  });
}
