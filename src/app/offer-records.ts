/**
 * Shared by the offer use-cases: a product's published fit, the customer facts the gates read, their
 * last 12 months of use, what they already hold, whether they are cancelling, and their past "no"s.
 * Every query is filtered by tenant.
 */
import { sql } from 'kysely';
import { productFitSchema, type ProductFit } from '../domain/offers/fit.ts';
import type { MonthUsage } from '../domain/offers/expected-value.ts';
import type { OfferCustomer } from '../domain/offers/target-market.ts';
import type { CustomerRow, ProductFitRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';

export interface PublishedFit {
  productId: string;
  version: number;
  fit: ProductFit;
  row: ProductFitRow;
}

function fitOf(row: ProductFitRow): PublishedFit {
  // Stored only after validation; parsing again fills any default added since.
  return { productId: row.product_id, version: row.version, fit: productFitSchema.parse(row.fit), row };
}

/** The latest published fit of each product (all products when `productIds` is omitted). */
export async function latestFits(tx: Tx, tenantId: string, productIds?: readonly string[]): Promise<Map<string, PublishedFit>> {
  if (productIds !== undefined && productIds.length === 0) return new Map();
  let q = tx
    .selectFrom('product_fits as f')
    .selectAll('f')
    .where('f.tenant_id', '=', tenantId)
    .where('f.version', '=', (eb) => eb.selectFrom('product_fits as g').select((e) => e.fn.max('g.version').as('v')).where('g.tenant_id', '=', tenantId).whereRef('g.product_id', '=', 'f.product_id'));
  if (productIds !== undefined) q = q.where('f.product_id', 'in', [...productIds]);
  const rows = await q.execute();
  return new Map(rows.map((r) => [r.product_id, fitOf(r)]));
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** `YYYY-MM` of a UTC date. */
const monthKey = (d: Date): string => d.toISOString().slice(0, 7);

/**
 * The 12 full calendar months before `at` (oldest first), from the month the customer joined if later:
 * the months their expected value rests on. A month without use is `{}`.
 */
export async function lastTwelveMonths(tx: Tx, tenantId: string, customer: CustomerRow, at: Date): Promise<MonthUsage[]> {
  const end = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const start = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - 12, 1));
  const since = customer.customer_since ? new Date(`${customer.customer_since}T00:00:00Z`) : customer.created_at;
  const joined = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), 1));
  const from = joined > start ? joined : start;
  const rows = await tx
    .selectFrom('usage_events')
    .select([sql<string>`to_char(at at time zone 'UTC', 'YYYY-MM')`.as('month'), 'unit', sql<string>`sum(quantity)::text`.as('total')])
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customer.id)
    .where('at', '>=', start)
    .where('at', '<', end)
    .groupBy(['month', 'unit'])
    .execute();
  const byMonth = new Map<string, MonthUsage>();
  for (const r of rows) {
    const m = byMonth.get(r.month) ?? {};
    m[r.unit] = Number(r.total);
    byMonth.set(r.month, m);
  }
  const months: MonthUsage[] = [];
  // Usage recorded before the customer's stated start still counts (imports may predate it).
  const first = rows.length > 0 ? new Date(`${[...byMonth.keys()].sort()[0]}-01T00:00:00Z`) : from;
  for (let d = first < from ? first : from; d < end; d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))) {
    months.push(byMonth.get(monthKey(d)) ?? {});
  }
  return months;
}

/** The facts the target-market rules read, from the customer record and their use. */
export function offerCustomerOf(customer: CustomerRow, months: readonly MonthUsage[], at: Date): OfferCustomer {
  const a = customer.attributes;
  const since = customer.customer_since ? new Date(`${customer.customer_since}T00:00:00Z`) : customer.created_at;
  const tenureMonths = Math.max(0, (at.getUTCFullYear() - since.getUTCFullYear()) * 12 + (at.getUTCMonth() - since.getUTCMonth()) - (at.getUTCDate() < since.getUTCDate() ? 1 : 0));
  const totals: Record<string, number> = {};
  for (const m of months) for (const [u, n] of Object.entries(m)) totals[u] = (totals[u] ?? 0) + n;
  const usageMonthly = Object.fromEntries(Object.entries(totals).map(([u, n]) => [u, months.length === 0 ? 0 : n / months.length]));
  return {
    id: customer.id,
    kind: str(a.kind),
    size: num(a.size),
    revenue: num(a.revenue),
    region: str(a.region),
    vulnerable: a.vulnerable === true || a.vulnerable === 'true',
    tenureMonths,
    usageMonthly,
  };
}

/** Products the customer holds now (a live subscription to one of its plans). */
export async function heldProductIds(tx: Tx, tenantId: string, customerId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('subscriptions as s')
    .innerJoin('plans as p', (j) => j.onRef('p.tenant_id', '=', 's.tenant_id').onRef('p.id', '=', 's.plan_id'))
    .select('p.product_id')
    .distinct()
    .where('s.tenant_id', '=', tenantId)
    .where('s.customer_id', '=', customerId)
    .where('s.status', '!=', 'cancelled')
    .execute();
  // Products sold through an accepted offer count as held too (cards and the like have no subscription).
  const sold = await tx
    .selectFrom('offers')
    .select('product_id')
    .distinct()
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId)
    .where('status', '=', 'accepted')
    .where('plan_id', 'is', null)
    .execute();
  return [...new Set([...rows.map((r) => r.product_id), ...sold.map((r) => r.product_id)])];
}

/** Whether the customer is in the middle of cancelling: a standing cancellation or an open cancel request. */
export async function isCancelling(tx: Tx, tenantId: string, customerId: string): Promise<boolean> {
  const attempt = await tx
    .selectFrom('cancellations as c')
    .innerJoin('subscriptions as s', (j) => j.onRef('s.tenant_id', '=', 'c.tenant_id').onRef('s.id', '=', 'c.subscription_id'))
    .select('c.id')
    .where('c.tenant_id', '=', tenantId)
    .where('s.customer_id', '=', customerId)
    .where('c.status', 'in', ['requested', 'offered', 'clarified'])
    .executeTakeFirst();
  if (attempt) return true;
  const request = await tx.selectFrom('cancel_requests').select('id').where('tenant_id', '=', tenantId).where('customer_id', '=', customerId).where('status', '=', 'open').executeTakeFirst();
  return request !== undefined;
}

/** When this customer said no to this product: declined offers, including in the cancellation flow. */
export async function declinesOf(tx: Tx, tenantId: string, customerId: string, productId: string): Promise<Date[]> {
  const rows = await tx
    .selectFrom('offers')
    .select('decided_at')
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId)
    .where('product_id', '=', productId)
    .where('status', '=', 'declined')
    .execute();
  return rows.flatMap((r) => (r.decided_at ? [r.decided_at] : []));
}

/** Every "no" of this customer, by product (one query for the whole catalog). */
export async function declinesByProduct(tx: Tx, tenantId: string, customerId: string): Promise<Map<string, Date[]>> {
  const rows = await tx
    .selectFrom('offers')
    .select(['product_id', 'decided_at'])
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId)
    .where('status', '=', 'declined')
    .execute();
  const map = new Map<string, Date[]>();
  for (const r of rows) if (r.decided_at) map.set(r.product_id, [...(map.get(r.product_id) ?? []), r.decided_at]);
  return map;
}
