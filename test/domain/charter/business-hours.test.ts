import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addBusinessMinutes, businessMinutesBetween, calendarFrom, isOpen, type Calendar } from '../../../src/domain/charter/business-hours.ts';

const weekdays = (iv: string[]) => ({ mon: iv, tue: iv, wed: iv, thu: iv, fri: iv });
const everyDay = (iv: string[]) => ({ ...weekdays(iv), sat: iv, sun: iv });

const london = calendarFrom({
  timeZone: 'Europe/London',
  weekly: weekdays(['09:00-17:00']),
  holidays: [{ date: '2026-12-25' }, { date: '2026-12-28' }],
});
const newYork = calendarFrom({ timeZone: 'America/New_York', weekly: { ...weekdays(['08:00-12:00', '13:00-18:00']), sat: ['10:00-14:00'] } });
const london247 = calendarFrom({ timeZone: 'Europe/London', weekly: everyDay(['00:00-24:00']) });
const newYorkNight = calendarFrom({ timeZone: 'America/New_York', weekly: everyDay(['01:00-04:00']) });
const kolkata = calendarFrom({ timeZone: 'Asia/Kolkata', weekly: { sun: ['10:00-18:30'], mon: ['10:00-18:30'], tue: ['10:00-18:30'], wed: ['10:00-18:30'], thu: ['10:00-18:30'] }, holidays: [{ date: '2027-01-26' }] });
const lordHowe = calendarFrom({ timeZone: 'Australia/Lord_Howe', weekly: everyDay(['01:00-03:00', '09:00-17:00']) });
const sparse = calendarFrom({ timeZone: 'Europe/Berlin', weekly: { wed: ['14:00-15:00'] }, holidays: [{ date: '2026-12-23' }, { date: '2026-12-30' }] });

const d = (iso: string) => new Date(iso);

describe('addBusinessMinutes', () => {
  it.each([
    // [name, calendar, from (UTC), minutes, expected (UTC)]
    ['inside one day', london, '2026-06-01T09:00:00Z', 60, '2026-06-01T10:00:00Z'], // 10:00 → 11:00 BST
    ['exactly to closing time (due at 17:00, not next morning)', london, '2026-01-05T16:00:00Z', 60, '2026-01-05T17:00:00Z'],
    ['over the night', london, '2026-01-05T16:30:00Z', 60, '2026-01-06T09:30:00Z'],
    ['from closed hours the clock starts at opening', london, '2026-01-10T12:00:00Z', 30, '2026-01-12T09:30:00Z'], // Saturday
    ['zero minutes from closed hours = next opening', london, '2026-01-05T20:00:00Z', 0, '2026-01-06T09:00:00Z'],
    ['zero minutes at closing time = next opening', london, '2026-01-05T17:00:00Z', 0, '2026-01-06T09:00:00Z'],
    ['zero minutes while open = now', london, '2026-01-05T10:15:00Z', 0, '2026-01-05T10:15:00Z'],
    ['London spring forward over the weekend (Fri GMT → Mon BST)', london, '2026-03-27T16:00:00Z', 120, '2026-03-30T09:00:00Z'],
    ['London fall back over the weekend (Fri BST → Mon GMT)', london, '2026-10-23T15:00:00Z', 120, '2026-10-26T10:00:00Z'],
    ['holidays skipped: Christmas Friday and substitute Monday', london, '2026-12-24T16:00:00Z', 120, '2026-12-29T10:00:00Z'],
    ['New York lunch break skipped', newYork, '2026-01-05T16:30:00Z', 60, '2026-01-05T18:30:00Z'], // 11:30 EST + 1h = 13:30
    ['New York spring forward: Saturday EST → Monday EDT', newYork, '2026-03-07T18:00:00Z', 180, '2026-03-09T14:00:00Z'], // Sat 13:00 EST +1h → 14:00, Mon 08:00 EDT +2h = 10:00 EDT
    ['New York fall back: Saturday EDT → Monday EST', newYork, '2026-10-31T17:00:00Z', 180, '2026-11-02T15:00:00Z'], // Sat 13:00 EDT +1h, Mon 08:00 EST +2h = 10:00 EST
    ['New York night window on spring-forward day is 2 real hours', newYorkNight, '2026-03-08T06:00:00Z', 150, '2026-03-09T05:30:00Z'],
    ['New York night window on fall-back day is 4 real hours', newYorkNight, '2026-11-01T05:00:00Z', 240, '2026-11-01T09:00:00Z'],
    ['24/7 across spring forward is real time', london247, '2026-03-28T23:00:00Z', 24 * 60, '2026-03-29T23:00:00Z'],
    ['half-hour offset zone with a Sunday–Thursday week and holiday', kolkata, '2027-01-25T12:30:00Z', 60, '2027-01-27T05:00:00Z'], // Mon 18:00 IST + 30m, Tue holiday, Wed 10:00 + 30m
    ['sparse calendar skips holiday Wednesdays', sparse, '2026-12-16T13:30:00Z', 90, '2027-01-06T14:00:00Z'], // Wed 14:30 CET +30m to 15:00; two holiday Wednesdays; 2027-01-06 14:00 CET +60m
  ] as Array<[string, Calendar, string, number, string]>)('%s', (_name, cal, from, minutes, expected) => {
    expect(addBusinessMinutes(d(from), minutes, cal).toISOString()).toBe(d(expected).toISOString());
  });

  it('refuses negative minutes', () => {
    expect(() => addBusinessMinutes(d('2026-01-05T10:00:00Z'), -1, london)).toThrow(RangeError);
  });

  it('gives up on a calendar with no open hours instead of looping', () => {
    const closed = calendarFrom({ timeZone: 'Europe/London', weekly: {} });
    expect(() => addBusinessMinutes(d('2026-01-05T10:00:00Z'), 1, closed)).toThrow(/no open hours/);
  });
});

