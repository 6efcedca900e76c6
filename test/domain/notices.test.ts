import { describe, expect, it } from 'vitest';
import { lintCopy } from '../../src/domain/cancellation/index.ts';
import {
  addYears,
  annualReminderDue,
  annualReminderNotice,
  earliestChangeAt,
  priceChangeNotice,
  termsChangeNotice,
  trialReminderDue,
  trialReminderNotice,
  type ReminderSubject,
} from '../../src/domain/notices.ts';

const d = (iso: string) => new Date(iso);
const base: ReminderSubject = { status: 'active', startedAt: d('2025-03-10T12:00:00Z'), renewsAt: d('2026-03-10T12:00:00Z'), trialEndsAt: null, interval: 'year' };

describe('annualReminderDue', () => {
  it.each([
    // [name, subject, now, expected period key or null]
    ['yearly: 31 days before renewal, not yet', base, '2026-02-07T12:00:00Z', null],
    ['yearly: exactly 30 days before', base, '2026-02-08T12:00:00Z', 'renewal:2026-03-10T12:00:00.000Z'],
    ['yearly: the day before', base, '2026-03-09T12:00:00Z', 'renewal:2026-03-10T12:00:00.000Z'],
    ['yearly: at the renewal, too late', base, '2026-03-10T12:00:00Z', null],
    ['yearly: no renewal (cancellation confirmed)', { ...base, renewsAt: null }, '2026-03-01T00:00:00Z', null],
    ['yearly: cancelled', { ...base, status: 'cancelled' as const }, '2026-03-01T00:00:00Z', null],
    ['monthly: before the first anniversary', { ...base, interval: 'month' as const }, '2026-03-10T11:59:59Z', null],
    ['monthly: on the first anniversary', { ...base, interval: 'month' as const }, '2026-03-10T12:00:00Z', 'anniversary:2026-03-10T12:00:00.000Z'],
    ['monthly: 29 days after it (grace)', { ...base, interval: 'month' as const }, '2026-04-08T12:00:00Z', 'anniversary:2026-03-10T12:00:00.000Z'],
    ['monthly: 30 days after it, missed for this year', { ...base, interval: 'month' as const }, '2026-04-09T12:00:00Z', null],
    ['monthly: the second anniversary', { ...base, interval: 'month' as const }, '2027-03-11T00:00:00Z', 'anniversary:2027-03-10T12:00:00.000Z'],
    ['monthly: early in a year, the last anniversary is last year', { ...base, interval: 'month' as const }, '2027-01-05T00:00:00Z', null],
    ['monthly: a trial renews too', { ...base, interval: 'month' as const, status: 'trialing' as const }, '2026-03-10T12:00:00Z', 'anniversary:2026-03-10T12:00:00.000Z'],
  ])('%s', (_name, subject, now, expected) => {
    expect(annualReminderDue(subject, d(now))?.periodKey ?? null).toBe(expected);
  });

  it('treats 29 February as 28 February in a common year', () => {
    expect(addYears(d('2024-02-29T08:00:00Z'), 1).toISOString()).toBe('2025-02-28T08:00:00.000Z');
    expect(addYears(d('2024-02-29T08:00:00Z'), 4).toISOString()).toBe('2028-02-29T08:00:00.000Z');
  });
});

describe('trialReminderDue', () => {
  const trial: ReminderSubject = { ...base, status: 'trialing', trialEndsAt: d('2026-05-20T00:00:00Z'), interval: 'month' };
  it.each([
    ['8 days before', trial, '2026-05-12T00:00:00Z', null],
    ['7 days before', trial, '2026-05-13T00:00:00Z', 'trial:2026-05-20T00:00:00.000Z'],
    ['an hour before', trial, '2026-05-19T23:00:00Z', 'trial:2026-05-20T00:00:00.000Z'],
    ['ended', trial, '2026-05-20T00:00:00Z', null],
    ['already paid (active)', { ...trial, status: 'active' as const }, '2026-05-15T00:00:00Z', null],
    ['no trial', { ...trial, trialEndsAt: null }, '2026-05-15T00:00:00Z', null],
  ])('%s', (_name, subject, now, expected) => {
    expect(trialReminderDue(subject, d(now))?.periodKey ?? null).toBe(expected);
  });
});

