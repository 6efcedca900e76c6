import { describe, expect, it } from 'vitest';
import { lintCopy } from '../../../src/domain/cancellation/copy-lint.ts';
import { whatMayBeShown, type WhatMayBeShownInput } from '../../../src/domain/cancellation/what-may-be-shown.ts';
import { DEFAULT_REFUND_POLICY, type UsageMonth } from '../../../src/domain/cancellation/types.ts';
import { BASIC_MONTHLY, CATALOG, OTHER_CURRENCY, OTHER_PRODUCT, PRO_MONTHLY, PRO_YEARLY, STARTER_MONTHLY, d, sub } from './fixtures.ts';

const AT = d('2026-03-25T12:00:00Z');
/** The last 90 days before 25 March 2026 overlap December 2025 to March 2026. */
const usage = (pages: number, extra: Record<string, number> = {}): UsageMonth[] => [
  { month: '2025-12', units: { fax_pages: Math.floor(pages / 2) } },
  { month: '2026-01', units: { fax_pages: pages, ...extra } },
  { month: '2026-02', units: { fax_pages: 3 } },
];
const input = (over: Partial<WhatMayBeShownInput> = {}): WhatMayBeShownInput => ({
  subscription: sub(),
  plan: PRO_MONTHLY,
  catalog: CATALOG,
  usage: usage(40),
  reason: 'unused',
  at: AT,
  policy: DEFAULT_REFUND_POLICY,
  ...over,
});

