import { describe, expect, it } from 'vitest';
import { expectedValue } from '../../../src/domain/offers/expected-value.ts';
import { evaluateGates, type GateInput, type OfferContext } from '../../../src/domain/offers/gates.ts';
import { customer, fit, months } from './fixtures.ts';

const AT = new Date('2026-06-01T12:00:00Z');
const DAY = 86_400_000;
const good = expectedValue({ fit: fit(), months: months({ card_spend: 1000 }), current: [], seed: 1 });
const poor = expectedValue({ fit: fit(), months: months({ card_spend: 500 }), current: [], seed: 1 });
const stated: OfferContext = { kind: 'conversation', statedNeed: 'cashback' };
const noSteps = { presentedAt: null, leadReviewedAt: null, keyFactsReadAt: null };

function input(over: Partial<GateInput> = {}): GateInput {
  return { fit: fit(), customer: customer(), value: good, context: stated, cancelling: false, declines: [], extraCare: noSteps, at: AT, ...over };
}

describe('offer gates', () => {
  const cases: Array<{ name: string; over: Partial<GateInput>; outcome: 'eligible' | 'extra_care' | 'blocked'; failed: string[]; reason?: RegExp }> = [
    { name: 'suitable, stated need', over: {}, outcome: 'eligible', failed: [] },
    { name: 'outside the target market', over: { customer: customer({ kind: 'individual', revenue: 30000 }) }, outcome: 'blocked', failed: ['target_market'], reason: /kind is individual/ },
    { name: 'fee exceeds what they get back', over: { value: poor }, outcome: 'blocked', failed: ['expected_value'], reason: /cost this customer GBP 35.00 a year more/ },
    { name: 'unprompted upsell', over: { context: { kind: 'conversation', statedNeed: null } }, outcome: 'blocked', failed: ['need'], reason: /unprompted upsell/ },
    { name: 'a need this product does not answer', over: { context: { kind: 'conversation', statedNeed: 'mortgage' } }, outcome: 'blocked', failed: ['need'], reason: /not one this product answers/ },
    { name: 'campaign situation the product answers', over: { context: { kind: 'campaign', statedNeed: null, situation: 'high_card_spend', inAudience: true, campaignName: 'Spend' } }, outcome: 'eligible', failed: [] },
    { name: 'campaign, customer outside its audience', over: { context: { kind: 'campaign', statedNeed: null, situation: 'high_card_spend', inAudience: false, campaignName: 'Spend' } }, outcome: 'blocked', failed: ['need'], reason: /not in the audience/ },
    { name: 'campaign during a cancellation', over: { cancelling: true, context: { kind: 'campaign', statedNeed: null, situation: 'high_card_spend', inAudience: true, campaignName: 'Spend' } }, outcome: 'blocked', failed: ['need'], reason: /never made during a cancellation/ },
    { name: 'a stated need during a cancellation still counts', over: { cancelling: true }, outcome: 'eligible', failed: [] },
    { name: 'cancellation flow, reason matched', over: { context: { kind: 'cancellation', reason: 'unused', reasonMatched: true }, cancelling: true }, outcome: 'eligible', failed: [] },
    { name: 'cancellation flow, reason not matched', over: { context: { kind: 'cancellation', reason: 'moving', reasonMatched: false }, cancelling: true }, outcome: 'blocked', failed: ['need'] },
    { name: 'no key-facts card', over: { fit: { ...fit(), keyFacts: '  ' } }, outcome: 'blocked', failed: ['key_facts'] },
    { name: 'said no 30 days ago', over: { declines: [new Date(AT.getTime() - 30 * DAY)] }, outcome: 'blocked', failed: ['repeat_after_no'], reason: /before 2026-07-31/ },
    { name: 'said no 91 days ago', over: { declines: [new Date(AT.getTime() - 91 * DAY)] }, outcome: 'eligible', failed: [] },
    { name: 'vulnerable: extra care pending', over: { customer: customer({ vulnerable: true }) }, outcome: 'extra_care', failed: [], reason: /flagged as needing extra care/ },
    {
      name: 'vulnerable: reviewed and read but under 24 hours',
      over: { customer: customer({ vulnerable: true }), extraCare: { presentedAt: new Date(AT.getTime() - 23 * 3600_000), leadReviewedAt: AT, keyFactsReadAt: AT } },
      outcome: 'extra_care',
      failed: [],
      reason: /waits until/,
    },
    {
      name: 'vulnerable: every extra-care step done',
      over: { customer: customer({ vulnerable: true }), extraCare: { presentedAt: new Date(AT.getTime() - 25 * 3600_000), leadReviewedAt: AT, keyFactsReadAt: AT } },
      outcome: 'eligible',
      failed: [],
    },
    { name: 'several gates fail at once', over: { value: poor, customer: customer({ revenue: 100 }), context: { kind: 'conversation', statedNeed: null } }, outcome: 'blocked', failed: ['target_market', 'expected_value', 'need'] },
  ];
  it.each(cases)('$name', ({ over, outcome, failed, reason }) => {
    const d = evaluateGates(input(over));
    expect(d.outcome).toBe(outcome);
    expect(d.failed).toEqual(failed);
    expect(d.gates.map((g) => g.gate)).toEqual(['target_market', 'expected_value', 'need', 'key_facts', 'repeat_after_no', 'extra_care']);
    expect(d.version).toBe('offer-gates/1');
    if (reason) expect(d.gates.flatMap((g) => g.reasons).join('; ')).toMatch(reason);
    // Deterministic: the same input gives the same decision.
    expect(evaluateGates(input(over))).toEqual(d);
  });
});
