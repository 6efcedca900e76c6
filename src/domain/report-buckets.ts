import { DateTime } from 'luxon';

/**
 * Time buckets of a report period in a time zone (UTC unless one is given): days, ISO weeks (Monday
 * 00:00 local time) or calendar months, each starting at local midnight, so a bucket across a daylight
 * saving change is an hour shorter or longer. The first and last buckets are clipped to the period, so
 * their figures cover only what was asked.
 */
export type BucketUnit = 'day' | 'week' | 'month';

export interface Bucket {
  /** The bucket's own start (local midnight of its first day, as an instant): the key for figures. */
  key: number;
  start: Date;
  end: Date;
}

const at = (t: Date, zone: string) => DateTime.fromJSDate(t, { zone });

/** The start of the bucket holding `t`, in `zone` (an IANA name; `UTC` by default). */
export function bucketStart(t: Date, unit: BucketUnit, zone = 'UTC'): Date {
  // Luxon's week is the ISO week: it starts on Monday.
  return at(t, zone).startOf(unit).toJSDate();
}

function nextStart(start: Date, unit: BucketUnit, zone: string): Date {
  return at(start, zone).plus({ [`${unit}s`]: 1 }).startOf(unit).toJSDate();
}

/**
 * The buckets covering [from, to) in `zone`, or null when there would be more than `max` of them.
 * @example bucketsOf(new Date('2026-03-04T12:00Z'), new Date('2026-03-12Z'), 'week', 400)
 *   // [{start: 03-04 12:00, end: 03-09}, {start: 03-09, end: 03-12}]
 */
export function bucketsOf(from: Date, to: Date, unit: BucketUnit, max: number, zone = 'UTC'): Bucket[] | null {
  const buckets: Bucket[] = [];
  for (let start = bucketStart(from, unit, zone); start.getTime() < to.getTime(); start = nextStart(start, unit, zone)) {
    if (buckets.length === max) return null;
    const end = nextStart(start, unit, zone);
    buckets.push({
      key: start.getTime(),
      start: start.getTime() < from.getTime() ? from : start,
      end: end.getTime() > to.getTime() ? to : end,
    });
  }
  return buckets;
}

/** Whether `zone` is an IANA time zone name Luxon (and so the report) understands. */
export function isKnownZone(zone: string): boolean {
  return DateTime.now().setZone(zone).isValid;
}
