import { describe, expect, it } from 'vitest';
import { parityBands, type BandFigures } from '../../src/domain/parity.ts';

const band = (n: number, frMet: number, resMet = 95, decided = 100): BandFigures => ({
  band: n,
  conversations: decided,
  firstResponseMet: frMet,
  firstResponseDecided: decided,
  resolutionMet: resMet,
  resolutionDecided: decided,
  medianFirstResponseMinutes: 30,
  p90FirstResponseMinutes: 90,
  exceptions: 0,
  failureDemand: 0,
  minSpendMinor: n === 0 ? null : n * 1000,
  maxSpendMinor: n === 0 ? null : n * 1000 + 999,
});

describe('parityBands', () => {
  it.each([
    { name: 'all bands at 97% meet a 95% promise: nothing flagged', figures: [0, 1, 2, 3, 4, 5].map((n) => band(n, 97, 97)), flagged: [] },
    { name: 'the lowest band below the promise is flagged', figures: [band(0, 97, 97), band(1, 90, 97), band(5, 98, 97)], flagged: [1] },
    { name: 'a band 6 points below the best is flagged even above the promise', figures: [band(1, 93, 96), band(5, 99, 96)], flagged: [1] },
    { name: 'exactly 5 points below the best is not', figures: [band(1, 95, 96), band(5, 100, 96)], flagged: [] },
    { name: 'resolution gaps count too', figures: [band(1, 99, 80), band(5, 99, 99)], flagged: [1] },
    { name: 'the best band itself may be flagged when below the promise', figures: [band(1, 80, 96), band(5, 82, 96)], flagged: [1, 5] },
  ])('$name', ({ figures, flagged }) => {
    const bands = parityBands(figures, 0.95);
    expect(bands.filter((b) => b.flagged).map((b) => b.band)).toEqual(flagged);
  });

  it('says why, in words, and leaves bands with nothing decided unflagged', () => {
    const [low] = parityBands([band(1, 90, 97), { ...band(2, 0, 0, 0) }], 0.95);
    expect(low!.flags[0]).toBe('first response met for 90%, below the 95% the charter promises');
    const empty = parityBands([band(2, 0, 0, 0)], 0.95)[0]!;
    expect(empty).toMatchObject({ firstResponseMetPct: null, flagged: false, label: 'Second fifth' });
  });
});
