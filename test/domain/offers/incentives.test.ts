import { describe, expect, it } from 'vitest';
import { incentiveTable, percentile, type HarmKind, type Sale } from '../../../src/domain/offers/incentives.ts';
import { saleOutcomes, type SaleFacts } from '../../../src/domain/offers/outcomes.ts';

const AT = new Date('2026-06-01T00:00:00Z');
const DAY = 86_400_000;
const ago = (d: number) => new Date(AT.getTime() - d * DAY);

function sales(agentId: string, n: number, harmful: number, daysAgo = 120): Sale[] {
  return Array.from({ length: n }, (_, i) => ({ offerId: `${agentId}-${i}`, agentId, campaignId: null, soldAt: ago(daysAgo), harms: (i < harmful ? ['early_cancellation_30'] : []) as HarmKind[] }));
}

describe('incentives net of harm', () => {
  it('flags the high-harm agent who is not the top seller, and not the top seller', () => {
    const all = [...sales('top', 60, 3), ...sales('a2', 30, 2), ...sales('a3', 25, 1), ...sales('a4', 20, 2), ...sales('a5', 15, 1), ...sales('bad', 22, 11), ...sales('new', 4, 3)];
    const t = incentiveTable(all, (s) => s.agentId, AT);
    const row = (k: string) => t.rows.find((r) => r.key === k)!;
    expect(row('top').sales).toBe(60);
    expect(row('top').flagged).toBe(false);
    expect(row('top').payable).toBe(57);
    expect(row('bad').flagged).toBe(true);
    expect(row('bad').harmRate).toBe(0.5);
    expect(row('bad').clawedBack).toBe(11);
    expect(row('bad').withheld).toBe(11);
    expect(row('bad').payable).toBe(0);
    // Fewer than 10 sales: never flagged, however bad the rate looks.
    expect(row('new').flagged).toBe(false);
    expect(t.rows.filter((r) => r.flagged).map((r) => r.key)).toEqual(['bad']);
  });

  it('credit vests only after 90 days without harm', () => {
    const t = incentiveTable([...sales('x', 5, 1, 100), ...sales('x', 3, 0, 10).map((s, i) => ({ ...s, offerId: `y${i}` }))], (s) => s.agentId, AT);
    expect(t.rows[0]).toMatchObject({ sales: 8, vested: 4, pending: 3, clawedBack: 1, payable: 4 });
  });

  it('a peer group of careful sellers has no outlier', () => {
    const t = incentiveTable([...sales('p', 20, 1), ...sales('q', 20, 1), ...sales('r', 20, 2)], (s) => s.agentId, AT);
    expect(t.rows.some((r) => r.flagged)).toBe(false); // r's 10% is the highest, but a rate at or below 10% is never flagged
  });

  it.each([
    [[1, 2, 3, 4, 5], 0.9, 4.6],
    [[0.1], 0.9, 0.1],
    [[], 0.9, null],
  ])('percentile %j at %d', (values, p, want) => {
    const got = percentile(values, p);
    if (want === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(want);
  });
});

describe('outcomes after a sale', () => {
  const base: SaleFacts = { soldAt: ago(120), cancelledAt: null, refundedAt: [], complaints: [], benefitUnitsUsed: 40, hasUsageBenefits: true };
  const cases: Array<{ name: string; over: Partial<SaleFacts>; harms: string[]; kinds: string[] }> = [
    { name: 'held up', over: {}, harms: [], kinds: ['held_up'] },
    { name: 'cancelled in 20 days', over: { cancelledAt: ago(100) }, harms: ['early_cancellation_30'], kinds: ['early_cancellation_30'] },
    { name: 'cancelled in 60 days', over: { cancelledAt: ago(60) }, harms: ['early_cancellation_90'], kinds: ['early_cancellation_90'] },
    { name: 'cancelled after 100 days', over: { cancelledAt: ago(20) }, harms: [], kinds: ['held_up'] },
    { name: 'refunded', over: { refundedAt: [ago(90)] }, harms: ['refund'], kinds: ['refund'] },
    { name: 'complaint upheld', over: { complaints: [{ at: ago(50), upheld: true }] }, harms: ['complaint_upheld'], kinds: ['complaint_upheld'] },
    { name: 'complaint not upheld', over: { complaints: [{ at: ago(50), upheld: false }] }, harms: [], kinds: ['complaint_not_upheld', 'held_up'] },
    { name: 'benefits unused for 90 days', over: { benefitUnitsUsed: 0 }, harms: ['benefits_unused'], kinds: ['benefits_unused'] },
    { name: 'too early to judge unused benefits', over: { benefitUnitsUsed: 0, soldAt: ago(30) }, harms: [], kinds: [] },
  ];
  it.each(cases)('$name', ({ over, harms, kinds }) => {
    const r = saleOutcomes({ ...base, ...over }, AT);
    expect(r.harms).toEqual(harms);
    expect(r.outcomes.map((o) => o.kind)).toEqual(kinds);
  });
});
