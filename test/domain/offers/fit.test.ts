import { describe, expect, it } from 'vitest';
import { parseProductFit } from '../../../src/domain/offers/fit.ts';
import { inTargetMarket } from '../../../src/domain/offers/target-market.ts';
import { BUSINESS_CARD_YAML, customer, fit } from './fixtures.ts';

describe('product fit documents', () => {
  it('parses a full fit with defaults filled in', () => {
    const f = fit();
    expect(f.targetMarket).toHaveLength(2);
    expect(f.valueMargin).toEqual({ minimumMinor: 100, shareOfFees: 0.1 });
    expect(f.fees.perUnitMinor).toEqual({ fx_payment: 150 });
  });

  const cases: Array<{ name: string; yaml: string; line: number; column: number; path: string; message: RegExp }> = [
    { name: 'unknown fact', yaml: BUSINESS_CARD_YAML.replace('- revenue: { atLeast: 20000 }', '- turnover: { atLeast: 20000 }'), line: 7, column: 5, path: 'targetMarket[1].turnover', message: /unknown fact "turnover"/ },
    { name: 'two facts in one condition', yaml: BUSINESS_CARD_YAML.replace('- kind: { in: [business] }', '- { kind: { in: [business] }, size: { atMost: 50 } }'), line: 6, column: 5, path: 'targetMarket[0]', message: /exactly one fact/ },
    { name: 'a range on a word', yaml: BUSINESS_CARD_YAML.replace('- region: { in: [XX] }', '- region: { atLeast: 3 }'), line: 9, column: 13, path: 'exclusions[0].region', message: /not a number/ },
    { name: 'missing key facts', yaml: BUSINESS_CARD_YAML.replace(/keyFacts: \|\n(  .*\n)+/, ''), line: 2, column: 1, path: 'keyFacts', message: /required/ },
    { name: 'a fee in pounds with decimals', yaml: BUSINESS_CARD_YAML.replace('yearlyMinor: 9500', 'yearlyMinor: 95.5'), line: 12, column: 16, path: 'fees.yearlyMinor', message: /whole number of minor units/ },
    { name: 'no need or situation', yaml: BUSINESS_CARD_YAML.replace('needs: [business_spending, cashback]\nsituations: [high_card_spend]\n', ''), line: 2, column: 1, path: 'needs', message: /at least one need or situation/ },
    { name: 'bad YAML', yaml: 'keyFacts: [unclosed\n', line: 2, column: 1, path: '', message: /^YAML/ },
  ];
  it.each(cases)('points at the problem: $name', ({ yaml, line, column, path, message }) => {
    const r = parseProductFit(yaml);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const e = r.errors.find((x) => message.test(x.message));
    expect(e, JSON.stringify(r.errors)).toBeDefined();
    expect({ line: e!.line, path: e!.path }).toEqual({ line, path });
    if (path !== '') expect(e!.column).toBe(column);
  });
});

describe('target market', () => {
  const cases: Array<{ name: string; over: Parameters<typeof customer>[0]; passed: boolean; reason: RegExp }> = [
    { name: 'a business over the revenue floor', over: {}, passed: true, reason: /meets all 2/ },
    { name: 'an individual', over: { kind: 'individual' }, passed: false, reason: /kind is individual; the target market needs kind is one of business/ },
    { name: 'a small business under the floor', over: { revenue: 12000 }, passed: false, reason: /revenue is 12000/ },
    { name: 'unknown revenue', over: { revenue: null }, passed: false, reason: /revenue is unknown/ },
    { name: 'an excluded region', over: { region: 'XX' }, passed: false, reason: /excluded: region is XX/ },
    { name: 'region unknown, so the exclusion cannot be ruled out', over: { region: null }, passed: false, reason: /cannot be ruled out/ },
  ];
  it.each(cases)('$name', ({ over, passed, reason }) => {
    const r = inTargetMarket(fit(), customer(over));
    expect(r.passed).toBe(passed);
    expect(r.reasons.join('; ')).toMatch(reason);
  });
});
