/**
 * Cancellation in the customer portal: the signed-in customer's own subscriptions and the same
 * cancellation use-cases the staff API runs, restricted to that customer (another customer's
 * subscription or cancellation is simply not found), with the channel set to `portal` by the server.
 */
import type { PortalCancellationCreate } from '../contracts/subscriptions.ts';
import { DEFAULT_REFUND_POLICY, effectiveDate, inCoolingOff, priceAt, refundFor } from '../domain/cancellation/index.ts';
import type { CancellationRow, PlanRow, SubscriptionRow } from '../db/schema.ts';
import { withTenant } from '../db/with-tenant.ts';
import { acceptCancellationOffer } from './accept-cancellation-offer.ts';
import { confirmCancellation, type ConfirmedCancellation } from './confirm-cancellation.ts';
import { declineCancellationOffer } from './decline-cancellation-offer.ts';
import { scopeOf, type PortalCustomer } from './portal.ts';
import type { CancellationView } from './read-subscriptions.ts';
import { requestCancellation } from './request-cancellation.ts';
import { currencyOfSubscription, planOf, requireCancellation, subscriptionOf } from './subscription-records.ts';
import { withdrawCancellation } from './withdraw-cancellation.ts';

/** Attempts that still stand: asked and not yet ended, or confirmed and not reversed. */
const STANDING = ['requested', 'offered', 'clarified', 'confirmed', 'effective'];

/** One of the customer's subscriptions, with its plan, the price they pay now, and the standing cancellation. */
export interface PortalSubscription {
  subscription: SubscriptionRow;
  plan: PlanRow;
  priceMinor: number;
  cancellation: CancellationView | null;
  /** What cancelling now would mean, by timing, under the published refund policy (shown before "Cancel now"). */
  ifCancelledNow: IfCancelledNow;
}

export interface IfCancelledNow {
  /** Inside the cooling-off period: either timing is a withdrawal with a full refund. */
  withdrawal: boolean;
  periodEnd: { effectiveAt: Date; refundMinor: number };
  immediate: { effectiveAt: Date; refundMinor: number };
}

function ifCancelledNow(sub: ReturnType<typeof subscriptionOf>, now: Date): IfCancelledNow {
  const policy = DEFAULT_REFUND_POLICY;
  const outcome = (timing: 'period_end' | 'immediate') => ({ effectiveAt: effectiveDate(sub, timing, now, policy), refundMinor: refundFor(sub, timing, now, policy).amountMinor });
  return { withdrawal: inCoolingOff(sub, now, policy), periodEnd: outcome('period_end'), immediate: outcome('immediate') };
}

/** The signed-in customer's subscriptions, newest first. */
export async function portalSubscriptions(c: PortalCustomer, now = new Date()): Promise<PortalSubscription[]> {
  return withTenant(c.db, c.tenantId, async (tx) => {
    const subs = await tx.selectFrom('subscriptions').selectAll().where('tenant_id', '=', c.tenantId).where('customer_id', '=', c.customerId).orderBy('id', 'desc').limit(200).execute();
    if (subs.length === 0) return [];
    const ids = subs.map((s) => s.id);
    const plans = await tx.selectFrom('plans').selectAll().where('tenant_id', '=', c.tenantId).where('id', 'in', [...new Set(subs.map((s) => s.plan_id))]).execute();
    const cancellations = await tx
      .selectFrom('cancellations')
      .selectAll()
      .where('tenant_id', '=', c.tenantId)
      .where('subscription_id', 'in', ids)
      .where('status', 'in', STANDING)
      .orderBy('id', 'desc')
      .execute();
    const planById = new Map(plans.map((p) => [p.id, p]));
    const standing = new Map<string, CancellationRow>();
    for (const k of cancellations) if (!standing.has(k.subscription_id)) standing.set(k.subscription_id, k);
    return subs.map((s) => {
      const plan = planById.get(s.plan_id)!; // a foreign key guarantees it
      const row = standing.get(s.id);
      const sub = subscriptionOf(s);
      return {
        subscription: s,
        plan,
        priceMinor: priceAt(sub, now, planOf(plan)) ?? Number(plan.price_minor),
        cancellation: row ? { row, currency: plan.currency } : null,
        ifCancelledNow: ifCancelledNow(sub, now),
      };
    });
  });
}

/** The customer asks to cancel one of their own subscriptions in the portal. */
export function portalRequestCancellation(c: PortalCustomer, subscriptionId: string, input: PortalCancellationCreate): Promise<CancellationView> {
  return requestCancellation(scopeOf(c), subscriptionId, { channel: 'portal', reason: input.reason ?? null, timing: input.timing }, { customerId: c.customerId });
}

export async function portalCancellation(c: PortalCustomer, id: string): Promise<CancellationView> {
  return withTenant(c.db, c.tenantId, async (tx) => {
    const row = await requireCancellation(tx, c.tenantId, id, false, c.customerId);
    return { row, currency: await currencyOfSubscription(tx, c.tenantId, row.subscription_id) };
  });
}

export const portalDeclineOffer = (c: PortalCustomer, id: string) => declineCancellationOffer(scopeOf(c), id, { customerId: c.customerId });
export const portalAcceptOffer = (c: PortalCustomer, id: string) => acceptCancellationOffer(scopeOf(c), id, { customerId: c.customerId });
export const portalWithdraw = (c: PortalCustomer, id: string) => withdrawCancellation(scopeOf(c), id, { customerId: c.customerId });

/** "Cancel now": the confirmation, and the cancellation as it now stands. */
export async function portalConfirm(c: PortalCustomer, id: string): Promise<{ confirmed: ConfirmedCancellation; view: CancellationView }> {
  const confirmed = await confirmCancellation(scopeOf(c), id, { customerId: c.customerId });
  return { confirmed, view: { row: confirmed.row, currency: confirmed.refund.currency } };
}
