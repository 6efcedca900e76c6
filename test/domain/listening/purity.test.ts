import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analyzeConversation, type InputConversation } from '../../../src/domain/listening/index.ts';

const base = (): Array<Record<string, unknown>> => [
  { role: 'agent', text: 'Would you like to donate to Save the Children?' },
  { role: 'customer', text: "No, I can't afford it. Maybe later." },
  { role: 'agent', text: 'Even $1 helps! How much would you like to give?' },
  { role: 'customer', text: 'I want to cancel my subscription please.' },
];

/** A message whose `gold` and `raw` throw when read. */
function trap(m: Record<string, unknown>): Record<string, unknown> {
  const o = { ...m };
  for (const key of ['gold', 'raw']) {
    Object.defineProperty(o, key, { enumerable: true, get: () => { throw new Error(`${key} was read`); } });
  }
  return o;
}

describe('the analyzer never reads gold or raw', () => {
  it('works when reading them would throw', () => {
    const conv = { id: 'c', messages: base().map(trap) } as unknown as InputConversation;
    Object.defineProperty(conv, 'gold', { enumerable: true, get: () => { throw new Error('gold was read'); } });
    expect(() => analyzeConversation(conv)).not.toThrow();
  });

  it('gives the same output whatever gold and raw say, and ignores unknown keys', () => {
    const plain = analyzeConversation({ id: 'c', messages: base() as unknown as InputConversation['messages'] });
    const withGold = analyzeConversation({
      id: 'c',
      gold: { push_after_refusal: false },
      messages: base().map((m, i) => ({ ...m, gold: i % 2 ? ['refusal'] : ['sales_ask'], raw: ['x'], at: '2020-01-01', extra: { nested: true } })),
    } as unknown as InputConversation);
    const otherGold = analyzeConversation({
      id: 'c',
      gold: { push_after_refusal: true },
      messages: base().map((m) => ({ ...m, gold: [], raw: [] })),
    } as unknown as InputConversation);
    expect(withGold).toEqual(plain);
    expect(otherGold).toEqual(plain);
  });
});

describe('spans', () => {
  const role = fc.constantFrom('customer', 'agent', 'system');
  const word = fc.constantFrom('no', 'thanks', 'cancel', 'my', 'account', 'please', 'card', 'number', 'donate', "can't", 'afford',
    'why?', 'so', 'you', 'feel', 'offer', '50%', 'off', '$5', '😀', 'don’t', '\n', '  ', 'credit', 'check', 'consent', 'yes', 'go ahead', '...', 'é', '@brand');
  const text = fc.oneof(fc.array(word, { maxLength: 25 }).map((ws) => ws.join(' ')), fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 40 }));
  it('every span lies inside its message and slices its text', () => {
    fc.assert(fc.property(fc.array(fc.record({ role, text }), { maxLength: 8 }), (messages) => {
      const out = analyzeConversation({ messages: messages as InputConversation['messages'] });
      expect(out.messages).toHaveLength(messages.length);
      expect(out.listeningScore).toBeGreaterThanOrEqual(0);
      expect(out.listeningScore).toBeLessThanOrEqual(100);
      for (const f of out.findings) {
        for (const s of f.spans) {
          const t = messages[s.message]?.text;
          expect(t).toBeTypeOf('string');
          expect(s.start).toBeGreaterThanOrEqual(0);
          expect(s.end).toBeGreaterThanOrEqual(s.start);
          expect(s.end).toBeLessThanOrEqual((t ?? '').length);
          expect(f.messages).toContain(s.message);
        }
      }
    }), { numRuns: 300 });
  });
  it('a finding span slices the words that show it', () => {
    const text = "Hello. No thanks, I can't afford it right now.";
    const out = analyzeConversation({ messages: [{ role: 'agent', text: 'Would you like to donate today?' }, { role: 'customer', text }, { role: 'agent', text: 'How much would you like to donate?' }] });
    const f = out.findings.find((x) => x.type === 'push_after_refusal');
    const s = f?.spans[0];
    expect(s).toBeDefined();
    if (s !== undefined) expect(text.slice(s.start, s.end)).toMatch(/No thanks|afford/);
  });
});
