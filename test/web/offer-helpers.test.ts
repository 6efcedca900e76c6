import { describe, expect, it } from 'vitest';
import type { IncentivesReport } from '../../src/contracts/offers.ts';
import { gateDetail, incentivesCsv, needsOf, policyWords, reasonsByGate, robustnessWords, signedMoney, termLine } from '../../web/src/offers/words.ts';

describe('offers in words', () => {
  it.each([
    [{ resamples: 1000, positiveShare: 0.97 }, 'positive in 97% of 1000 resamples of their months'],
    [{ resamples: 1000, positiveShare: 0.9734 }, 'positive in 97.3% of 1000 resamples of their months'],
    [{ resamples: 200, positiveShare: 1 }, 'positive in 100% of 200 resamples of their months'],
  ])('robustness %j', (r, words) => expect(robustnessWords(r)).toBe(words));

  it.each([
    [2500, '+£25.00'],
    [-9500, '−£95.00'],
    [0, '£0.00'],
  ])('signed money %d', (minor, words) => expect(signedMoney(minor, 'GBP').replace(/\u00a0/g, ' ')).toBe(words));

  it('a term says what it adds up to a year, and when it is capped', () => {
    const term = { kind: 'benefit' as const, label: 'cashback', unit: 'card_spend', monthlyUnits: 1000, rateMinor: 1, yearlyMinor: 50000, capped: true };
    expect(termLine(term, 'GBP')).toBe('cashback: +£500.00 a year (capped)');
  });

  it.each([
    ['need: no need stated', 'Stated need: no need stated'],
    ['repeat_after_no: the customer said no on 2026-01-01', 'Asked again after a no: the customer said no on 2026-01-01'],
    ['not a gate: as it is', 'not a gate: as it is'],
    ['no such conversation of this customer', 'no such conversation of this customer'],
  ])('a problem detail %j', (detail, words) => expect(gateDetail(detail)).toBe(words));

  it('groups a blocked product\'s reasons under its gates, without the prefix', () => {
    expect(reasonsByGate({ gates: ['target_market', 'key_facts'], reasons: ['target_market: no fit', 'target_market: kind is individual', 'key_facts: no card'] })).toEqual([
      { gate: 'target_market', reasons: ['no fit', 'kind is individual'] },
      { gate: 'key_facts', reasons: ['no card'] },
    ]);
  });

  it('the needs to choose from are every product\'s, eligible or blocked, once each', () => {
    const p = (needs: string[]) => ({ needs }) as never;
    expect(needsOf({ eligible: [p(['cashback', 'travel'])], blocked: [p(['cashback', 'speed']), p([])] })).toEqual(['cashback', 'travel', 'speed']);
  });
});

describe('the incentives CSV and policy', () => {
  const row = (over: Partial<IncentivesReport['agents'][number]>) => ({
    id: 'a1', name: 'Sam', sales: 10, harmfulSales: 5, harmRate: 0.5, vested: 0, pending: 5, clawedBack: 5, withheld: 0, payable: 0, harmsByKind: {}, flagged: true, flagReason: 'harm rate 50.0%, "high"', ...over,
  });
  const report: IncentivesReport = {
    from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z',
    policy: { vestingDays: 90, minSalesForFlag: 10, flagPercentile: 0.9, minFlagHarmRate: 0.1 },
    totals: { sales: 12, harmfulSales: 5, harmRate: 5 / 12 },
    agents: [row({}), row({ id: 'a2', name: 'Kim, Jr', harmfulSales: 0, harmRate: 0, flagged: false, flagReason: null })],
    campaigns: [row({ id: 'c1', name: 'Spring', harmRate: 1 / 3, flagged: false, flagReason: null })],
    p90HarmRate: { agents: 0.45, campaigns: null },
  };

  it('has one row per agent and campaign, quoted where needed', () => {
    expect(incentivesCsv(report).split('\r\n')).toEqual([
      'group,id,name,sales,harmful_sales,harm_rate,vested,pending,clawed_back,withheld,payable,flagged,flag_reason',
      'agent,a1,Sam,10,5,0.5,0,5,5,0,0,true,"harm rate 50.0%, ""high"""',
      'agent,a2,"Kim, Jr",10,0,0,0,5,5,0,0,false,',
      'campaign,c1,Spring,10,5,0.3333,0,5,5,0,0,false,',
      '',
    ]);
  });

  it('states the policy from the report\'s figures', () => {
    const words = policyWords(report.policy);
    expect(words).toContain('held up for 90 days');
    expect(words).toContain('at least 10 sales');
    expect(words).toContain('above the 90th percentile');
    expect(words).toContain('(and above 10%)');
  });
});
