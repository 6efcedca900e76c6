import { describe, expect, it } from 'vitest';
import { niceMax, tickValues } from '../../web/src/reports/charts/scale.ts';
import { apiQuery, lastDayOf, pageQuery, rangeFrom } from '../../web/src/reports/range.ts';
import { disparity } from '../../web/src/reports/parity.ts';

describe('report chart axes', () => {
  it.each([
    [0, 1],
    [-3, 1],
    [0.7, 1],
    [1, 1],
    [1.2, 2],
    [2.1, 2.5],
    [41, 50],
    [87, 100],
    [100, 100],
    [101, 200],
    [2400, 2500],
  ])('niceMax(%s) = %s', (value, top) => expect(niceMax(value)).toBe(top));

  it.each([
    [100, false, [0, 25, 50, 75, 100]],
    [50, false, [0, 10, 20, 30, 40, 50]],
    [2.5, false, [0, 0.5, 1, 1.5, 2, 2.5]],
    [2, false, [0, 0.5, 1, 1.5, 2]],
    [4, true, [0, 1, 2, 3, 4]],
    [10, true, [0, 2, 4, 6, 8, 10]],
    [20, true, [0, 5, 10, 15, 20]],
  ])('ticks of %s (whole numbers: %s)', (top, integers, ticks) => expect(tickValues(top, integers)).toEqual(ticks));
});

describe('report period in the address', () => {
  it.each([
    ['', { from: '', to: '' }, ''],
    ['from=2026-10-01&to=2026-10-31', { from: '2026-10-01', to: '2026-10-31' }, '?from=2026-10-01T00%3A00%3A00.000Z&to=2026-11-01T00%3A00%3A00.000Z'],
    ['from=2026-10-01', { from: '2026-10-01', to: '' }, '?from=2026-10-01T00%3A00%3A00.000Z'],
    ['to=2026-12-31', { from: '', to: '2026-12-31' }, '?to=2027-01-01T00%3A00%3A00.000Z'],
    ['from=yesterday&to=2026-13-45', { from: '', to: '' }, ''],
    ['from=2026-10-01T00:00:00Z', { from: '', to: '' }, ''],
  ])('%j', (search, range, query) => {
    const parsed = rangeFrom(new URLSearchParams(search));
    expect(parsed).toEqual(range);
    expect(apiQuery(parsed)).toBe(query);
    expect(rangeFrom(new URLSearchParams(pageQuery(parsed)))).toEqual(range);
  });

  it('names the last day covered by an exclusive end', () => {
    expect(lastDayOf('2026-11-01T00:00:00.000Z')).toBe('2026-10-31');
    expect(lastDayOf('2026-11-22T18:30:00.000Z')).toBe('2026-11-22');
  });
});

describe('parity disparity', () => {
  const band = (label: string, firstResponseMetPct: number | null) => ({
    band: 0,
    label,
    spendRangeMinor: null,
    conversations: 1,
    firstResponseMetPct,
    resolutionMetPct: null,
    medianFirstResponseMinutes: null,
    p90FirstResponseMinutes: null,
    exceptions: 0,
    failureDemand: 0,
    flagged: false,
    flags: [],
  });
  it.each([
    [[], null, null, null],
    [[band('a', null)], null, null, null],
    [[band('a', 97.5)], 'a', 'a', 0],
    [[band('a', 97.5), band('b', 86.1), band('c', null), band('d', 100)], 'd', 'b', 13.9],
  ])('%#', (bands, best, worst, gap) => {
    const d = disparity(bands);
    expect([d.best?.label ?? null, d.worst?.label ?? null, d.gapPoints]).toEqual([best, worst, gap]);
  });
});
