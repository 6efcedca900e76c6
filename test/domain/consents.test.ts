import { describe, expect, it } from 'vitest';
import { checkConsentRecord, estimateCredit, liveConsents, type ConsentFact, type EstimateFacts } from '../../src/domain/consents.ts';

const NOW = new Date('2026-11-20T12:00:00Z');
const at = (iso: string) => new Date(iso);
let n = 0;
const rec = (status: ConsentFact['status'], when: string, expires: string | null = null, purpose: ConsentFact['purpose'] = 'hard_credit_inquiry', id = `0190-${String(++n).padStart(4, '0')}`): ConsentFact => ({
  id,
  purpose,
  status,
  at: at(when),
  expiresAt: expires ? at(expires) : null,
});

describe('where a purpose stands (the latest record decides)', () => {
  it.each([
    { name: 'nothing recorded', records: [], status: 'none', live: false },
    { name: 'a grant without expiry', records: [rec('granted', '2026-11-01T00:00:00Z', null, 'marketing_contact')], purpose: 'marketing_contact', status: 'granted', live: true },
    { name: 'a grant before its expiry', records: [rec('granted', '2026-11-10T00:00:00Z', '2026-11-21T00:00:00Z')], status: 'granted', live: true },
    { name: 'a grant at its expiry instant', records: [rec('granted', '2026-11-10T00:00:00Z', '2026-11-20T12:00:00Z')], status: 'expired', live: false },
    { name: 'a grant past its expiry', records: [rec('granted', '2026-10-01T00:00:00Z', '2026-10-31T00:00:00Z')], status: 'expired', live: false },
    { name: 'withdrawn after granted', records: [rec('granted', '2026-11-01T00:00:00Z', '2026-11-30T00:00:00Z'), rec('withdrawn', '2026-11-02T00:00:00Z')], status: 'withdrawn', live: false },
    { name: 'granted again after a withdrawal', records: [rec('withdrawn', '2026-11-02T00:00:00Z'), rec('granted', '2026-11-01T00:00:00Z'), rec('granted', '2026-11-03T00:00:00Z', '2026-11-30T00:00:00Z')], status: 'granted', live: true },
    { name: 'refused', records: [rec('refused', '2026-11-05T00:00:00Z')], status: 'refused', live: false },
    { name: 'refused after a grant', records: [rec('granted', '2026-11-01T00:00:00Z', '2026-11-30T00:00:00Z'), rec('refused', '2026-11-05T00:00:00Z')], status: 'refused', live: false },
    { name: 'a grant after a refusal', records: [rec('refused', '2026-11-01T00:00:00Z'), rec('granted', '2026-11-05T00:00:00Z', '2026-11-30T00:00:00Z')], status: 'granted', live: true },
    { name: 'the same instant: the later id wins', records: [rec('granted', '2026-11-05T00:00:00Z', '2026-11-30T00:00:00Z', 'hard_credit_inquiry', 'b'), rec('withdrawn', '2026-11-05T00:00:00Z', null, 'hard_credit_inquiry', 'c')], status: 'withdrawn', live: false },
    { name: 'an expired newer grant hides an older live one', records: [rec('granted', '2026-11-01T00:00:00Z', '2026-11-30T00:00:00Z'), rec('granted', '2026-11-02T00:00:00Z', '2026-11-03T00:00:00Z')], status: 'expired', live: false },
  ])('$name → $status', ({ records, purpose, status, live }) => {
    const state = liveConsents(records, NOW)[(purpose ?? 'hard_credit_inquiry') as ConsentFact['purpose']];
    expect(state.status).toBe(status);
    expect(state.live).toBe(live);
    if (records.length > 0) expect(state.consentId).not.toBeNull();
  });

  it('keeps purposes apart', () => {
    const live = liveConsents([rec('granted', '2026-11-01T00:00:00Z', null, 'soft_credit_inquiry'), rec('refused', '2026-11-02T00:00:00Z', null, 'marketing_contact')], NOW);
    expect(live.soft_credit_inquiry.live).toBe(true);
    expect(live.marketing_contact.status).toBe('refused');
    expect(live.hard_credit_inquiry.status).toBe('none');
    expect(Object.keys(live)).toEqual(['hard_credit_inquiry', 'soft_credit_inquiry', 'marketing_contact', 'call_recording', 'auto_renewal']);
  });

  it('uses up a hard-inquiry grant once an inquiry relied on it, but not a soft one', () => {
    const hard = rec('granted', '2026-11-10T00:00:00Z', '2026-11-30T00:00:00Z', 'hard_credit_inquiry', 'h');
    const soft = rec('granted', '2026-11-10T00:00:00Z', '2026-11-30T00:00:00Z', 'soft_credit_inquiry', 's');
    const live = liveConsents([hard, soft], NOW, new Set(['h', 's']));
    expect(live.hard_credit_inquiry).toMatchObject({ status: 'used', live: false, consentId: 'h' });
    expect(live.soft_credit_inquiry).toMatchObject({ status: 'granted', live: true });
  });
});

