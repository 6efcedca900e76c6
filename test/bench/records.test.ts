// The bench's record shape (issue 9): what `npm run bench -- --json` prints must conform. No timings are asserted.
import { describe, expect, it } from 'vitest';
import { benchOfferGates } from '../../bench/offer-gates.ts';
import { recordProblems } from '../../bench/record.ts';

const good = { name: 'x', store: 'pglite', unit: 'req/s', value: 10, reference: 20, ratio: 0.5, p50Ms: 3, p99Ms: 9, rssMb: 300 };

describe('bench records', () => {
  it.each([
    ['a full record', good, []],
    ['one without the optional fields', { name: 'x', store: 'none', unit: 's', value: 1, reference: 1, ratio: 1 }, []],
    ['an unknown field', { ...good, p95Ms: 4 }, ['unknown field p95Ms']],
    ['a missing reference', { ...good, reference: undefined }, ['reference must be a finite number']],
    ['a ratio that is not finite', { ...good, ratio: Number.NaN }, ['ratio must be a finite number']],
    ['an unknown store', { ...good, store: 'sqlite' }, ['store must be none, pglite or postgres']],
    ['an optional field that is not a number', { ...good, rssMb: '300' }, ['rssMb must be a finite number when present']],
  ])('%s', (_label, record, problems) => {
    expect(recordProblems(JSON.parse(JSON.stringify(record)) as unknown)).toEqual(problems);
  });

  it('one short case (offer gates, 200 customers) gives records that conform and survive JSON', async () => {
    const records = await benchOfferGates({ customers: 200 });
    expect(records.length).toBeGreaterThan(0);
    const printed = JSON.parse(JSON.stringify(records)) as unknown[];
    for (const r of printed) expect(recordProblems(r)).toEqual([]);
    expect(printed.map((r) => (r as { name: string }).name).join()).toContain('200 customers');
  });
});
