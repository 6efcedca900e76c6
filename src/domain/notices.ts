/**
 * Notices before the fact: when a notice is due, and what it says. Pure: data in, data out.
 *
 * - **Price change**: announced at least {@link CHANGE_NOTICE_DAYS} days ahead; every affected
 *   subscriber is told their own old and new price, the yearly difference for them, the date, and
 *   how to cancel in one step.
 * - **Terms change** (anything but the price: what the plan includes, its limits): announced at least
 *   {@link CHANGE_NOTICE_DAYS} days ahead too; every affected subscriber is told the change in plain
 *   words, the date, what they pay now, and how to cancel in one step.
 * - **Annual reminder**: every auto-renewing subscription, once a year — for yearly plans
 *   {@link YEARLY_REMINDER_DAYS_BEFORE} days before the renewal; for monthly ones on the anniversary
 *   of the start — saying what they pay per year. A reminder missed (the server was down) still goes
 *   out within {@link REMINDER_GRACE_DAYS} days of its day, never later.
 * - **Trial reminder**: {@link TRIAL_REMINDER_DAYS_BEFORE} days before a trial turns paid (at once when
 *   the trial is shorter), with the price that starts.
 *
 * The copy states facts; it carries no urgency and no judgement (checked against the copy deny-list).
 */
import { addDays, yearly } from './cancellation/period.ts';
import type { Interval } from './cancellation/types.ts';
import { formatMoney } from './charter/money.ts';

/** How far ahead a change of a plan's price or terms must be announced. */
export const CHANGE_NOTICE_DAYS = 30;
export const YEARLY_REMINDER_DAYS_BEFORE = 30;
export const TRIAL_REMINDER_DAYS_BEFORE = 7;
export const REMINDER_GRACE_DAYS = 30;

export type NoticeKind = 'price_change' | 'terms_change' | 'annual_reminder' | 'trial_reminder';

/** The earliest instant a change of price or terms announced at `now` may take effect. */
export function earliestChangeAt(now: Date): Date {
  return addDays(now, CHANGE_NOTICE_DAYS);
}

/** A notice due now: which occurrence (the unique key with subscription and kind) and the day it is about. */
export interface Due {
  periodKey: string;
  on: Date;
}

export interface ReminderSubject {
  status: 'trialing' | 'active' | 'paused' | 'cancelled';
  startedAt: Date;
  /** Null when the subscription does not renew (a confirmed cancellation stopped it). */
  renewsAt: Date | null;
  trialEndsAt: Date | null;
  interval: Interval;
}

const renewing = (s: ReminderSubject) => (s.status === 'active' || s.status === 'trialing') && s.renewsAt !== null;

/** `d` plus `years` calendar years (UTC; 29 February becomes 28 February in a common year). */
export function addYears(d: Date, years: number): Date {
  const y = d.getUTCFullYear() + years;
  const lastDay = new Date(Date.UTC(y, d.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, d.getUTCMonth(), Math.min(d.getUTCDate(), lastDay), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()));
}

/** The annual reminder due at `now`, if any. */
export function annualReminderDue(s: ReminderSubject, now: Date): Due | null {
  if (!renewing(s)) return null;
  const t = now.getTime();
  if (s.interval === 'year') {
    const renewal = s.renewsAt!;
    const from = addDays(renewal, -YEARLY_REMINDER_DAYS_BEFORE).getTime();
    return t >= from && t < renewal.getTime() ? { periodKey: `renewal:${renewal.toISOString()}`, on: renewal } : null;
  }
  // Monthly: the latest anniversary of the start at or before now, within the grace window.
  let years = Math.max(1, now.getUTCFullYear() - s.startedAt.getUTCFullYear());
  while (years > 1 && addYears(s.startedAt, years).getTime() > t) years--;
  const anniversary = addYears(s.startedAt, years);
  if (anniversary.getTime() > t) return null;
  return t < addDays(anniversary, REMINDER_GRACE_DAYS).getTime() ? { periodKey: `anniversary:${anniversary.toISOString()}`, on: anniversary } : null;
}