describe('the rules a new record must meet', () => {
  const days = (d: number) => new Date(NOW.getTime() + d * 86_400_000);
  it.each([
    { name: 'a hard grant without expiry gets 30 days', input: { purpose: 'hard_credit_inquiry', status: 'granted', expiresAt: undefined }, expires: days(30), errors: [] },
    { name: 'a hard grant of 30 days', input: { purpose: 'hard_credit_inquiry', status: 'granted', expiresAt: days(30) }, expires: days(30), errors: [] },
    { name: 'a hard grant of 31 days', input: { purpose: 'hard_credit_inquiry', status: 'granted', expiresAt: days(31) }, errors: ['/expiresAt'] },
    { name: 'a soft grant of a year', input: { purpose: 'soft_credit_inquiry', status: 'granted', expiresAt: days(365) }, expires: days(365), errors: [] },
    { name: 'a marketing grant without expiry stays open', input: { purpose: 'marketing_contact', status: 'granted', expiresAt: undefined }, expires: null, errors: [] },
    { name: 'a grant expiring now', input: { purpose: 'call_recording', status: 'granted', expiresAt: NOW }, errors: ['/expiresAt'] },
    { name: 'a withdrawal needs no expiry', input: { purpose: 'hard_credit_inquiry', status: 'withdrawn', expiresAt: undefined }, expires: null, errors: [] },
    { name: 'a refusal with an expiry', input: { purpose: 'auto_renewal', status: 'refused', expiresAt: days(3) }, errors: ['/expiresAt'] },
  ] as const)('$name', ({ input, expires, errors }) => {
    const out = checkConsentRecord(input, NOW);
    expect(out.errors.map((e) => e.pointer)).toEqual(errors);
    if (expires !== undefined) expect(out.expiresAt?.toISOString() ?? null).toBe(expires?.toISOString() ?? null);
  });
});

describe('the estimate (no bureau, the customer’s own account)', () => {
  const base: EstimateFacts = { tenureMonths: 0, spendLast12MonthsMinor: 0, currency: 'EUR', monthsWithPayments: 0, refundsLast12Months: 0, statedAnnualRevenueMinor: null };
  it.each([
    { name: 'a new customer with no history', facts: {}, band: 'limited', points: 0 },
    { name: 'two years, paying every month, 1,200 EUR', facts: { tenureMonths: 26, monthsWithPayments: 12, spendLast12MonthsMinor: 120_000 }, band: 'good', points: 62 },
    { name: 'five years, regular, big spend and revenue', facts: { tenureMonths: 70, monthsWithPayments: 12, spendLast12MonthsMinor: 500_000, statedAnnualRevenueMinor: 80_000_000 }, band: 'strong', points: 100 },
    { name: 'refunds count against', facts: { tenureMonths: 26, monthsWithPayments: 12, spendLast12MonthsMinor: 120_000, refundsLast12Months: 3 }, band: 'fair', points: 47 },
    { name: 'never below zero', facts: { refundsLast12Months: 9 }, band: 'limited', points: 0 },
  ])('$name → $band ($points)', ({ facts, band, points }) => {
    const e = estimateCredit({ ...base, ...facts });
    expect(e.band).toBe(band);
    expect(e.points).toBe(points);
    expect(e.statement).toContain('No credit bureau was asked');
    expect(e.factsUsed.map((f) => f.fact)).toEqual(['tenure', 'payments', 'spend', 'refunds', 'revenue']);
  });
});
