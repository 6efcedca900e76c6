/**
 * What may be put in front of a customer who is cancelling: at most one clarification or offer,
 * computed only from their own figures and matched to the reason they gave — or nothing.
 *
 * - reason `price` → a clarification: the real old and new price and the yearly difference for them,
 *   from their own price history; nothing if their price did not change (in the last year or ahead).
 * - reason `unused` | `too_expensive` → an offer of the cheapest plan of the same product and currency,
 *   committing them for no longer than now, that covers their peak monthly use over the last 90 days,
 *   only if it costs them less per year than they pay now.
 * - any other reason, no reason, cooling-off, or nothing genuinely better → nothing (`null`).
 *
 * The copy states facts in plain words; it carries no urgency and no judgement of the customer.
 */
import { formatMoney } from '../charter/money.ts';
import { DAY_MS, addDays, inCoolingOff, periodsPerYear, priceAt, sortedHistory, yearly } from './period.ts';
import type { CancellationReason, Interval, Plan, RefundPolicy, Subscription, UsageMonth } from './types.ts';

/** How far back usage is looked at when judging whether a plan covers it. */
export const USAGE_WINDOW_DAYS = 90;
/** A price change older than this is not "the" price change a customer is reacting to. */
export const PRICE_CHANGE_LOOKBACK_DAYS = 365;
/** The same product is not offered again for this long after the customer said no. */
export const OFFER_REPEAT_DAYS = 90;

/** The facts of a price change on this customer's own subscription. */
export interface PriceChangeFacts {
  oldPriceMinor: number;
  newPriceMinor: number;
  currency: string;
  interval: Interval;
  /** When the new price took (or takes) effect. */
  changedAt: Date;
  /** (new − old) per year for this customer; negative when the price went down. */
  yearlyDifferenceMinor: number;
  /** Whether the new price is already being paid or only announced. */
  alreadyInEffect: boolean;
}

/** A statement of facts of the customer's own account. */
export interface Clarification {
  kind: 'clarification';
  facts: PriceChangeFacts;
  /** Plain-language copy, facts only. */
  headline: string;
  body: string;
}

/** The figures behind an offer, so the customer (and an auditor) can check it. */
export interface OfferFacts {
  currency: string;
  /** What the customer pays per year now. */
  currentYearlyMinor: number;
  /** What the offered plan costs per year. */
  offeredYearlyMinor: number;
  /** Peak use in one calendar month over the last 90 days, per unit. */
  peakMonthlyUsage: Record<string, number>;
  /** Features of the current plan the offered plan does not include (none of them used in 90 days). */
  featuresNotIncluded: string[];
}

/** A proposal of something else: another plan of the same product. */
export interface Offer {
  kind: 'offer';
  planId: string;
  planName: string;
  yearlySavingMinor: number;
  facts: OfferFacts;
  /** Plain-language copy: why this plan, in the customer's own figures. */
  why: string;
  headline: string;
}

export type MayBeShown = Clarification | Offer;

/** A "no" the customer gave to an earlier offer. */
export interface DeclinedOffer {
  productId: string;
  at: Date;
}

export interface WhatMayBeShownInput {
  subscription: Subscription;
  /** The plan the subscription is on. */
  plan: Plan;
  /** Plans that could be offered (other products' plans and other currencies are ignored). */
  catalog: readonly Plan[];
  /** Monthly usage summaries of this customer; a month with no summary had no use. */
  usage: readonly UsageMonth[];
  reason?: CancellationReason | null;
  at: Date;
  policy: RefundPolicy;
  /** Earlier declined offers: the same product is not offered again within 90 days of a "no". */
  declinedOffers?: readonly DeclinedOffer[];
  /** Money formatting locale for the copy. */
  locale?: string;
}

/** The one clarification or offer that may be shown, or `null` when nothing may. */
export function whatMayBeShown(input: WhatMayBeShownInput): MayBeShown | null {
  const { subscription: sub, reason, at, policy } = input;
  // Why: during the withdrawal period cancelling must be frictionless — nothing at all is shown.
  if (inCoolingOff(sub, at, policy)) return null;
  if (reason === 'price') return priceClarification(input);
  if (reason === 'unused' || reason === 'too_expensive') return cheaperPlanOffer(input);
  // No reason (the survey is optional) or a reason no figure of ours can answer: nothing.
  return null;
}

const describeInterval = (interval: Interval): string => (interval === 'month' ? 'a month' : 'a year');
const day = (d: Date): string => d.toISOString().slice(0, 10);

/** The most recent change of this customer's price, within the last year or announced ahead. */
export function latestPriceChange(sub: Subscription, plan: Plan, at: Date): PriceChangeFacts | null {
  const history = sortedHistory(sub);
  const earliest = addDays(at, -PRICE_CHANGE_LOOKBACK_DAYS).getTime();
  for (let i = history.length - 1; i >= 1; i--) {
    const prev = history[i - 1];
    const cur = history[i];
    if (!prev || !cur) continue;
    if (cur.priceMinor === prev.priceMinor) continue;
    if (cur.from.getTime() < earliest) return null;
    return {
      oldPriceMinor: prev.priceMinor,
      newPriceMinor: cur.priceMinor,
      currency: plan.currency,
      interval: plan.interval,
      changedAt: new Date(cur.from.getTime()),
      yearlyDifferenceMinor: (cur.priceMinor - prev.priceMinor) * periodsPerYear(plan.interval),
      alreadyInEffect: cur.from.getTime() <= at.getTime(),
    };
  }
  return null;
}