/** The trial reminder due at `now`, if any: from 7 days before the trial ends (at once if shorter) until it ends. */
export function trialReminderDue(s: ReminderSubject, now: Date): Due | null {
  if (s.status !== 'trialing' || s.trialEndsAt === null) return null;
  const t = now.getTime();
  const end = s.trialEndsAt.getTime();
  return t >= addDays(s.trialEndsAt, -TRIAL_REMINDER_DAYS_BEFORE).getTime() && t < end ? { periodKey: `trial:${s.trialEndsAt.toISOString()}`, on: s.trialEndsAt } : null;
}

/** Who the notice is for and where to cancel. */
export interface Addressee {
  customerName: string;
  planName: string;
  subscriptionReference: string;
  currency: string;
  interval: Interval;
  /** The customer's time zone (already checked; UTC when unknown). */
  timeZone: string;
  locale?: string | undefined;
  /** The one-click cancel page for this subscription. */
  cancelUrl: string;
}

export interface NoticeCopy {
  subject: string;
  text: string;
  /** The figures the text states, kept with the notice (and checked by tests against the text). */
  figures: Record<string, string | number>;
}

/** `2027-03-01 (Europe/Berlin)`: the local date, with the zone named. */
export function localDate(at: Date, zone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at).map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} (${zone})`;
}

const per = (interval: Interval) => (interval === 'month' ? 'a month' : 'a year');

function closing(a: Addressee): string[] {
  return ['', 'You do not need to do anything to keep your subscription.', `If you would rather not continue, you can cancel in one step, without signing in: ${a.cancelUrl}`];
}

/** The price-change notice: their own old and new price, the yearly difference for them, the date. */
export function priceChangeNotice(a: Addressee, change: { oldPriceMinor: number; newPriceMinor: number; effectiveAt: Date; reason: string }): NoticeCopy {
  const money = (minor: number) => formatMoney(minor, a.currency, a.locale);
  const yearlyOld = yearly(change.oldPriceMinor, a.interval);
  const yearlyNew = yearly(change.newPriceMinor, a.interval);
  const difference = yearlyNew - yearlyOld;
  const when = localDate(change.effectiveAt, a.timeZone);
  const direction = difference > 0 ? `${money(difference)} more` : difference < 0 ? `${money(-difference)} less` : 'the same';
  const text = [
    `Dear ${a.customerName},`,
    '',
    `The price of your subscription ${a.planName} (${a.subscriptionReference}) changes on ${when}.`,
    '',
    `Your price now: ${money(change.oldPriceMinor)} ${per(a.interval)}.`,
    `Your price from ${when}: ${money(change.newPriceMinor)} ${per(a.interval)}.`,
    `Over a year: ${money(yearlyNew)} instead of ${money(yearlyOld)}, which is ${direction}.`,
    `Why: ${change.reason}`,
    ...closing(a),
  ].join('\n');
  return {
    subject: `The price of ${a.planName} (${a.subscriptionReference}) changes on ${when}`,
    text,
    figures: {
      oldPriceMinor: change.oldPriceMinor,
      newPriceMinor: change.newPriceMinor,
      currency: a.currency,
      interval: a.interval,
      yearlyOldMinor: yearlyOld,
      yearlyNewMinor: yearlyNew,
      yearlyDifferenceMinor: difference,
      effectiveAt: change.effectiveAt.toISOString(),
      cancelUrl: a.cancelUrl,
    },
  };
}

/**
 * The terms-change notice: the change in the words it was announced with, the date in their zone,
 * and what they pay now (the change itself does not touch the price: a price change is announced,
 * and noticed, on its own).
 */
export function termsChangeNotice(
  a: Addressee,
  change: {
    summary: string;
    details: string | null;
    effectiveAt: Date;
    /** What they pay per interval now; in a free trial, what they pay once it ends. */
    priceMinor: number;
    /** When a free trial still running ends; null when none is. */
    trialEndsAt: Date | null;
  },
): NoticeCopy {
  const money = (minor: number) => formatMoney(minor, a.currency, a.locale);
  const perYear = yearly(change.priceMinor, a.interval);
  const when = localDate(change.effectiveAt, a.timeZone);
  const price = `${money(change.priceMinor)} ${per(a.interval)} (${money(perYear)} a year)`;
  const pay = change.trialEndsAt
    ? `What you pay: nothing during your free trial, which ends on ${localDate(change.trialEndsAt, a.timeZone)}; from then ${price}.`
    : `What you pay now: ${price}.`;
  const text = [
    `Dear ${a.customerName},`,
    '',
    `The terms of your subscription ${a.planName} (${a.subscriptionReference}) change on ${when}.`,
    '',
    `What changes: ${change.summary}`,
    ...(change.details ? [`Details: ${change.details}`] : []),
    pay,
    'This change of terms does not change your price.',
    ...closing(a),
  ].join('\n');
  return {
    subject: `The terms of ${a.planName} (${a.subscriptionReference}) change on ${when}`,
    text,
    figures: {
      summary: change.summary,
      ...(change.details ? { details: change.details } : {}),
      priceMinor: change.priceMinor,
      currency: a.currency,
      interval: a.interval,
      yearlyMinor: perYear,
      ...(change.trialEndsAt ? { trialEndsAt: change.trialEndsAt.toISOString() } : {}),
      effectiveAt: change.effectiveAt.toISOString(),
      cancelUrl: a.cancelUrl,
    },
  };
}

/** The yearly reminder: what they pay per year, and when it renews. */
export function annualReminderNotice(a: Addressee, r: { priceMinor: number; renewsAt: Date }): NoticeCopy {
  const money = (minor: number) => formatMoney(minor, a.currency, a.locale);
  const perYear = yearly(r.priceMinor, a.interval);
  const renews = localDate(r.renewsAt, a.timeZone);
  const text = [
    `Dear ${a.customerName},`,
    '',
    `This is your yearly reminder of your subscription ${a.planName} (${a.subscriptionReference}).`,
    '',
    `You pay ${money(r.priceMinor)} ${per(a.interval)}: ${money(perYear)} a year.`,
    `It renews automatically; the next renewal is on ${renews}.`,
    ...closing(a),
  ].join('\n');
  return {
    subject: `Your yearly reminder: ${a.planName} (${a.subscriptionReference}) costs ${money(perYear)} a year`,
    text,
    figures: { priceMinor: r.priceMinor, currency: a.currency, interval: a.interval, yearlyMinor: perYear, renewsAt: r.renewsAt.toISOString(), cancelUrl: a.cancelUrl },
  };
}

/** The trial reminder: when the trial ends and the price that starts then. */
export function trialReminderNotice(a: Addressee, r: { priceMinor: number; trialEndsAt: Date }): NoticeCopy {
  const money = (minor: number) => formatMoney(minor, a.currency, a.locale);
  const ends = localDate(r.trialEndsAt, a.timeZone);
  const perYear = yearly(r.priceMinor, a.interval);
  const text = [
    `Dear ${a.customerName},`,
    '',
    `Your free trial of ${a.planName} (${a.subscriptionReference}) ends on ${ends}.`,
    '',
    `From then you pay ${money(r.priceMinor)} ${per(a.interval)} (${money(perYear)} a year), charged from ${ends}.`,
    ...closing(a),
  ].join('\n');
  return {
    subject: `Your trial of ${a.planName} (${a.subscriptionReference}) ends on ${ends}`,
    text,
    figures: { priceMinor: r.priceMinor, currency: a.currency, interval: a.interval, yearlyMinor: perYear, trialEndsAt: r.trialEndsAt.toISOString(), cancelUrl: a.cancelUrl },
  };
}
