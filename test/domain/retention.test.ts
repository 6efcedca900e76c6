import { describe, expect, it } from 'vitest';
import { keepUntil, mayDelete } from '../../src/domain/retention.ts';

const d = (s: string) => new Date(`${s}T00:00:00Z`);

describe('retention of consent and cancellation records', () => {
  it.each([
    { name: 'three years after it was recorded', recorded: '2026-01-10', ended: '2026-02-01', until: '2029-01-10' },
    { name: 'one year after the contract ended, when that is later', recorded: '2026-01-10', ended: '2028-06-30', until: '2029-06-30' },
    { name: 'three years when the contract end is unknown', recorded: '2026-01-10', ended: null, until: '2029-01-10' },
    { name: 'a leap day', recorded: '2028-02-29', ended: null, until: '2031-03-01' },
  ])('keeps it until $until: $name', ({ recorded, ended, until }) => {
    for (const kind of ['consent', 'cancellation'] as const) {
      expect(keepUntil(kind, d(recorded), { endedAt: ended ? d(ended) : null, active: false })?.toISOString()).toBe(d(until).toISOString());
    }
  });

  it('never deletes while the contract runs', () => {
    expect(keepUntil('consent', d('2010-01-01'), { endedAt: null, active: true })).toBeNull();
    expect(mayDelete('consent', d('2010-01-01'), { endedAt: null, active: true }, d('2030-01-01'))).toBe(false);
  });

  it('may delete from the moment the period is over, not a day before', () => {
    const contract = { endedAt: d('2026-03-01'), active: false };
    expect(mayDelete('cancellation', d('2026-01-10'), contract, d('2029-01-09'))).toBe(false);
    expect(mayDelete('cancellation', d('2026-01-10'), contract, d('2029-01-10'))).toBe(true);
  });
});
