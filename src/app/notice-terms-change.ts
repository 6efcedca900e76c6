import { termsChangeNotice } from '../domain/notices.ts';
import type { NoticeRow, PlanRow, TermChangeRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';
import { noticePlanChange } from './notice-records.ts';
import { subscriptionPriceAt } from './plan-prices.ts';

/**
 * Sends the notice of one announced change of terms to every renewing subscriber of the plan who has
 * not had it yet (see {@link noticePlanChange}). Each is told the change, its date in their time
 * zone, and what they pay now — in a free trial, that it is free until the trial ends and the price
 * that starts then.
 */
export async function noticeTermsChange(tx: Tx, tenantId: string, change: TermChangeRow, plan: PlanRow, publicOrigin: string, now: Date): Promise<NoticeRow[]> {
  return noticePlanChange(tx, {
    tenantId,
    plan,
    change: { kind: 'terms_change', id: change.id },
    publicOrigin,
    now,
    copyFor: async (addressee, sub) => {
      const inTrial = sub.status === 'trialing' && sub.trial_ends_at !== null && sub.trial_ends_at.getTime() > now.getTime() ? sub.trial_ends_at : null;
      const { priceMinor } = await subscriptionPriceAt(tx, tenantId, sub, plan, inTrial ?? now);
      return termsChangeNotice(addressee, { summary: change.summary, details: change.details, effectiveAt: change.effective_at, priceMinor, trialEndsAt: inTrial });
    },
  });
}