function priceClarification(input: WhatMayBeShownInput): Clarification | null {
  const facts = latestPriceChange(input.subscription, input.plan, input.at);
  if (facts === null) return null;
  const money = (m: number): string => formatMoney(m, facts.currency, input.locale);
  const per = describeInterval(facts.interval);
  const diff = facts.yearlyDifferenceMinor;
  const verb = facts.alreadyInEffect ? 'changed' : 'changes';
  const headline = `Your price ${verb} on ${day(facts.changedAt)}`;
  const body =
    `Your price ${verb} from ${money(facts.oldPriceMinor)} to ${money(facts.newPriceMinor)} ${per} on ${day(facts.changedAt)}. ` +
    (diff > 0
      ? `Over a year, that is ${money(diff)} more for you.`
      : `Over a year, that is ${money(-diff)} less for you.`);
  return { kind: 'clarification', facts, headline, body };
}

/** The first day of a `YYYY-MM` month in UTC, or null when the string is not one. */
function monthStart(month: string): Date | null {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return null;
  const mm = Number(m[2]);
  if (mm < 1 || mm > 12) return null;
  return new Date(Date.UTC(Number(m[1]), mm - 1, 1));
}

/**
 * Peak use in one calendar month, per unit, over the months that overlap the last 90 days before `at`.
 * Peak (not average) so that an offered plan covers their heaviest month, not a typical one.
 */
export function peakMonthlyUsage(usage: readonly UsageMonth[], at: Date): Record<string, number> {
  const from = at.getTime() - USAGE_WINDOW_DAYS * DAY_MS;
  const peak: Record<string, number> = {};
  for (const u of usage) {
    const start = monthStart(u.month);
    if (start === null) continue;
    const end = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1);
    if (start.getTime() > at.getTime() || end <= from) continue;
    for (const [unit, n] of Object.entries(u.units)) {
      if (!Number.isFinite(n) || n <= 0) continue;
      peak[unit] = Math.max(peak[unit] ?? 0, n);
    }
  }
  return peak;
}

/** Whether a plan covers this peak monthly use: every used unit is a feature of the plan, within its cap. */
export function covers(plan: Plan, peak: Record<string, number>): boolean {
  for (const [unit, n] of Object.entries(peak)) {
    if (n <= 0) continue;
    if (!plan.features.includes(unit)) return false;
    const cap = plan.limits?.[unit];
    if (cap !== undefined && n > cap) return false;
  }
  return true;
}

function cheaperPlanOffer(input: WhatMayBeShownInput): Offer | null {
  const { subscription: sub, plan, at } = input;
  const repeatFrom = at.getTime() - OFFER_REPEAT_DAYS * DAY_MS;
  const declinedRecently = (input.declinedOffers ?? []).some(
    (d) => d.productId === plan.productId && d.at.getTime() > repeatFrom && d.at.getTime() <= at.getTime(),
  );
  if (declinedRecently) return null;

  const nowPrice = priceAt(sub, at, plan);
  if (nowPrice === null) return null;
  const currentYearly = yearly(nowPrice, plan.interval);
  const peak = peakMonthlyUsage(input.usage, at);

  let best: Plan | null = null;
  for (const p of input.catalog) {
    if (p.id === plan.id || p.productId !== plan.productId || p.currency !== plan.currency) continue;
    // Why: someone trying to leave is never offered a longer commitment (monthly → yearly lock-in).
    if (p.interval === 'year' && plan.interval === 'month') continue;
    if (!covers(p, peak)) continue;
    const y = yearly(p.priceMinor, p.interval);
    if (best === null) best = p;
    else {
      const by = yearly(best.priceMinor, best.interval);
      if (y < by || (y === by && p.id < best.id)) best = p;
    }
  }
  if (best === null) return null;
  const chosen: Plan = best;
  const offeredYearly = yearly(chosen.priceMinor, chosen.interval);
  const saving = currentYearly - offeredYearly;
  // Genuinely better means cheaper for them, not merely different.
  if (saving <= 0) return null;

  const money = (m: number): string => formatMoney(m, plan.currency, input.locale);
  const featuresNotIncluded = plan.features.filter((f) => !chosen.features.includes(f));
  const used = Object.entries(peak)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([unit, n]) => `${n} ${unit}`);
  const usedText = used.length === 0 ? 'You did not use this subscription in the last 90 days.' : `In the last 90 days your busiest month used ${used.join(', ')}.`;
  const lacks = featuresNotIncluded.length === 0 ? '' : ` It does not include: ${featuresNotIncluded.join(', ')}.`;
  const why =
    `${usedText} The ${chosen.name} plan covers that for ${money(chosen.priceMinor)} ${describeInterval(chosen.interval)}, ` +
    `${money(saving)} a year less than the ${money(currentYearly)} a year you pay now.${lacks}`;
  return {
    kind: 'offer',
    planId: chosen.id,
    planName: chosen.name,
    yearlySavingMinor: saving,
    facts: { currency: plan.currency, currentYearlyMinor: currentYearly, offeredYearlyMinor: offeredYearly, peakMonthlyUsage: peak, featuresNotIncluded },
    why,
    headline: `The ${chosen.name} plan covers your use for ${money(saving)} a year less`,
  };
}
