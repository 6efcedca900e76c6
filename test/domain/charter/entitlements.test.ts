import { describe, expect, it } from 'vitest';
import { entitlementsFor, minimumTargets, tenureYears, type CustomerFacts } from '../../../src/domain/charter/entitlements.ts';
import { formatMoney } from '../../../src/domain/charter/money.ts';
import { targetsFor } from '../../../src/domain/charter/sla.ts';
import { charterFrom, MINIMAL_YAML } from './fixtures.ts';

// Tiers on top of the minimal charter: Plus (≥ €2,000 in 12 months, or 5 years), Gold (≥ €10,000 and
// the "fibre-pro" plan), Business (plan "business"). Lowest first.
const charter = charterFrom(
  MINIMAL_YAML.replace(
    'exceptions:',
    `  - id: gold
    name: Gold
    criteria:
      all:
        - spendLast12Months: { atLeastMinor: 1000000, currency: EUR }
        - plan: { in: [fibre-pro] }
    entitlements:
      targets: [{ channel: "*", severity: "*", firstResponse: 1h, resolution: 1bd }]
      callback: true
      namedTeam: Gold desk
      extras: [Engineer visit within 24 hours]
  - id: business
    name: Business
    criteria: { any: [{ plan: { in: [business, business-pro] } }] }
    entitlements:
      targets: [{ channel: "*", severity: "*", firstResponse: 30m, resolution: 1bd }]
      callback: true
exceptions:`,
  ),
);

const at = new Date('2027-03-01T12:00:00Z');
const facts = (over: Partial<CustomerFacts> & { spend?: number; currency?: string }): CustomerFacts => ({
  spendLast12Months: { amountMinor: over.spend ?? 0, currency: over.currency ?? 'EUR' },
  customerSince: over.customerSince ?? null,
  plan: over.plan ?? null,
});

describe('entitlementsFor', () => {
  it.each([
    { name: 'no spend, no history', f: facts({}), tier: null },
    { name: 'just below the Plus threshold', f: facts({ spend: 199_999 }), tier: null },
    { name: 'exactly at the Plus threshold', f: facts({ spend: 200_000 }), tier: 'plus' },
    { name: 'spend in another currency does not count', f: facts({ spend: 900_000, currency: 'GBP' }), tier: null },
    { name: 'tenure of 5 years to the day', f: facts({ customerSince: new Date('2022-03-01T12:00:00Z') }), tier: 'plus' },
    { name: 'tenure one day short of 5 years', f: facts({ customerSince: new Date('2022-03-02T12:00:00Z') }), tier: null },
    { name: 'Gold needs all criteria: spend without the plan', f: facts({ spend: 2_000_000 }), tier: 'plus' },
    { name: 'Gold needs all criteria: both hold', f: facts({ spend: 2_000_000, plan: 'fibre-pro' }), tier: 'gold' },
    { name: 'plan alone', f: facts({ plan: 'business-pro' }), tier: 'business' },
    { name: 'several tiers hold: the last written (highest) wins', f: facts({ spend: 2_000_000, plan: 'business', customerSince: new Date('2000-01-01') }), tier: 'business' },
  ])('$name → $tier', ({ f, tier }) => {
    expect(entitlementsFor(charter, f, at).tier?.id ?? null).toBe(tier);
  });

  it('explains a tier with formatted money', () => {
    const e = entitlementsFor(charter, facts({ spend: 243_000 }), at);
    expect(e.tier).toEqual({ id: 'plus', name: 'Plus' });
    expect(e.reasons[0]).toBe('Plus: you spent €2,430.00 in the last 12 months; Plus starts at €2,000.00');
    expect(e.reasons).toContain('Next: Gold needs €10,000.00 spent in the last 12 months (you spent €2,430.00 in the last 12 months) and a plan among fibre-pro (you have no plan with us)');
    expect(e.callback).toBe(true);
    expect(e.namedTeam).toBeNull();
  });

  it('explains the minimum, and what the next tier needs, to a customer with no tier', () => {
    const e = entitlementsFor(charter, facts({ spend: 43_000 }), at);
    expect(e.tier).toBeNull();
    expect(e.callback).toBe(false);
    expect(e.extras).toEqual([]);
    expect(e.reasons).toEqual([
      'No tier: none of the published tier criteria hold, so the minimum applies',
      'Every customer: first response within 4 business hours by e-mail (resolution within 3 business days), 4 business hours by chat (resolution within 3 business days), ' +
        '15 business minutes by phone (resolution within 2 business days), 4 business hours by the portal (resolution within 3 business days), ' +
        '4 business hours by social media (resolution within 3 business days), for normal requests; promised for at least 95% of conversations',
      'Next: Plus needs €2,000.00 spent in the last 12 months (you spent €430.00 in the last 12 months), or 5 years as a customer (we have no record of when you became a customer)',
    ]);
    expect(e.targets).toEqual(minimumTargets(charter).targets);
  });

  it('tightens the minimum by the tier, and never lengthens it', () => {
    const plus = entitlementsFor(charter, facts({ spend: 200_000 }), at);
    // Plus caps first response at 2h everywhere: shorter than email's 4h, but phone keeps its 15m minimum.
    expect(targetsFor(plus, { channel: 'email', severity: 'normal' })).toEqual({ firstResponseMinutes: 120, resolutionMinutes: 3 * 480 });
    expect(targetsFor(plus, { channel: 'phone', severity: 'normal' })).toEqual({ firstResponseMinutes: 15, resolutionMinutes: 2 * 480 });
    expect(targetsFor(plus, { channel: 'chat', severity: 'urgent' })).toEqual({ firstResponseMinutes: 60, resolutionMinutes: 480 });
    const gold = entitlementsFor(charter, facts({ spend: 2_000_000, plan: 'fibre-pro' }), at);
    expect(gold.namedTeam).toBe('Gold desk');
    expect(gold.extras).toEqual(['Engineer visit within 24 hours']);
    for (const t of gold.targets) {
      const min = targetsFor(minimumTargets(charter), t);
      expect(t.firstResponseMinutes).toBeLessThanOrEqual(min.firstResponseMinutes);
      expect(t.resolutionMinutes).toBeLessThanOrEqual(min.resolutionMinutes);
    }
  });

  it('names the currency mismatch instead of pretending the spend is zero', () => {
    const e = entitlementsFor(charter, facts({ spend: 900_000, currency: 'GBP' }), at);
    expect(e.reasons.at(-1)).toContain('your spend is recorded in GBP and Plus counts spend in EUR');
  });
});

describe('tenureYears', () => {
  it.each([
    ['2020-03-01', '2027-03-01', 7],
    ['2020-03-02', '2027-03-01', 6],
    ['2020-02-29', '2021-02-28', 0],
    ['2020-02-29', '2021-03-01', 1],
    ['2027-06-01', '2027-03-01', 0],
  ])('%s → %s: %i', (since, on, years) => {
    expect(tenureYears(new Date(since), new Date(on))).toBe(years);
  });
});

describe('formatMoney', () => {
  it.each([
    [243_000, 'EUR', '€2,430.00'],
    [100_000, 'GBP', '£1,000.00'],
    [5_000, 'JPY', 'JP¥5,000'], // no minor unit for yen,
    [0, 'EUR', '€0.00'],
  ])('%i %s → %s', (minor, currency, text) => {
    expect(formatMoney(minor, currency)).toBe(text);
  });
});
