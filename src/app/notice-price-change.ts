import { priceChangeNotice } from '../domain/notices.ts';
import type { NoticeRow, PlanRow, PriceChangeRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';
import { noticePlanChange } from './notice-records.ts';
import { subscriptionPriceAt } from './plan-prices.ts';

/**
 * Sends the notice of one announced price change to every renewing subscriber of the plan who has not
 * had it yet (see {@link noticePlanChange}). Each is told their own old price (what their history
 * says they would pay just before the change), the new one, and the yearly difference.
 */
export async function noticePriceChange(tx: Tx, tenantId: string, change: PriceChangeRow, plan: PlanRow, publicOrigin: string, now: Date): Promise<NoticeRow[]> {
  return noticePlanChange(tx, {
    tenantId,
    plan,
    change: { kind: 'price_change', id: change.id },
    publicOrigin,
    now,
    copyFor: async (addressee, sub) => {
      const before = await subscriptionPriceAt(tx, tenantId, sub, plan, new Date(change.effective_at.getTime() - 1));
      return priceChangeNotice(addressee, {
        oldPriceMinor: before.priceMinor,
        newPriceMinor: Number(change.price_minor),
        effectiveAt: change.effective_at,
        reason: change.reason,
      });
    },
  });
}
