/**
 * Which price applies when, once plan price changes exist: shared by billing, subscribing and notices
 * so the figure a customer is told is the figure they are charged.
 */
import { priceAt, sortedHistory } from '../domain/cancellation/index.ts';
import type { PlanRow, PriceChangeRow, SubscriptionRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';
import { planOf, subscriptionOf } from './subscription-records.ts';

/** The plan's announced change in force at `at`: the latest one effective at or before it. */
export async function priceChangeInForce(tx: Tx, tenantId: string, planId: string, at: Date): Promise<PriceChangeRow | undefined> {
  return tx
    .selectFrom('price_changes')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('plan_id', '=', planId)
    .where('effective_at', '<=', at)
    .orderBy('effective_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The plan's list price at `at`: its latest change in force, else its own price. New subscriptions start at it. */
export async function listPriceAt(tx: Tx, tenantId: string, plan: PlanRow, at: Date): Promise<number> {
  const change = await priceChangeInForce(tx, tenantId, plan.id, at);
  return change ? Number(change.price_minor) : Number(plan.price_minor);
}

/**
 * What this subscription pays for a period starting at `at`. A plan price change in force then that
 * its price history does not have yet (it took effect after the last entry) applies, and is returned
 * so billing can append it to the history; otherwise the history decides (a later entry — a price
 * given on import, a new subscriber at the new price — wins over an older plan change).
 */
export async function subscriptionPriceAt(tx: Tx, tenantId: string, sub: SubscriptionRow, plan: PlanRow, at: Date): Promise<{ priceMinor: number; change: PriceChangeRow | null }> {
  const domainSub = subscriptionOf(sub);
  const history = sortedHistory(domainSub);
  const last = history[history.length - 1];
  const change = await priceChangeInForce(tx, tenantId, plan.id, at);
  if (change && (!last || change.effective_at.getTime() > last.from.getTime())) return { priceMinor: Number(change.price_minor), change };
  return { priceMinor: Math.max(0, Math.trunc(priceAt(domainSub, at, planOf(plan)) ?? Number(plan.price_minor))), change: null };
}
