/**
 * The offer gates: whether an offer may be made to this customer now, decided deterministically from
 * stated inputs, with a reason for every gate. "If making a sale would hurt your customer, don't make it."
 *
 * - target_market: in the product's target market, no exclusion applies.
 * - expected_value: the yearly value from their own use is at least the margin, and stays positive
 *   in at least 80% of bootstrap resamples of their months.
 * - need: a need the customer stated that the product answers, or a situation it answers (a campaign's
 *   audience they are in, the reason they gave for cancelling) — and never an offer they did not ask
 *   for while they are cancelling.
 * - key_facts: a key-facts card exists to give them.
 * - repeat_after_no: not the same product within 90 days of their "no".
 * - extra_care: a customer flagged vulnerable is offered only through the extra-care path: a lead
 *   reviews the offer, the key-facts card is read with the customer, and the decision waits 24 hours.
 *   At presentation the gate is `pending`; the decision (accept) needs it `passed`.
 */
import { MIN_POSITIVE_SHARE, requiredMarginMinor, type ExpectedValue } from './expected-value.ts';
import type { ProductFit } from './fit.ts';
import { inTargetMarket, type OfferCustomer } from './target-market.ts';

export const GATES_VERSION = 'offer-gates/1';
export const GATE_IDS = ['target_market', 'expected_value', 'need', 'key_facts', 'repeat_after_no', 'extra_care'] as const;
export type GateId = (typeof GATE_IDS)[number];

export const REPEAT_AFTER_NO_DAYS = 90;
export const EXTRA_CARE_WAIT_HOURS = 24;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export type GateStatus = 'passed' | 'failed' | 'pending';

export interface GateResult {
  gate: GateId;
  status: GateStatus;
  reasons: string[];
}

/** Why the offer is being considered. */
export type OfferContext =
  | { kind: 'conversation'; statedNeed: string | null }
  | { kind: 'campaign'; statedNeed: string | null; situation: string; inAudience: boolean; campaignName: string }
  /** The cancellation flow's own offer: a cheaper plan matched to the reason the customer gave. */
  | { kind: 'cancellation'; reason: string | null; reasonMatched: boolean };

/** The extra-care steps taken so far (all null at presentation). */
export interface ExtraCareSteps {
  presentedAt: Date | null;
  leadReviewedAt: Date | null;
  keyFactsReadAt: Date | null;
}

export interface GateInput {
  fit: ProductFit;
  customer: OfferCustomer;
  value: ExpectedValue;
  context: OfferContext;
  /** The customer has a cancellation or cancel request standing. */
  cancelling: boolean;
  /** When this customer said no to this product before. */
  declines: readonly Date[];
  extraCare: ExtraCareSteps;
  at: Date;
}

export interface GateDecision {
  version: typeof GATES_VERSION;
  /** `eligible`: may be presented; `extra_care`: may be presented only through the extra-care path; `blocked`: may not. */
  outcome: 'eligible' | 'extra_care' | 'blocked';
  gates: GateResult[];
  failed: GateId[];
}

const money = (minor: number, currency: string): string => `${currency} ${(minor / 100).toFixed(2)}`;

export function valueGate(fit: ProductFit, value: ExpectedValue): GateResult {
  const margin = requiredMarginMinor(fit);
  const share = value.robustness.positiveShare;
  const reasons: string[] = [];
  let ok = true;
  if (value.yearlyValueMinor < margin) {
    ok = false;
    reasons.push(
      value.yearlyValueMinor === 0
        ? `worth nothing a year to this customer on their last ${value.months} months${value.terms.some((t) => t.kind === 'already_held') ? ' (they already get its benefits from a product they hold)' : ''}`
        : value.yearlyValueMinor < 0
        ? `it would cost this customer ${money(-value.yearlyValueMinor, value.currency)} a year more than it gives back, on their last ${value.months} months`
        : `worth ${money(value.yearlyValueMinor, value.currency)} a year to them, less than the ${money(margin, value.currency)} margin that counts as clearly positive`,
    );
  } else {
    reasons.push(`worth ${money(value.yearlyValueMinor, value.currency)} a year to them on their last ${value.months} months (margin ${money(margin, value.currency)})`);
  }
  const pct = Math.round(share * 1000) / 10;
  if (share < MIN_POSITIVE_SHARE) {
    ok = false;
    reasons.push(`positive in only ${pct}% of ${value.robustness.resamples} resamples of their months (at least ${MIN_POSITIVE_SHARE * 100}% required)`);
  } else {
    reasons.push(`positive in ${pct}% of ${value.robustness.resamples} resamples of their months`);
  }
  return { gate: 'expected_value', status: ok ? 'passed' : 'failed', reasons };
}

