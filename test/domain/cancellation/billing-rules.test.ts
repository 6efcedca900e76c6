import { describe, expect, it } from 'vitest';
import { chargesToRefund, mayCharge } from '../../../src/domain/cancellation/billing-rules.ts';
import { applyAll, newAttempt, type CancellationEvent, type CancellationState } from '../../../src/domain/cancellation/machine.ts';
import { DEFAULT_REFUND_POLICY, type Charge } from '../../../src/domain/cancellation/types.ts';
import { d, sub } from './fixtures.ts';

const S = sub();
const run = (events: CancellationEvent[]): CancellationState => {
  const r = applyAll(newAttempt(S, DEFAULT_REFUND_POLICY), events);
  if ('error' in r) throw new Error(r.error);
  return r.state;
};
const requested: CancellationEvent = { type: 'request', channel: 'portal', timing: 'period_end', at: d('2026-03-25T12:00:00Z') };
const confirmed = run([requested, { type: 'confirm', at: d('2026-03-25T12:01:00Z') }]); // effective 2026-04-10T00:00Z

describe('mayCharge', () => {
  it.each([
    { name: 'no cancellation', c: null, at: '2026-04-10T00:00:00Z', want: true },
    { name: 'requested, not confirmed', c: run([requested]), at: '2026-04-10T00:00:00Z', want: true },
    { name: 'withdrawn', c: run([requested, { type: 'withdraw' }]), at: '2026-04-10T00:00:00Z', want: true },
    { name: 'confirmed, before the effective date', c: confirmed, at: '2026-04-09T23:59:59Z', want: true },
    { name: 'confirmed, exactly at the effective date (the renewal)', c: confirmed, at: '2026-04-10T00:00:00Z', want: false },
    { name: 'confirmed, any time after', c: confirmed, at: '2027-01-01T00:00:00Z', want: false },
    { name: 'effective', c: run([requested, { type: 'confirm', at: d('2026-03-25T12:01:00Z') }, { type: 'become_effective', at: d('2026-04-10T00:00:00Z') }]), at: '2026-05-10T00:00:00Z', want: false },
    { name: 'reversed by the customer', c: run([requested, { type: 'confirm', at: d('2026-03-25T12:01:00Z') }, { type: 'reverse_by_customer' }]), at: '2026-04-10T00:00:00Z', want: true },
  ] satisfies Array<{ name: string; c: CancellationState | null; at: string; want: boolean }>)('$name → $want', ({ c, at, want }) => {
    expect(mayCharge(S, c, d(at))).toBe(want);
  });
  it('never for a cancelled or paused subscription, nor at an invalid time', () => {
    expect(mayCharge({ ...S, status: 'cancelled' }, null, d('2026-03-01T00:00:00Z'))).toBe(false);
    expect(mayCharge({ ...S, status: 'paused' }, null, d('2026-03-01T00:00:00Z'))).toBe(false);
    expect(mayCharge(S, null, new Date(NaN))).toBe(false);
  });
  it("another subscription's cancellation does not stop this one", () => {
    expect(mayCharge({ ...S, id: 'sub-2' }, confirmed, d('2026-05-01T00:00:00Z'))).toBe(true);
  });
});

describe('chargesToRefund', () => {
  const charge = (id: string, at: string, subscriptionId = 'sub-1'): Charge => ({ id, subscriptionId, at: d(at), amountMinor: 1999, currency: 'EUR' });
  const charges = [
    charge('c1', '2026-03-10T00:00:00Z'),
    charge('c2', '2026-04-10T00:00:00Z'),
    charge('c3', '2026-05-10T00:00:00Z'),
    charge('c4', '2026-05-10T00:00:00Z', 'sub-2'),
  ];
  it('the charges at or after the effective date, of this subscription only', () => {
    expect(chargesToRefund(charges, confirmed).map((c) => c.id)).toEqual(['c2', 'c3']);
  });
  it('nothing when no cancellation is in force', () => {
    expect(chargesToRefund(charges, null)).toEqual([]);
    expect(chargesToRefund(charges, run([requested]))).toEqual([]);
    expect(chargesToRefund(charges, run([requested, { type: 'confirm', at: d('2026-03-25T12:01:00Z') }, { type: 'reverse_by_customer' }]))).toEqual([]);
  });
});
