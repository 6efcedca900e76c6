/**
 * Business-hours arithmetic: when the company is open, due times, and business time elapsed.
 *
 * Conventions (see docs/charter.md):
 * - Business time is real elapsed time inside open intervals, so an interval that spans a DST
 *   change is as long as the clock on the wall says it really was (00:00–24:00 on the spring-forward
 *   day in Europe/London is 23 hours).
 * - Open intervals are half-open, [start, end): open at 09:00, closed at 17:00.
 * - A due time may fall exactly at the end of an open interval (17:00): "by closing time".
 * - A clock started in closed hours starts at the next opening.
 * - A wall time that happens twice (fall back) means its first occurrence; one that never happens
 *   (spring forward) moves forward by the gap.
 * Each local day's intervals are computed once per calendar and cached, so arithmetic walks days,
 * never minutes.
 */
import { IANAZone } from 'luxon';
import { WEEKDAYS, type Weekday } from './schema.ts';

/** A weekly calendar in one time zone: what the arithmetic needs, precomputed from the charter. */
export interface Calendar {
  readonly timeZone: string;
  /** Open intervals per ISO weekday (index 0 = Monday), as [startMinute, endMinute) of local time, sorted and merged. */
  readonly weekly: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
  /** Local dates (YYYY-MM-DD) that are closed all day. */
  readonly holidays: ReadonlySet<string>;
}

/** The part of the charter's `businessHours` a calendar is made from. */
export interface BusinessHoursInput {
  timeZone: string;
  weekly: Partial<Record<Weekday, readonly string[] | undefined>>;
  holidays?: ReadonlyArray<{ date: string }>;
}

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
/** Stop looking for an opening after this many consecutive closed days (a calendar with no open hours). */
const MAX_CLOSED_DAYS = 400;

/** "09:00-17:30" → [540, 1050]. */
export function parseInterval(text: string): [number, number] {
  const [a, b] = text.split('-') as [string, string];
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  return [minutes(a), minutes(b)];
}

/** Sort and merge touching or overlapping intervals (the validator reports overlaps; this keeps the arithmetic safe). */
function merge(intervals: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...intervals].sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const iv of sorted) {
    const last = out[out.length - 1];
    if (last && iv[0] <= last[1]) last[1] = Math.max(last[1], iv[1]);
    else out.push([iv[0], iv[1]]);
  }
  return out;
}

/** Build a {@link Calendar} from the charter's `businessHours` (already validated). */
export function calendarFrom(hours: BusinessHoursInput): Calendar {
  return {
    timeZone: hours.timeZone,
    weekly: WEEKDAYS.map((d) => merge((hours.weekly[d] ?? []).map(parseInterval))),
    holidays: new Set((hours.holidays ?? []).map((h) => h.date)),
  };
}

interface Prepared {
  zone: IANAZone;
  days: Map<number, ReadonlyArray<readonly [number, number]>>;
}
const prepared = new WeakMap<Calendar, Prepared>();

function prep(cal: Calendar): Prepared {
  let p = prepared.get(cal);
  if (!p) {
    p = { zone: IANAZone.create(cal.timeZone), days: new Map() };
    if (!p.zone.isValid) throw new RangeError(`unknown time zone ${cal.timeZone}`);
    prepared.set(cal, p);
  }
  return p;
}

/** Days since 1970-01-01 of the local date at instant `ms`. */
function localDay(p: Prepared, ms: number): number {
  return Math.floor((ms + p.zone.offset(ms) * MS_PER_MINUTE) / MS_PER_DAY);
}

/**
 * The instant a wall-clock time (given as if it were UTC) happens in `zone`. A time that happens
 * twice (fall back) is its first occurrence; a time that never happens (spring forward) moves
 * forward by the gap, e.g. 02:30 on the New York spring-forward night is 03:30 EDT.
 * Real zones change offset at most once within a day either side, which this relies on.
 */
function wallToInstant(zone: IANAZone, wall: number): number {
  const before = zone.offset(wall - MS_PER_DAY);
  const after = zone.offset(wall + MS_PER_DAY);
  let best = Number.POSITIVE_INFINITY;
  for (const o of [before, after]) {
    const candidate = wall - o * MS_PER_MINUTE;
    if (zone.offset(candidate) === o && candidate < best) best = candidate;
  }
  return Number.isFinite(best) ? best : wall - before * MS_PER_MINUTE;
}

