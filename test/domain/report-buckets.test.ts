import { describe, expect, it } from 'vitest';
import { bucketsOf, bucketStart } from '../../src/domain/report-buckets.ts';

const d = (s: string) => new Date(s);
const iso = (b: { start: Date; end: Date }) => [b.start.toISOString(), b.end.toISOString()];

describe('report buckets (UTC)', () => {
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
});
