import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addInterval, effectiveDate, inCoolingOff, priceAt, refundFor } from '../../../src/domain/cancellation/period.ts';
import { DEFAULT_REFUND_POLICY, type RefundPolicy, type Timing } from '../../../src/domain/cancellation/types.ts';
import { d, sub } from './fixtures.ts';

const prorated: RefundPolicy = { immediateRefund: 'prorated', coolingOffDays: 14 };
const noRefunds: RefundPolicy = { immediateRefund: 'none', coolingOffDays: 14 };

/** A yearly subscriber: €199.90 a year, period 2026-01-01 → 2027-01-01 (365 days). */
const yearlySub = sub({
  planId: 'pro-y',
  currentPeriodStart: d('2026-01-01T00:00:00Z'),
  currentPeriodEnd: d('2027-01-01T00:00:00Z'),
  priceHistory: [{ priceMinor: 19_990, from: d('2024-01-01T00:00:00Z') }],
  startedAt: d('2024-01-01T00:00:00Z'),
});
/** Started 10 days ago: inside cooling-off. Period 2026-03-10 → 04-10 at €19.99. */
const newSub = sub({ startedAt: d('2026-03-10T00:00:00Z'), priceHistory: [{ priceMinor: 1999, from: d('2026-03-10T00:00:00Z') }] });

describe('refundFor', () => {
  it.each([
    { name: 'month, period end: nothing, they keep what they paid for', s: sub(), timing: 'period_end', at: '2026-03-25T12:00:00Z', policy: prorated, amount: 0, basis: 'none_period_end' },
    // 31-day period; 15.5 days left → 15 whole days unused → floor(1999 × 15 / 31) = 967
    { name: 'month, immediate, mid-period: 15 of 31 days', s: sub(), timing: 'immediate', at: '2026-03-25T12:00:00Z', policy: prorated, amount: 967, basis: 'prorated' },
    { name: 'month, immediate, at the very start: all of it', s: sub(), timing: 'immediate', at: '2026-03-10T00:00:00Z', policy: prorated, amount: 1999, basis: 'prorated' },
    { name: 'month, immediate, last hour: nothing left unused', s: sub(), timing: 'immediate', at: '2026-04-09T23:00:00Z', policy: prorated, amount: 0, basis: 'prorated' },
    { name: 'month, immediate, policy none', s: sub(), timing: 'immediate', at: '2026-03-25T12:00:00Z', policy: noRefunds, amount: 0, basis: 'none_by_policy' },
    { name: 'month, immediate, after the period ended', s: sub(), timing: 'immediate', at: '2026-04-11T00:00:00Z', policy: prorated, amount: 0, basis: 'none_period_over' },
    // 2026-07-02 → 2027-01-01 = 183 days → floor(19990 × 183 / 365) = 10022
    { name: 'year, immediate, mid-year: 183 of 365 days', s: yearlySub, timing: 'immediate', at: '2026-07-02T00:00:00Z', policy: prorated, amount: 10_022, basis: 'prorated' },
    { name: 'year, period end', s: yearlySub, timing: 'period_end', at: '2026-07-02T00:00:00Z', policy: prorated, amount: 0, basis: 'none_period_end' },
    { name: 'cooling-off, period end: full refund (withdrawal)', s: newSub, timing: 'period_end', at: '2026-03-20T00:00:00Z', policy: prorated, amount: 1999, basis: 'cooling_off_full' },
    { name: 'cooling-off, immediate, even with policy none', s: newSub, timing: 'immediate', at: '2026-03-23T23:59:59Z', policy: noRefunds, amount: 1999, basis: 'cooling_off_full' },
    { name: 'cooling-off ends after exactly 14 days', s: newSub, timing: 'period_end', at: '2026-03-24T00:00:00Z', policy: prorated, amount: 0, basis: 'none_period_end' },
    {
      name: 'the price paid is the one in force when the period began, not a rise mid-period',
      s: sub({ priceHistory: [{ priceMinor: 1000, from: d('2025-01-10T00:00:00Z') }, { priceMinor: 5000, from: d('2026-03-20T00:00:00Z') }] }),
      timing: 'immediate',
      at: '2026-03-10T00:00:00Z',
      policy: prorated,
      amount: 1000,
      basis: 'prorated',
    },
  ] satisfies Array<{ name: string; s: ReturnType<typeof sub>; timing: Timing; at: string; policy: RefundPolicy; amount: number; basis: string }>)(
    '$name',
    ({ s, timing, at, policy, amount, basis }) => {
      const r = refundFor(s, timing, d(at), policy);
      expect(r.amountMinor).toBe(amount);
      expect(r.basis).toBe(basis);
    },
  );

  it('is an integer between 0 and the price paid, for any moment and timing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: -40 * 24, max: 60 * 24 }),
        fc.constantFrom<Timing>('immediate', 'period_end'),
        fc.constantFrom(prorated, noRefunds),
        fc.integer({ min: -30, max: 400 }),
        (price, hours, timing, policy, startedDaysAgo) => {
          const s = sub({
            priceHistory: [{ priceMinor: price, from: d('2020-01-01T00:00:00Z') }],
            startedAt: new Date(d('2026-03-10T00:00:00Z').getTime() - startedDaysAgo * 86_400_000),
          });
          const r = refundFor(s, timing, new Date(s.currentPeriodStart.getTime() + hours * 3_600_000), policy);
          expect(Number.isInteger(r.amountMinor)).toBe(true);
          expect(r.amountMinor).toBeGreaterThanOrEqual(0);
          expect(r.amountMinor).toBeLessThanOrEqual(price);
        },
      ),
    );
  });
});