/** The open intervals of local day `day` as instants [startMs, endMs), cached. */
function intervalsOn(cal: Calendar, p: Prepared, day: number): ReadonlyArray<readonly [number, number]> {
  const cached = p.days.get(day);
  if (cached) return cached;
  const date = new Date(day * MS_PER_DAY);
  const iso = date.toISOString().slice(0, 10);
  const weekday = (date.getUTCDay() + 6) % 7;
  const out: Array<[number, number]> = [];
  if (!cal.holidays.has(iso)) {
    const midnight = date.getTime();
    const at = (minute: number): number => wallToInstant(p.zone, midnight + minute * MS_PER_MINUTE);
    for (const [s, e] of cal.weekly[weekday] ?? []) {
      const start = at(s);
      const end = at(e);
      // A wall time inside a spring-forward gap moves forward; an interval wholly inside the gap vanishes.
      if (end > start) out.push([start, end]);
    }
  }
  if (p.days.size > 20_000) p.days.clear();
  p.days.set(day, out);
  return out;
}

/** Whether the company is open at `at` (holidays closed; intervals half-open). */
export function isOpen(at: Date, calendar: Calendar): boolean {
  const p = prep(calendar);
  const t = at.getTime();
  const day = localDay(p, t);
  for (const d of [day - 1, day]) {
    for (const [s, e] of intervalsOn(calendar, p, d)) if (s <= t && t < e) return true;
  }
  return false;
}

/**
 * The moment `minutes` of business time after `from`: the due time of a target.
 * From closed hours the clock starts at the next opening; the result is never inside closed hours
 * or a holiday, though it may be exactly the end of an open interval (closing time).
 * @example addBusinessMinutes(friday1630, 60, mon_fri_9_17) // Monday 09:30
 */
export function addBusinessMinutes(from: Date, minutes: number, calendar: Calendar): Date {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`minutes must be a finite number ≥ 0, got ${minutes}`);
  const p = prep(calendar);
  let remaining = Math.round(minutes * MS_PER_MINUTE);
  let cursor = from.getTime();
  let closedDays = 0;
  for (let day = localDay(p, cursor) - 1; closedDays < MAX_CLOSED_DAYS; day++) {
    let sawOpen = false;
    for (const [s, e] of intervalsOn(calendar, p, day)) {
      sawOpen = true;
      if (e <= cursor) continue;
      const begin = Math.max(s, cursor);
      const available = e - begin;
      if (remaining <= available) return new Date(begin + remaining);
      remaining -= available;
      cursor = e;
    }
    closedDays = sawOpen ? 0 : closedDays + 1;
  }
  throw new RangeError(`calendar in ${calendar.timeZone} has no open hours for ${MAX_CLOSED_DAYS} days`);
}

/**
 * Closing time of the business day `at` falls in: the end of the last open interval of that local
 * day. From closed hours (evening, weekend, holiday) it is the closing time of the next business
 * day — the day the company can first act on it.
 * @example endOfBusinessDay(tuesday1030, mon_fri_9_17) // Tuesday 17:00; from Friday 18:00 → Monday 17:00
 */
export function endOfBusinessDay(at: Date, calendar: Calendar): Date {
  const p = prep(calendar);
  // The first open moment at or after `at`; the open intervals of its local day end by midnight.
  const start = addBusinessMinutes(at, 0, calendar).getTime();
  let end = start;
  for (const [, e] of intervalsOn(calendar, p, localDay(p, start))) if (e > end) end = e;
  return new Date(end);
}

/**
 * Business minutes between two instants (0 when `to` is not after `from`); may be fractional
 * when the instants are not on whole minutes.
 */
export function businessMinutesBetween(from: Date, to: Date, calendar: Calendar): number {
  const a = from.getTime();
  const b = to.getTime();
  if (!(b > a)) return 0;
  const p = prep(calendar);
  let total = 0;
  const last = localDay(p, b);
  for (let day = localDay(p, a) - 1; day <= last; day++) {
    for (const [s, e] of intervalsOn(calendar, p, day)) {
      const lo = Math.max(s, a);
      const hi = Math.min(e, b);
      if (hi > lo) total += hi - lo;
    }
  }
  return total / MS_PER_MINUTE;
}

const calendars = new WeakMap<object, Calendar>();

/**
 * The calendar of a charter, built once per charter object (its per-day cache lives with it, so
 * jobs recomputing many conversations under one charter share the work).
 */
export function calendarOf(charter: { businessHours: BusinessHoursInput }): Calendar {
  let cal = calendars.get(charter.businessHours);
  if (!cal) {
    cal = calendarFrom(charter.businessHours);
    calendars.set(charter.businessHours, cal);
  }
  return cal;
}
