import { describe, expect, it } from 'vitest';
import type { Consent } from '../../src/contracts/consents.ts';
import type { Cancellation } from '../../src/contracts/subscriptions.ts';
import { creditResultWords, hardCheckBlocked, liveWords, liveWordsForCustomer, recordedByWords, screenEvidenceWords } from '../../web/src/consents/words.ts';
import { buildTimeline, cancellationLine, confirmationLine, consentLine } from '../../web/src/console/timeline.ts';

const consent = (over: Partial<Consent> = {}): Consent => ({
  id: '0193a000-0000-7000-8000-000000000001',
  customerId: '0193a000-0000-7000-8000-0000000000c1',
  purpose: 'hard_credit_inquiry',
  status: 'granted',
  scope: 'one hard inquiry for the card',
  evidence: { messageId: '0193a000-0000-7000-8000-0000000000m1', screenVersion: null, textHash: null },
  at: '2026-11-01T10:00:00.000Z',
  expiresAt: '2026-12-01T10:00:00.000Z',
  recordedBy: 'agent:a1',
  live: true,
  ...over,
});

const cancellation = (over: Partial<Cancellation> = {}): Cancellation => ({
  id: 'c1',
  subscriptionId: 's1',
  reference: 'CAN-1',
  status: 'confirmed',
  channel: 'portal',
  reason: null,
  timing: 'period_end',
  withdrawal: false,
  clarification: null,
  offer: null,
  shownOutcome: null,
  effectiveAt: '2026-12-10T00:00:00.000Z',
  refund: { amountMinor: 0, currency: 'GBP', basis: 'none_period_end' },
  steps: 2,
  createdAt: '2026-11-05T09:00:00.000Z',
  confirmedAt: '2026-11-05T09:01:00.000Z',
  endedAt: null,
  ...over,
});

describe('consents in words', () => {
  it.each([
    [{ status: 'refused', consentId: 'x', expiresAt: null }, 'Refused'],
    [{ status: 'withdrawn', consentId: 'x', expiresAt: null }, 'Withdrawn'],
    [{ status: 'used', consentId: 'x', expiresAt: null }, 'Used: a hard check relied on it; the customer must agree again for another'],
    [{ status: 'none', consentId: null, expiresAt: null }, 'Not asked: nothing recorded'],
    [{ status: 'granted', consentId: 'x', expiresAt: null }, 'Granted (no end date)'],
  ] as const)('live %j', (live, words) => expect(liveWords(live)).toBe(words));

  it('a grant says until when, to staff and to the customer', () => {
    expect(liveWords({ status: 'granted', consentId: 'x', expiresAt: '2026-12-01T10:00:00Z' })).toMatch(/^Granted until /);
    expect(liveWordsForCustomer({ status: 'granted', consentId: 'x', expiresAt: '2026-12-01T10:00:00Z' })).toMatch(/^You agreed, until /);
    expect(liveWordsForCustomer({ status: 'withdrawn', consentId: 'x', expiresAt: null })).toBe('You withdrew your consent');
  });

  it.each([
    [undefined, 'No hard check: the customer has not agreed to one. Record the customer\'s answer first, or use the estimate.'],
    [{ status: 'withdrawn', consentId: 'x', expiresAt: null }, 'No hard check: the customer withdrew their consent. Record the customer\'s answer first, or use the estimate.'],
    [{ status: 'used', consentId: 'x', expiresAt: null }, 'No hard check: their consent was used by an earlier hard check. Record the customer\'s answer first, or use the estimate.'],
    [{ status: 'granted', consentId: 'x', expiresAt: null }, null],
  ] as const)('hard check with %j', (live, words) => expect(hardCheckBlocked(live)).toBe(words));

  it('names who recorded it, and the screen evidence', () => {
    const agents = new Map([['a1', 'Robin']]);
    expect(recordedByWords('agent:a1', agents)).toBe('Robin');
    expect(recordedByWords('agent:zz', agents)).toBe('an agent');
    expect(recordedByWords('customer:c1')).toBe('the customer (in the portal)');
    expect(recordedByWords('token:t1')).toBe('an API token');
    expect(recordedByWords('you')).toBe('you');
    expect(screenEvidenceWords({ messageId: null, screenVersion: 'portal-consents/1', textHash: 'abcdef0123456789'.repeat(4) })).toBe('screen version portal-consents/1, text hash abcdef012345…');
    expect(screenEvidenceWords({ messageId: 'm', screenVersion: null, textHash: null })).toBeNull();
  });

  it('says an estimate and a bureau answer in a line', () => {
    const base = { reference: null, statement: '', factsUsed: [] };
    expect(creditResultWords({ ...base, source: 'estimate', simulated: false, bureau: null, score: null, band: 'good' })).toBe('Estimate: good.');
    expect(creditResultWords({ ...base, source: 'bureau', simulated: true, bureau: 'simulated', score: 712, band: 'very_good' })).toBe('Simulated bureau: score 712, very good.');
  });
});

describe('the timeline with consents and cancellations', () => {
  it('puts consents and each cancellation with its confirmation in the journey, newest first', () => {
    const agents = new Map([['a1', 'Robin']]);
    const entries = buildTimeline({
      conversations: [],
      subscriptions: [],
      notices: [],
      invoices: [],
      plans: [],
      agents,
      consents: [consent({ id: 'w', status: 'withdrawn', at: '2026-11-03T10:00:00.000Z', expiresAt: null, recordedBy: 'customer:c1', live: false }), consent()],
      cancellations: [cancellation(), cancellation({ id: 'c2', status: 'withdrawn', channel: 'agent', reason: 'too_expensive', createdAt: '2026-11-02T00:00:00.000Z', confirmedAt: null, effectiveAt: null, refund: null })],
    });
    expect(entries.map((e) => [e.kind, e.key])).toEqual([
      ['Cancellation', 'confirmation:c1'],
      ['Cancellation', 'cancellation:c1'],
      ['Consent', 'consent:w'],
      ['Cancellation', 'cancellation:c2'],
      ['Consent', 'consent:0193a000-0000-7000-8000-000000000001'],
    ]);
    expect(entries[1]!.line).toBe('Asked to cancel a subscription in the portal — confirmed');
    expect(entries[3]!.line).toBe('Asked to cancel a subscription through an agent (reason: too expensive) — withdrawn by the customer');
  });

  it('words a consent, a request and a confirmation', () => {
    expect(consentLine(consent({ expiresAt: null }), new Map([['a1', 'Robin']]))).toBe('Hard credit check — granted by Robin: one hard inquiry for the card');
    expect(cancellationLine(cancellation({ status: 'withdrawn', shownOutcome: 'accepted' }), 'BB-1')).toBe('Asked to cancel BB-1 in the portal — kept: the customer took the offer');
    expect(confirmationLine(cancellation(), 'BB-1')).toMatch(/^Cancellation CAN-1 of BB-1 confirmed: ends .+; no refund due$/);
    expect(confirmationLine(cancellation({ refund: { amountMinor: 1250, currency: 'GBP', basis: 'prorated' } }), 'BB-1').replace(/\u00a0/g, ' ')).toMatch(/; refund £12\.50$/);
  });
});