describe('businessMinutesBetween', () => {
  it.each([
    ['same day', london, '2026-01-05T09:30:00Z', '2026-01-05T12:00:00Z', 150],
    ['reversed is zero', london, '2026-01-05T12:00:00Z', '2026-01-05T09:30:00Z', 0],
    ['over a weekend', london, '2026-01-09T16:00:00Z', '2026-01-12T10:00:00Z', 120],
    ['over Christmas', london, '2026-12-24T00:00:00Z', '2026-12-30T00:00:00Z', 16 * 60],
    ['London spring-forward day on a 24/7 calendar is 23 hours', london247, '2026-03-29T00:00:00Z', '2026-03-29T23:00:00Z', 23 * 60],
    ['London fall-back day on a 24/7 calendar is 25 hours', london247, '2026-10-24T23:00:00Z', '2026-10-26T00:00:00Z', 25 * 60],
    ['New York night window, spring forward', newYorkNight, '2026-03-08T00:00:00Z', '2026-03-08T23:00:00Z', 120],
    ['New York night window, fall back', newYorkNight, '2026-11-01T00:00:00Z', '2026-11-01T23:00:00Z', 240],
  ] as Array<[string, Calendar, string, string, number]>)('%s', (_name, cal, from, to, minutes) => {
    expect(businessMinutesBetween(d(from), d(to), cal)).toBe(minutes);
  });
});

describe('isOpen', () => {
  it.each([
    [london, '2026-01-05T09:00:00Z', true],
    [london, '2026-01-05T08:59:59Z', false],
    [london, '2026-01-05T17:00:00Z', false], // intervals are half-open
    [london, '2026-06-01T08:30:00Z', true], // 09:30 BST
    [london, '2026-12-25T12:00:00Z', false], // holiday
    [london, '2026-01-10T12:00:00Z', false], // Saturday
    [london247, '2026-03-29T01:30:00Z', true],
    [newYork, '2026-01-05T17:30:00Z', false], // 12:30 lunch
  ] as Array<[Calendar, string, boolean]>)('%#: %s', (cal, at, open) => {
    expect(isOpen(d(at), cal)).toBe(open);
  });
});

describe('property: due times', () => {
  // Convention: a due time is inside open hours, or exactly at the end of an open interval (closing time).
  const calendars = [london, newYork, london247, newYorkNight, kolkata, lordHowe, sparse];
  const from = fc.date({ min: d('2026-01-01T00:00:00Z'), max: d('2028-12-31T00:00:00Z'), noInvalidDate: true });

  it('never fall in closed hours or on a holiday, and measure back to the same business minutes', () => {
    fc.assert(
      fc.property(fc.constantFrom(...calendars), from, fc.integer({ min: 0, max: 30_000 }), (cal, start, minutes) => {
        const due = addBusinessMinutes(start, minutes, cal);
        const atClosing = !isOpen(due, cal) && isOpen(new Date(due.getTime() - 1), cal);
        expect(isOpen(due, cal) || (minutes > 0 && atClosing)).toBe(true);
        expect(due.getTime()).toBeGreaterThanOrEqual(start.getTime());
        expect(businessMinutesBetween(start, due, cal)).toBe(minutes);
      }),
      { numRuns: 400 },
    );
  });
});