function needGate(fit: ProductFit, context: OfferContext, cancelling: boolean): GateResult {
  const result = (ok: boolean, reason: string): GateResult => ({ gate: 'need', status: ok ? 'passed' : 'failed', reasons: [reason] });
  if (context.kind === 'cancellation') {
    return context.reasonMatched
      ? result(true, `matched to the reason they gave for cancelling (${context.reason})`)
      : result(false, `nothing is offered for the reason they gave for cancelling (${context.reason ?? 'none given'})`);
  }
  const stated = context.statedNeed;
  if (stated !== null && fit.needs.includes(stated)) return result(true, `the customer stated a need this product answers: ${stated}`);
  // Why: while a customer is cancelling, only what they asked for may be put to them.
  if (cancelling) {
    return result(false, stated === null ? 'the customer is cancelling: an offer they did not ask for is never made during a cancellation' : `the customer is cancelling, and the need they stated (${stated}) is not one this product answers`);
  }
  if (context.kind === 'campaign') {
    if (!context.inAudience) return result(false, `the customer is not in the audience of campaign "${context.campaignName}"`);
    if (fit.situations.includes(context.situation)) return result(true, `campaign "${context.campaignName}" targets a situation this product answers: ${context.situation}`);
    return result(false, `campaign "${context.campaignName}" targets "${context.situation}", which this product does not declare it answers`);
  }
  return result(false, stated === null ? 'no need stated by the customer and no situation this product answers: an unprompted upsell' : `the need stated (${stated}) is not one this product answers (${fit.needs.join(', ') || 'none declared'})`);
}

function repeatGate(declines: readonly Date[], at: Date): GateResult {
  const since = at.getTime() - REPEAT_AFTER_NO_DAYS * DAY_MS;
  const recent = declines.filter((d) => d.getTime() > since && d.getTime() <= at.getTime()).sort((a, b) => b.getTime() - a.getTime());
  if (recent.length === 0) return { gate: 'repeat_after_no', status: 'passed', reasons: [`no "no" to this product in the last ${REPEAT_AFTER_NO_DAYS} days`] };
  const last = recent[0]!;
  const again = new Date(last.getTime() + REPEAT_AFTER_NO_DAYS * DAY_MS);
  return {
    gate: 'repeat_after_no',
    status: 'failed',
    reasons: [`the customer said no to this product on ${last.toISOString().slice(0, 10)}; it may not be offered again before ${again.toISOString().slice(0, 10)}`],
  };
}

/** The extra-care gate for a customer flagged vulnerable: pending until all three steps are done. */
export function extraCareGate(vulnerable: boolean, steps: ExtraCareSteps, at: Date): GateResult {
  if (!vulnerable) return { gate: 'extra_care', status: 'passed', reasons: ['the customer is not flagged as needing extra care'] };
  const missing: string[] = [];
  if (steps.leadReviewedAt === null) missing.push('a lead has not reviewed the offer');
  if (steps.keyFactsReadAt === null) missing.push('the key-facts card has not been read with the customer');
  const waitUntil = steps.presentedAt === null ? null : new Date(steps.presentedAt.getTime() + EXTRA_CARE_WAIT_HOURS * HOUR_MS);
  if (waitUntil === null || waitUntil.getTime() > at.getTime()) {
    missing.push(waitUntil === null ? `the decision waits ${EXTRA_CARE_WAIT_HOURS} hours after the offer is presented` : `the decision waits until ${waitUntil.toISOString()} (${EXTRA_CARE_WAIT_HOURS} hours after the offer)`);
  }
  if (missing.length === 0) return { gate: 'extra_care', status: 'passed', reasons: ['extra care taken: reviewed by a lead, key facts read with the customer, 24 hours waited'] };
  return { gate: 'extra_care', status: 'pending', reasons: ['the customer is flagged as needing extra care', ...missing] };
}

/** Every gate, in a fixed order; the decision is `blocked` if any gate failed. */
export function evaluateGates(input: GateInput): GateDecision {
  const { fit, customer, at } = input;
  const tm = inTargetMarket(fit, customer);
  const gates: GateResult[] = [
    { gate: 'target_market', status: tm.passed ? 'passed' : 'failed', reasons: tm.reasons },
    valueGate(fit, input.value),
    needGate(fit, input.context, input.cancelling),
    fit.keyFacts.trim().length > 0
      ? { gate: 'key_facts', status: 'passed', reasons: ['a key-facts card is written for this product'] }
      : { gate: 'key_facts', status: 'failed', reasons: ['the product has no key-facts card'] },
    repeatGate(input.declines, at),
    extraCareGate(customer.vulnerable, input.extraCare, at),
  ];
  const failed = gates.filter((g) => g.status === 'failed').map((g) => g.gate);
  const outcome = failed.length > 0 ? 'blocked' : gates.some((g) => g.status === 'pending') ? 'extra_care' : 'eligible';
  return { version: GATES_VERSION, outcome, gates, failed };
}