describe('whatMayBeShown: the price-rise case, with the real figures', () => {
  it('shows the old and new price and the yearly difference for them', () => {
    const shown = whatMayBeShown(input({ reason: 'price' }));
    expect(shown).toMatchObject({
      kind: 'clarification',
      facts: { oldPriceMinor: 1799, newPriceMinor: 1999, currency: 'EUR', interval: 'month', yearlyDifferenceMinor: 2400, alreadyInEffect: true },
    });
    if (shown?.kind !== 'clarification') throw new Error('expected a clarification');
    expect(shown.facts.changedAt.toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect(shown.body).toBe('Your price changed from €17.99 to €19.99 a month on 2026-02-01. Over a year, that is €24.00 more for you.');
    expect(lintCopy(`${shown.headline} ${shown.body}`)).toEqual([]);
  });
  it('an announced rise not yet in effect is stated as such', () => {
    const s = sub({ priceHistory: [{ priceMinor: 1999, from: d('2025-01-10T00:00:00Z') }, { priceMinor: 2499, from: d('2026-05-01T00:00:00Z') }] });
    const shown = whatMayBeShown(input({ reason: 'price', subscription: s }));
    expect(shown).toMatchObject({ kind: 'clarification', facts: { oldPriceMinor: 1999, newPriceMinor: 2499, yearlyDifferenceMinor: 6000, alreadyInEffect: false } });
  });
  it('a yearly plan: the difference is per year already', () => {
    const s = sub({ planId: 'pro-y', priceHistory: [{ priceMinor: 17_990, from: d('2025-01-10T00:00:00Z') }, { priceMinor: 19_990, from: d('2026-01-10T00:00:00Z') }] });
    const shown = whatMayBeShown(input({ reason: 'price', subscription: s, plan: PRO_YEARLY }));
    expect(shown).toMatchObject({ kind: 'clarification', facts: { interval: 'year', yearlyDifferenceMinor: 2000 } });
  });
  it('a price that went down is shown as less, not hidden', () => {
    const s = sub({ priceHistory: [{ priceMinor: 1999, from: d('2025-01-10T00:00:00Z') }, { priceMinor: 1799, from: d('2026-03-01T00:00:00Z') }] });
    const shown = whatMayBeShown(input({ reason: 'price', subscription: s }));
    if (shown?.kind !== 'clarification') throw new Error('expected a clarification');
    expect(shown.facts.yearlyDifferenceMinor).toBe(-2400);
    expect(shown.body).toContain('€24.00 less for you');
  });
  it.each([
    { name: 'no price change at all', history: [{ priceMinor: 1999, from: d('2025-01-10T00:00:00Z') }] },
    { name: 'a re-stated price that did not change', history: [{ priceMinor: 1999, from: d('2025-01-10T00:00:00Z') }, { priceMinor: 1999, from: d('2026-02-01T00:00:00Z') }] },
    { name: 'a change more than a year ago', history: [{ priceMinor: 1799, from: d('2024-01-10T00:00:00Z') }, { priceMinor: 1999, from: d('2025-03-01T00:00:00Z') }] },
  ])('nothing for price when there was $name', ({ history }) => {
    expect(whatMayBeShown(input({ reason: 'price', subscription: sub({ priceHistory: history }) }))).toBeNull();
  });
});

describe('whatMayBeShown: the unused case, the cheapest plan that covers their last 90 days', () => {
  it.each([
    { name: 'light use (40 pages): Starter', usage: usage(40), reason: 'unused', plan: STARTER_MONTHLY.id, saving: (1999 - 499) * 12 },
    { name: 'no use at all: Starter', usage: [], reason: 'unused', plan: STARTER_MONTHLY.id, saving: (1999 - 499) * 12 },
    { name: 'a 120-page month: Basic, not Starter (capped at 50)', usage: usage(120), reason: 'unused', plan: BASIC_MONTHLY.id, saving: (1999 - 999) * 12 },
    { name: 'cover pages used: Basic (Starter lacks them)', usage: usage(10, { cover_pages: 2 }), reason: 'too_expensive', plan: BASIC_MONTHLY.id, saving: (1999 - 999) * 12 },
    {
      name: 'a heavy month more than 90 days ago does not count',
      usage: [{ month: '2025-11', units: { fax_pages: 900, api_calls: 50 } }, ...usage(20)],
      reason: 'unused',
      plan: STARTER_MONTHLY.id,
      saving: (1999 - 499) * 12,
    },
  ] as const)('$name', ({ usage: u, reason, plan, saving }) => {
    const shown = whatMayBeShown(input({ usage: u, reason }));
    expect(shown).toMatchObject({ kind: 'offer', planId: plan, yearlySavingMinor: saving });
    if (shown?.kind !== 'offer') throw new Error('expected an offer');
    expect(lintCopy(`${shown.headline} ${shown.why}`)).toEqual([]);
  });

  it('the why is in their own figures and names what the plan lacks', () => {
    const shown = whatMayBeShown(input({ usage: usage(40) }));
    if (shown?.kind !== 'offer') throw new Error('expected an offer');
    expect(shown.why).toBe(
      'In the last 90 days your busiest month used 40 fax_pages. The Starter plan covers that for €4.99 a month, €180.00 a year less than the €239.88 a year you pay now. It does not include: cover_pages, api_calls, priority_support.',
    );
    expect(shown.facts).toMatchObject({ currentYearlyMinor: 23_988, offeredYearlyMinor: 5988, peakMonthlyUsage: { fax_pages: 40 } });
  });

  it.each([
    { name: 'already on the cheapest plan', over: { plan: STARTER_MONTHLY, subscription: sub({ planId: 'starter-m', priceHistory: [{ priceMinor: 499, from: d('2025-01-10T00:00:00Z') }] }) } },
    { name: 'only their own plan covers their use', over: { usage: usage(900, { api_calls: 10 }), catalog: [PRO_MONTHLY, BASIC_MONTHLY, STARTER_MONTHLY] } },
    { name: 'a covering plan costs the same per year', over: { catalog: [PRO_MONTHLY, { ...STARTER_MONTHLY, priceMinor: 1999 }] } },
    { name: 'a grandfathered price already below every other plan', over: { subscription: sub({ priceHistory: [{ priceMinor: 450, from: d('2025-01-10T00:00:00Z') }] }) } },
    { name: 'only other products or currencies are cheaper', over: { catalog: [PRO_MONTHLY, OTHER_PRODUCT, OTHER_CURRENCY] } },
    // Pro yearly (€199.90) is cheaper than 12 × €19.99, but would lock someone who wants to leave in for a year.
    { name: 'only a longer commitment would be cheaper', over: { usage: usage(900, { api_calls: 10 }) } },
    { name: 'they said no to this product 30 days ago', over: { declinedOffers: [{ productId: 'fax', at: d('2026-02-23T12:00:00Z') }] } },
  ] satisfies Array<{ name: string; over: Partial<WhatMayBeShownInput> }>)('nothing when nothing is genuinely better or allowed: $name', ({ over }) => {
    expect(whatMayBeShown(input(over))).toBeNull();
  });

  it('a yearly subscriber may be offered a cheaper monthly plan (a shorter commitment)', () => {
    const s = sub({ planId: 'pro-y', priceHistory: [{ priceMinor: 19_990, from: d('2025-01-10T00:00:00Z') }] });
    expect(whatMayBeShown(input({ subscription: s, plan: PRO_YEARLY, usage: usage(120) }))).toMatchObject({
      kind: 'offer',
      planId: BASIC_MONTHLY.id,
      yearlySavingMinor: 19_990 - 999 * 12,
    });
  });

  it('a "no" more than 90 days ago does not block an offer', () => {
    expect(whatMayBeShown(input({ declinedOffers: [{ productId: 'fax', at: d('2025-12-01T00:00:00Z') }] }))).toMatchObject({ kind: 'offer' });
  });
});

describe('whatMayBeShown: never without a matching reason, never in cooling-off', () => {
  it.each([
    { reason: null },
    { reason: undefined },
    { reason: 'other' },
    { reason: 'missing_feature' },
    { reason: 'switching' },
  ] as const)('reason $reason: nothing', ({ reason }) => {
    expect(whatMayBeShown(input({ reason }))).toBeNull();
  });
  it.each(['price', 'unused', 'too_expensive'] as const)('reason %s inside cooling-off: nothing', (reason) => {
    const s = sub({ startedAt: d('2026-03-20T00:00:00Z') });
    expect(whatMayBeShown(input({ reason, subscription: s }))).toBeNull();
  });
});