describe('notice copy', () => {
  const who = { customerName: 'Ada', planName: 'Pro', subscriptionReference: 'FL-ABC234', currency: 'EUR', interval: 'month' as const, timeZone: 'Europe/Berlin', cancelUrl: 'https://x.example/portal/acme/cancel?reference=FL-ABC234' };

  it.each([
    ['a rise', 1999, 2199, 2400, '€24.00 more'],
    ['a cut', 1999, 1799, -2400, '€24.00 less'],
  ])('price change, %s: their own prices, the yearly difference for them, the date in their zone', (_name, oldPriceMinor, newPriceMinor, diff, words) => {
    const copy = priceChangeNotice(who, { oldPriceMinor, newPriceMinor, effectiveAt: d('2026-03-31T23:30:00Z'), reason: 'Costs rose.' });
    expect(copy.figures).toMatchObject({ oldPriceMinor, newPriceMinor, yearlyDifferenceMinor: diff, yearlyOldMinor: oldPriceMinor * 12, yearlyNewMinor: newPriceMinor * 12 });
    expect(copy.text).toContain('changes on 2026-04-01 (Europe/Berlin)'); // 23:30 UTC is the next day in Berlin
    expect(copy.text).toContain(words);
    expect(copy.text).toContain(who.cancelUrl);
  });

  const terms = { summary: 'the monthly cap falls from 200 GB to 150 GB', details: null, effectiveAt: d('2026-03-31T23:30:00Z'), priceMinor: 1999, trialEndsAt: null };

  it.each([
    // [name, change, the addressee's zone, lines the text must have, figures]
    [
      'summary only, paying',
      terms,
      'Europe/Berlin',
      [
        'The terms of your subscription Pro (FL-ABC234) change on 2026-04-01 (Europe/Berlin).', // 23:30 UTC is the next day in Berlin
        'What changes: the monthly cap falls from 200 GB to 150 GB',
        'What you pay now: €19.99 a month (€239.88 a year).',
        'This change of terms does not change your price.',
      ],
      { summary: terms.summary, priceMinor: 1999, yearlyMinor: 23988, currency: 'EUR', interval: 'month', effectiveAt: '2026-03-31T23:30:00.000Z' },
    ],
    [
      'with details, in another zone',
      { ...terms, summary: 'TV moves to the Fibre 500 + TV plan only', details: 'Your broadband and phone stay as they are; the TV channels end on that date.' },
      'America/New_York',
      ['change on 2026-03-31 (America/New_York).', 'What changes: TV moves to the Fibre 500 + TV plan only', 'Details: Your broadband and phone stay as they are; the TV channels end on that date.'],
      { details: 'Your broadband and phone stay as they are; the TV channels end on that date.' },
    ],
    [
      'in a free trial: nothing now, the price that starts when it ends',
      { ...terms, trialEndsAt: d('2026-03-20T10:00:00Z') },
      'Europe/Berlin',
      ['What you pay: nothing during your free trial, which ends on 2026-03-20 (Europe/Berlin); from then €19.99 a month (€239.88 a year).'],
      { priceMinor: 1999, trialEndsAt: '2026-03-20T10:00:00.000Z' },
    ],
  ] as const)('terms change, %s: the change in their words, the date in their zone, what they pay', (_name, change, timeZone, lines, figures) => {
    const copy = termsChangeNotice({ ...who, timeZone }, change);
    for (const line of lines) expect(copy.text).toContain(line);
    expect(copy.figures).toMatchObject({ ...figures, cancelUrl: who.cancelUrl });
    expect(copy.text).toContain(who.cancelUrl);
    expect(copy.subject).toMatch(/^The terms of Pro \(FL-ABC234\) change on \d{4}-\d{2}-\d{2} \(/);
    if (!change.details) expect(copy.text).not.toContain('Details:');
    if (!change.trialEndsAt) expect(copy.figures).not.toHaveProperty('trialEndsAt');
  });

  it('states facts only: no confirm-shaming or false urgency in any notice', () => {
    const texts = [
      priceChangeNotice(who, { oldPriceMinor: 1999, newPriceMinor: 2199, effectiveAt: d('2026-04-01T00:00:00Z'), reason: 'Costs rose.' }),
      termsChangeNotice(who, terms),
      termsChangeNotice(who, { ...terms, details: 'Streaming stays included.', trialEndsAt: d('2026-03-20T10:00:00Z') }),
      annualReminderNotice(who, { priceMinor: 1999, renewsAt: d('2026-04-01T00:00:00Z') }),
      trialReminderNotice(who, { priceMinor: 1999, trialEndsAt: d('2026-04-01T00:00:00Z') }),
    ];
    for (const copy of texts) expect(lintCopy(`${copy.subject}\n${copy.text}`)).toEqual([]);
  });

  it('a change of price or terms may take effect 30 days after it is announced, not sooner', () => {
    expect(earliestChangeAt(d('2026-01-01T10:00:00Z')).toISOString()).toBe('2026-01-31T10:00:00.000Z');
  });
});
