import { describe, expect, it } from 'vitest';
import { bucketsOf, bucketStart, isKnownZone } from '../../src/domain/report-buckets.ts';

const d = (s: string) => new Date(s);
const iso = (b: { start: Date; end: Date }) => [b.start.toISOString(), b.end.toISOString()];

describe('report buckets', () => {
  it.each([
    ['2026-03-04T12:00:00Z', 'day', '2026-03-04T00:00:00.000Z'],
    ['2026-03-04T12:00:00Z', 'week', '2026-03-02T00:00:00.000Z'], // a Wednesday: its Monday
    ['2026-03-02T00:00:00Z', 'week', '2026-03-02T00:00:00.000Z'],
    ['2026-03-01T23:59:59Z', 'week', '2026-02-23T00:00:00.000Z'], // a Sunday: the Monday before
    ['2026-03-31T23:00:00Z', 'month', '2026-03-01T00:00:00.000Z'],
  ] as const)('%s by %s starts at %s', (t, unit, start) => {
    expect(bucketStart(d(t), unit).toISOString()).toBe(start);
  });

  it('clips the first and last bucket to the period', () => {
    const buckets = bucketsOf(d('2026-03-04T12:00:00Z'), d('2026-03-12T00:00:00Z'), 'week', 400)!;
    expect(buckets.map(iso)).toEqual([
      ['2026-03-04T12:00:00.000Z', '2026-03-09T00:00:00.000Z'],
      ['2026-03-09T00:00:00.000Z', '2026-03-12T00:00:00.000Z'],
    ]);
    expect(buckets[0]!.key).toBe(Date.parse('2026-03-02T00:00:00Z'));
  });

  it('counts months across a year end, and refuses more than the maximum', () => {
    expect(bucketsOf(d('2025-11-15T00:00:00Z'), d('2026-02-01T00:00:00Z'), 'month', 400)!.map((b) => b.start.toISOString().slice(0, 10))).toEqual(['2025-11-15', '2025-12-01', '2026-01-01']);
    expect(bucketsOf(d('2026-01-01T00:00:00Z'), d('2026-01-11T00:00:00Z'), 'day', 10)).toHaveLength(10);
    expect(bucketsOf(d('2026-01-01T00:00:00Z'), d('2026-01-11T00:00:01Z'), 'day', 10)).toBeNull();
  });

  it.each([
    // London leaves summer time on 2026-10-25 (01:00 UTC) and enters it on 2026-03-29 (01:00 UTC).
    ['2026-10-25T12:00:00Z', 'day', 'Europe/London', '2026-10-24T23:00:00.000Z'],
    ['2026-10-26T12:00:00Z', 'day', 'Europe/London', '2026-10-26T00:00:00.000Z'],
    ['2026-10-28T12:00:00Z', 'week', 'Europe/London', '2026-10-26T00:00:00.000Z'], // Monday 26 October, 00:00 GMT (= UTC)
    ['2026-10-21T12:00:00Z', 'week', 'Europe/London', '2026-10-18T23:00:00.000Z'], // Monday 19 October, 00:00 BST
    ['2026-03-31T23:30:00Z', 'month', 'Europe/London', '2026-03-31T23:00:00.000Z'], // already 1 April in London
    ['2026-03-01T23:59:59Z', 'week', 'Asia/Tokyo', '2026-03-01T15:00:00.000Z'], // already Monday 2 March in Tokyo
  ] as const)('%s by %s in %s starts at %s', (t, unit, zone, start) => {
    expect(bucketStart(d(t), unit, zone).toISOString()).toBe(start);
  });

  it('makes local days of 23 and 25 hours across daylight-saving changes', () => {
    const hours = (from: string, to: string) =>
      bucketsOf(d(from), d(to), 'day', 10, 'Europe/London')!.map((b) => (b.end.getTime() - b.start.getTime()) / 3_600_000);
    expect(hours('2026-10-24T23:00:00Z', '2026-10-27T00:00:00Z')).toEqual([25, 24]);
    expect(hours('2026-03-28T00:00:00Z', '2026-03-30T23:00:00Z')).toEqual([24, 23, 24]);
    expect(isKnownZone('Europe/London')).toBe(true);
    expect(isKnownZone('Mars/Olympus')).toBe(false);
  });
});
