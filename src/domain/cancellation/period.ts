/**
 * Time and money arithmetic of a cancellation: the price in force, the cooling-off window, when a
 * cancellation takes effect and what it refunds. All UTC, all integer minor units.
 */
import { DEFAULT_REFUND_POLICY, type Interval, type Plan, type RefundPolicy, type Subscription, type Timing } from './types.ts';

/** One day in milliseconds (UTC has no daylight-saving days). */
export const DAY_MS = 86_400_000;

/** `date` plus `days` whole days. */
export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** How many times an interval bills in a year: the multiplier for "per year, for you" figures. */
export function periodsPerYear(interval: Interval): number {
  return interval === 'month' ? 12 : 1;
}

/** A price per interval expressed per year. */
export function yearly(priceMinor: number, interval: Interval): number {
  return priceMinor * periodsPerYear(interval);
}

/** The price history sorted oldest first (a copy; the input is not touched). */
export function sortedHistory(sub: Pick<Subscription, 'priceHistory'>): Subscription['priceHistory'] {
  return [...sub.priceHistory].sort((a, b) => a.from.getTime() - b.from.getTime());
}

/**
 * The price this customer pays per interval at `at`: the latest price-history entry that has started,
 * else the plan's list price (a subscription with no history pays the list price).
 */
export function priceAt(sub: Pick<Subscription, 'priceHistory'>, at: Date, plan?: Pick<Plan, 'priceMinor'>): number | null {
  let price: number | null = null;
  for (const p of sortedHistory(sub)) if (p.from.getTime() <= at.getTime()) price = p.priceMinor;
  return price ?? plan?.priceMinor ?? null;
}

/** When the cooling-off (withdrawal) period ends: `coolingOffDays` after the contract started (exclusive). */
export function coolingOffEndsAt(sub: Pick<Subscription, 'startedAt'>, policy: RefundPolicy): Date {
  return addDays(sub.startedAt, policy.coolingOffDays);
}

/** Whether `at` falls inside the cooling-off period: startedAt ≤ at < startedAt + coolingOffDays. */
export function inCoolingOff(sub: Pick<Subscription, 'startedAt'>, at: Date, policy: RefundPolicy): boolean {
  const t = at.getTime();
  return t >= sub.startedAt.getTime() && t < coolingOffEndsAt(sub, policy).getTime();
}

/**
 * When a cancellation asked for at `at` takes effect.
 * - `period_end`: the end of the current paid period — or `at` itself if that end has already passed
 *   (an effective date is never in the past of the request).
 * - `immediate`: `at`.
 * - Inside cooling-off either timing is a statutory withdrawal: it ends at once (with a full refund,
 *   see `refundFor`), which is never worse in money for the customer than waiting for period end.
 */
export function effectiveDate(
  sub: Pick<Subscription, 'currentPeriodEnd' | 'startedAt'>,
  timing: Timing,
  at: Date,
  policy: RefundPolicy = DEFAULT_REFUND_POLICY,
): Date {
  if (timing === 'immediate' || inCoolingOff(sub, at, policy)) return new Date(at.getTime());
  return sub.currentPeriodEnd.getTime() > at.getTime() ? new Date(sub.currentPeriodEnd.getTime()) : new Date(at.getTime());
}

/** Why a refund is what it is, for the confirmation and the log. */
export type RefundBasis = 'cooling_off_full' | 'prorated' | 'none_period_end' | 'none_by_policy' | 'none_period_over';

/** The refund of a cancellation, in minor units of the plan's currency (the subscription does not carry one). */
export interface Refund {
  amountMinor: number;
  basis: RefundBasis;
  /** Whole days of the current period not yet begun at the cancellation (prorated case). */
  unusedDays: number;
  /** Whole days in the current period. */
  periodDays: number;
}

/**
 * What a cancellation at `at` refunds under the published policy.
 * - Inside cooling-off: everything paid for the current period (withdrawal), whatever the timing.
 * - `period_end`: nothing — the customer keeps what they paid for until it ends.
 * - `immediate` with `prorated`: price × unused whole days ÷ days in the period, rounded down to a
 *   whole minor unit (so the refund never exceeds what was paid). The day in progress counts as used.
 * - `immediate` with `none`: nothing.
 * Always an integer ≥ 0 and ≤ the price paid for the period.
 */
export function refundFor(
  sub: Pick<Subscription, 'currentPeriodStart' | 'currentPeriodEnd' | 'startedAt' | 'priceHistory'>,
  timing: Timing,
  at: Date,
  policy: RefundPolicy = DEFAULT_REFUND_POLICY,
): Refund {
  const start = sub.currentPeriodStart.getTime();
  const end = sub.currentPeriodEnd.getTime();
  // Rounded, not ceiled: a period that is 30 days and a few milliseconds long is a 30-day period.
  const periodDays = Math.max(1, Math.round((end - start) / DAY_MS));
  // What was paid for this period: the price in force when it began (a later rise is not yet paid).
  const paid = Math.max(0, Math.trunc(priceAt(sub, sub.currentPeriodStart) ?? 0));
  const none = (basis: RefundBasis): Refund => ({ amountMinor: 0, basis, unusedDays: 0, periodDays });

  if (inCoolingOff(sub, at, policy)) return { amountMinor: paid, basis: 'cooling_off_full', unusedDays: periodDays, periodDays };
  if (timing === 'period_end') return none('none_period_end');
  if (policy.immediateRefund === 'none') return none('none_by_policy');
  if (at.getTime() >= end) return none('none_period_over');

  const from = Math.max(at.getTime(), start);
  const unusedDays = Math.min(periodDays, Math.max(0, Math.floor((end - from) / DAY_MS)));
  const amountMinor = Math.floor((paid * unusedDays) / periodDays);
  return { amountMinor, basis: 'prorated', unusedDays, periodDays };
}

/**
 * `d` plus one billing interval (a calendar month or year, UTC); the day of month is clamped
 * (31 Jan + 1 month = 28/29 Feb), so a period never spills into the month after next.
 */
export function addInterval(d: Date, interval: Interval): Date {
  const months = interval === 'month' ? 1 : 12;
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()));
}