describe('effectiveDate', () => {
  it.each([
    { name: 'period end by default', s: sub(), timing: 'period_end', at: '2026-03-25T12:00:00Z', want: '2026-04-10T00:00:00.000Z' },
    { name: 'immediate is now', s: sub(), timing: 'immediate', at: '2026-03-25T12:00:00Z', want: '2026-03-25T12:00:00.000Z' },
    { name: 'inside cooling-off: at once, whatever the timing', s: newSub, timing: 'period_end', at: '2026-03-20T08:00:00Z', want: '2026-03-20T08:00:00.000Z' },
    { name: 'never in the past: a period that already ended', s: sub(), timing: 'period_end', at: '2026-04-12T00:00:00Z', want: '2026-04-12T00:00:00.000Z' },
  ] satisfies Array<{ name: string; s: ReturnType<typeof sub>; timing: Timing; at: string; want: string }>)('$name', ({ s, timing, at, want }) => {
    expect(effectiveDate(s, timing, d(at), DEFAULT_REFUND_POLICY).toISOString()).toBe(want);
  });
});

describe('inCoolingOff and priceAt', () => {
  it('cooling-off is [startedAt, startedAt + 14 days)', () => {
    expect(inCoolingOff(newSub, d('2026-03-10T00:00:00Z'), prorated)).toBe(true);
    expect(inCoolingOff(newSub, d('2026-03-23T23:59:59Z'), prorated)).toBe(true);
    expect(inCoolingOff(newSub, d('2026-03-24T00:00:00Z'), prorated)).toBe(false);
    expect(inCoolingOff(newSub, d('2026-03-09T23:59:59Z'), prorated)).toBe(false);
  });
  it('priceAt takes the latest started entry, whatever the order of the history', () => {
    const s = sub({ priceHistory: [{ priceMinor: 3, from: d('2026-05-01T00:00:00Z') }, { priceMinor: 2, from: d('2026-01-01T00:00:00Z') }, { priceMinor: 1, from: d('2025-01-01T00:00:00Z') }] });
    expect(priceAt(s, d('2026-03-01T00:00:00Z'))).toBe(2);
    expect(priceAt(s, d('2026-05-01T00:00:00Z'))).toBe(3);
    expect(priceAt(sub({ priceHistory: [] }), d('2026-03-01T00:00:00Z'), { priceMinor: 42 })).toBe(42);
  });
});

describe('addInterval', () => {
  it.each([
    ['2026-01-15T10:00:00.000Z', 'month', '2026-02-15T10:00:00.000Z'],
    ['2026-01-31T10:00:00.000Z', 'month', '2026-02-28T10:00:00.000Z'],
    ['2028-01-31T00:00:00.000Z', 'month', '2028-02-29T00:00:00.000Z'],
    ['2026-12-31T23:59:59.999Z', 'month', '2027-01-31T23:59:59.999Z'],
    ['2028-02-29T08:00:00.000Z', 'year', '2029-02-28T08:00:00.000Z'],
  ] as const)('%s + one %s = %s', (from, interval, expected) => {
    expect(addInterval(new Date(from), interval).toISOString()).toBe(expected);
  });
});
