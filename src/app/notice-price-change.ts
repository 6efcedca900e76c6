import { priceChangeNotice } from '../domain/notices.ts';
import { findCustomer } from '../db/repositories/customers.ts';
import type { NoticeRow, PlanRow, PriceChangeRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';
import { addresseeOf, cancelUrl, recordNotice, tenantSlug } from './notice-records.ts';
import { subscriptionPriceAt } from './plan-prices.ts';

/**
 * Sends the notice of one announced price change to every subscriber of the plan it affects who has
 * not had it yet: renewing (`active` or `trialing`, with a renewal ahead) — so a customer who
 * subscribed after the announcement is told too. Each is told their own old price (what their
 * history says they would pay just before the change), the new one, and the yearly difference.
 */
export async function noticePriceChange(tx: Tx, tenantId: string, change: PriceChangeRow, plan: PlanRow, publicOrigin: string, now: Date): Promise<NoticeRow[]> {
  const subscriptions = await tx
    .selectFrom('subscriptions as s')
    .selectAll('s')
    .where('s.tenant_id', '=', tenantId)
    .where('s.plan_id', '=', plan.id)
    .where('s.status', 'in', ['active', 'trialing'])
    .where('s.renews_at', 'is not', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('notices as n')
            .select('n.id')
            .whereRef('n.tenant_id', '=', 's.tenant_id')
            .whereRef('n.subscription_id', '=', 's.id')
            .where('n.kind', '=', 'price_change')
            .where('n.period_key', '=', change.id),
        ),
      ),
    )
    .orderBy('s.id')
    .execute();
  if (subscriptions.length === 0) return [];
  const slug = await tenantSlug(tx, tenantId);
  const sent: NoticeRow[] = [];
  for (const sub of subscriptions) {
    const customer = await findCustomer(tx, tenantId, sub.customer_id);
    if (!customer) continue; // a foreign key guarantees it
    const before = await subscriptionPriceAt(tx, tenantId, sub, plan, new Date(change.effective_at.getTime() - 1));
    const copy = priceChangeNotice(addresseeOf(customer, plan, sub, cancelUrl(publicOrigin, slug, sub.reference)), {
      oldPriceMinor: before.priceMinor,
      newPriceMinor: Number(change.price_minor),
      effectiveAt: change.effective_at,
      reason: change.reason,
    });
    const row = await recordNotice(tx, { tenantId, subscription: sub, customer, kind: 'price_change', periodKey: change.id, priceChangeId: change.id, copy, now });
    if (row) sent.push(row);
  }
  return sent;
}
