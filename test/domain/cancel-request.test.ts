import { describe, expect, it } from 'vitest';
import { cancelRequestDueAt, cancelRequestSlaState } from '../../src/domain/cancel-request.ts';
import { calendarFrom, endOfBusinessDay } from '../../src/domain/charter/business-hours.ts';

const weekdays = (iv: string[]) => ({ mon: iv, tue: iv, wed: iv, thu: iv, fri: iv });
const london = calendarFrom({ timeZone: 'Europe/London', weekly: weekdays(['09:00-17:00']), holidays: [{ date: '2026-12-25' }, { date: '2026-12-28' }] });
const newYork = calendarFrom({ timeZone: 'America/New_York', weekly: { ...weekdays(['08:00-12:00', '13:00-18:00']), sat: ['10:00-14:00'] } });
const london247 = calendarFrom({ timeZone: 'Europe/London', weekly: { ...weekdays(['00:00-24:00']), sat: ['00:00-24:00'], sun: ['00:00-24:00'] } });
const d = (iso: string) => new Date(iso);

describe('endOfBusinessDay', () => {
  it.each([
    // [name, calendar, at (UTC), expected (UTC)]
    ['during the day: closing time that day', london, '2026-01-06T10:30:00Z', '2026-01-06T17:00:00Z'],
    ['before opening: closing time that day', london, '2026-01-06T07:00:00Z', '2026-01-06T17:00:00Z'],
    ['after closing: next business day', london, '2026-01-06T18:00:00Z', '2026-01-07T17:00:00Z'],
    ['exactly at closing: next business day', london, '2026-01-06T17:00:00Z', '2026-01-07T17:00:00Z'],
    ['Friday evening: Monday', london, '2026-01-09T19:00:00Z', '2026-01-12T17:00:00Z'],
    ['summer time: 17:00 BST is 16:00 UTC', london, '2026-06-02T09:00:00Z', '2026-06-02T16:00:00Z'],
    ['Christmas Eve evening skips the holidays to Tuesday', london, '2026-12-24T18:00:00Z', '2026-12-29T17:00:00Z'],
    ['lunch break: the last interval of the day', newYork, '2026-01-05T17:30:00Z', '2026-01-05T23:00:00Z'],
    ['Saturday hours are their own business day', newYork, '2026-01-10T15:30:00Z', '2026-01-10T19:00:00Z'],
    ['24/7: the end of the local day', london247, '2026-06-02T12:00:00Z', '2026-06-02T23:00:00Z'],
  ])('%s', (_name, calendar, at, expected) => {
    expect(endOfBusinessDay(d(at), calendar).toISOString()).toBe(d(expected).toISOString());
  });
});

describe('cancelRequestDueAt', () => {
  it.each([
    ['no charter: end of the UTC day', null, '2026-01-06T10:30:00Z', '2026-01-07T00:00:00Z'],
    ['no charter: just before midnight', null, '2026-01-06T23:59:59Z', '2026-01-07T00:00:00Z'],
    ['no charter: exactly midnight starts a new day', null, '2026-01-07T00:00:00Z', '2026-01-08T00:00:00Z'],
    ['charter: its closing time', london, '2026-01-06T10:30:00Z', '2026-01-06T17:00:00Z'],
  ])('%s', (_name, calendar, at, expected) => {
    expect(cancelRequestDueAt(d(at), calendar).toISOString()).toBe(d(expected).toISOString());
  });
});

describe('cancelRequestSlaState', () => {
  const base = { requestedAt: d('2026-01-06T09:00:00Z'), dueAt: d('2026-01-06T17:00:00Z'), calendar: london, atRisk: 0.75 };
  it.each([
    ['early in the day', { ...base, closedAt: null, now: d('2026-01-06T10:00:00Z') }, 'on_track'],
    ['three quarters of business time used', { ...base, closedAt: null, now: d('2026-01-06T15:00:00Z') }, 'at_risk'],
    ['at the due time', { ...base, closedAt: null, now: d('2026-01-06T17:00:00Z') }, 'at_risk'],
    ['past the due time', { ...base, closedAt: null, now: d('2026-01-06T17:00:01Z') }, 'breached'],
    ['closed in time', { ...base, closedAt: d('2026-01-06T16:00:00Z'), now: d('2026-01-08T00:00:00Z') }, 'met'],
    ['closed late', { ...base, closedAt: d('2026-01-06T18:00:00Z'), now: d('2026-01-08T00:00:00Z') }, 'breached'],
    // Overnight closed hours do not count: 16:30 on the previous evening to 09:15 is 45 of 60 business minutes.
    [
      'business time, not real time',
      { requestedAt: d('2026-01-05T16:30:00Z'), dueAt: d('2026-01-06T17:00:00Z'), calendar: london, atRisk: 0.75, closedAt: null, now: d('2026-01-06T09:00:00Z') },
      'on_track',
    ],
    ['no charter: real time', { requestedAt: d('2026-01-06T00:00:00Z'), dueAt: d('2026-01-07T00:00:00Z'), calendar: null, atRisk: 0.75, closedAt: null, now: d('2026-01-06T18:00:00Z') }, 'at_risk'],
    ['no charter: before the share', { requestedAt: d('2026-01-06T00:00:00Z'), dueAt: d('2026-01-07T00:00:00Z'), calendar: null, atRisk: 0.75, closedAt: null, now: d('2026-01-06T17:59:00Z') }, 'on_track'],
  ] as const)('%s', (_name, clock, expected) => {
    expect(cancelRequestSlaState(clock)).toBe(expected);
  });
});
