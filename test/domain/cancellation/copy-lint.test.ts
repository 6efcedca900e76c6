import { describe, expect, it } from 'vitest';
import { COPY_DENY_LIST } from '../../../src/domain/cancellation/copy-deny-list.ts';
import { lintCopy, normalizeCopy } from '../../../src/domain/cancellation/copy-lint.ts';

describe('lintCopy', () => {
  it('the deny-list has at least 25 phrases, no duplicates', () => {
    expect(COPY_DENY_LIST.length).toBeGreaterThanOrEqual(25);
    expect(new Set(COPY_DENY_LIST.map(normalizeCopy)).size).toBe(COPY_DENY_LIST.length);
  });
  it.each([
    { text: 'Are you sure you want to lose all your faxes?', found: ['are you sure you want to lose', 'lose all your'] },
    { text: "You'll MISS OUT on great savings", found: ["you'll miss out"] },
    { text: 'You’ll miss\n  out', found: ["you'll miss out"] },
    { text: 'LAST   chance: this price is for today only!', found: ['last chance', 'today only'] },
    { text: "No thanks, I don't want to save money", found: ["no thanks, I don't want to save money", "I don't want to save"] },
    { text: "We'll be sad to see you go.", found: ["we'll be sad to see you go"] },
    { text: 'Only today: 50% off', found: ['only today'] },
    { text: 'Hurry up — offer expires at midnight', found: ['hurry up', 'offer expires'] },
    // Honest copy passes
    { text: 'Cancel now. Your subscription ends on 10 April 2026. No charges after 10 April 2026.', found: [] },
    { text: 'Your price changed from €17.99 to €19.99 a month. Over a year, that is €24.00 more for you.', found: [] },
    { text: 'There is no hurry: you can cancel at any time, commonly today or tomorrow.', found: [] },
  ])('$text', ({ text, found }) => {
    expect(lintCopy(text)).toEqual(found);
  });
  it('every phrase on the list is caught in any case and spacing', () => {
    for (const phrase of COPY_DENY_LIST) {
      expect(lintCopy(`Note: ${phrase.toUpperCase().replace(/ /g, '   ')} (end)`)).toContain(phrase);
    }
  });
  it('accepts another list', () => {
    expect(lintCopy('A gift for loyal customers', ['gift for loyal'])).toEqual(['gift for loyal']);
  });
});
