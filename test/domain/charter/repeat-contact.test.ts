import { describe, expect, it } from 'vitest';
import { CLOSURE_REASONS, closureAllowed, isRepeatContact } from '../../../src/domain/charter/repeat-contact.ts';

const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000);

describe('isRepeatContact', () => {
  const rule = { conversations: 3, days: 14 };
  it.each([
    ['three within 14 days', [day(0), day(5), day(10)], day(10), true],
    ['two within 14 days', [day(5), day(10)], day(10), false],
    ['the oldest exactly 14 days ago falls outside', [day(0), day(7), day(14)], day(14), false],
    ['just inside the window', [new Date(day(0).getTime() + 1), day(7), day(14)], day(14), true],
    ['future times do not count', [day(5), day(10), day(20)], day(10), false],
    ['none', [], day(10), false],
  ] as Array<[string, Date[], Date, boolean]>)('%s', (_name, times, now, expected) => {
    expect(isRepeatContact(rule, times, now)).toBe(expected);
  });
});

describe('closure reasons', () => {
  it('are a fixed list with nothing about contact volume', () => {
    expect(CLOSURE_REASONS).toEqual(['customer_request', 'fraud', 'abuse_of_staff', 'non_payment', 'deceased', 'duplicate_account', 'legal_requirement']);
    for (const r of CLOSURE_REASONS) expect(r).not.toMatch(/contact|call|volume|frequent|ticket/);
  });

  it.each([
    ['customer_request', true],
    ['fraud', true],
    ['too_many_contacts', false],
    ['contact_volume', false],
    ['', false],
    ['FRAUD', false],
  ])('%s → %s', (reason, allowed) => {
    expect(closureAllowed(reason)).toBe(allowed);
  });
});
