/**
 * Time buckets of a report period, in UTC: days, ISO weeks (Monday 00:00 UTC) or calendar months.
 * The first and last buckets are clipped to the period, so their figures cover only what was asked.
 */
export type BucketUnit = 'day' | 'week' | 'month';

export interface Bucket {
  /** The bucket's own start (as PostgreSQL's date_trunc(unit, t, 'UTC') gives it): the key for figures. */
  key: number;
  start: Date;
  end: Date;
}

/** The start of the UTC bucket holding `t` (date_trunc in UTC). */
export function bucketStart(t: Date, unit: BucketUnit): Date {
  const y = t.getUTCFullYear();
  const m = t.getUTCMonth();
  const d = t.getUTCDate();
  if (unit === 'month') return new Date(Date.UTC(y, m, 1));
  if (unit === 'day') return new Date(Date.UTC(y, m, d));
  const sinceMonday = (t.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(y, m, d - sinceMonday));
}

function nextStart(start: Date, unit: BucketUnit): Date {
  const y = start.getUTCFullYear();
  const m = start.getUTCMonth();
  const d = start.getUTCDate();
  if (unit === 'month') return new Date(Date.UTC(y, m + 1, 1));
  return new Date(Date.UTC(y, m, d + (unit === 'week' ? 7 : 1)));
}

/**
 * The buckets covering [from, to), or null when there would be more than `max` of them.
 * @example bucketsOf(new Date('2026-03-04T12:00Z'), new Date('2026-03-12Z'), 'week', 400)
 *   // [{start: 03-04 12:00, end: 03-09}, {start: 03-09, end: 03-12}]
 */
export function bucketsOf(from: Date, to: Date, unit: BucketUnit, max: number): Bucket[] | null {
  const buckets: Bucket[] = [];
  for (let start = bucketStart(from, unit); start.getTime() < to.getTime(); start = nextStart(start, unit)) {
    if (buckets.length === max) return null;
    const end = nextStart(start, unit);
    buckets.push({
      key: start.getTime(),
      start: start.getTime() < from.getTime() ? from : start,
      end: end.getTime() > to.getTime() ? to : end,
    });
  }
  return buckets;
}
