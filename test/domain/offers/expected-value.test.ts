import { describe, expect, it } from 'vitest';
import { expectedValue, requiredMarginMinor } from '../../../src/domain/offers/expected-value.ts';
import { valueGate } from '../../../src/domain/offers/gates.ts';
import { fit, months } from './fixtures.ts';

const heldCashback = fit().benefits.length > 0 ? { ...fit(), benefits: [{ unit: 'card_spend', valuePerUnitMinor: 0.5, description: 'half a percent back' }] } : fit();
const oneBigMonth = [{ card_spend: 12_000 }, ...months({}, 11)];

describe('expected yearly value from the customer\'s own 12 months', () => {
  const cases: Array<{ name: string; months: Array<Record<string, number>>; current?: boolean; value: number; share: [number, number]; passes: boolean }> = [
    // 1,000 a month on the card: 12,000p cashback − 9,500p fee.
    { name: 'a steady spender: worth it', months: months({ card_spend: 1000 }), value: 2500, share: [1, 1], passes: true },
    // The business card whose fee exceeds what this customer would get back.
    { name: 'the fee exceeds what this customer gets back', months: months({ card_spend: 500 }), value: -3500, share: [0, 0], passes: false },
    // The same yearly spend in one month: positive only in resamples that draw that month (1 − (11/12)^12 ≈ 65%).
    { name: 'value resting on one unusual month', months: oneBigMonth, value: 2500, share: [0.6, 0.7], passes: false },
    { name: 'cashback capped at 50,000p a year', months: months({ card_spend: 60_000 }), value: 40_500, share: [1, 1], passes: true },
    { name: 'already earning half of it on a card they hold', months: months({ card_spend: 1000 }), current: true, value: -3500, share: [0, 0], passes: false },
    { name: 'foreign-payment fees eat the cashback', months: months({ card_spend: 1500, fx_payment: 5 }), value: -500, share: [0, 0], passes: false },
    { name: 'no history at all', months: [], value: -9500, share: [0, 0], passes: false },
  ];
  it.each(cases)('$name', ({ months: m, current, value, share, passes }) => {
    const ev = expectedValue({ fit: fit(), months: m, current: current ? [heldCashback] : [], seed: 42 });
    expect(ev.yearlyValueMinor).toBe(value);
    expect(ev.robustness.positiveShare).toBeGreaterThanOrEqual(share[0]);
    expect(ev.robustness.positiveShare).toBeLessThanOrEqual(share[1]);
    // Every term is listed and they add up to the value.
    expect(ev.terms.reduce((a, t) => a + t.yearlyMinor, 0)).toBe(value);
    expect(valueGate(fit(), ev).status).toBe(passes ? 'passed' : 'failed');
  });

  it('is deterministic for a seed and lists each term in words', () => {
    const a = expectedValue({ fit: fit(), months: oneBigMonth, current: [], seed: 7 });
    const b = expectedValue({ fit: fit(), months: oneBigMonth, current: [], seed: 7 });
    expect(a).toEqual(b);
    expect(a.terms.map((t) => t.kind)).toEqual(['benefit', 'fee', 'unit_fee']);
    expect(a.terms[0]!.label).toMatch(/1,000 card_spend a month × 1 × 12/);
    // The quantiles of the resampled values: with one 12,000 month in 12, draws of it are binomial(12, 1/12).
    const { p10Minor, p50Minor, p90Minor } = a.robustness;
    expect(p10Minor).toBe(-9500); // no draw of the big month
    expect(p50Minor).toBe(2500); // one draw
    expect(p90Minor).toBe(14500); // two draws
  });

  it('a margin below the fixed fee share is not "clearly positive"', () => {
    expect(requiredMarginMinor(fit())).toBe(950);
    const ev = expectedValue({ fit: fit(), months: months({ card_spend: 850 }), current: [], seed: 1 }); // 10,200 − 9,500 = 700
    expect(ev.yearlyValueMinor).toBe(700);
    const g = valueGate(fit(), ev);
    expect(g.status).toBe('failed');
    expect(g.reasons[0]).toMatch(/less than the GBP 9.50 margin/);
  });
});
