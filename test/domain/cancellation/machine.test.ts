import { describe, expect, it } from 'vitest';
import { apply, applyAll, newAttempt, type CancellationEvent, type CancellationState } from '../../../src/domain/cancellation/machine.ts';
import { DEFAULT_REFUND_POLICY } from '../../../src/domain/cancellation/types.ts';
import { d, sub } from './fixtures.ts';

const start = (): CancellationState => newAttempt(sub(), DEFAULT_REFUND_POLICY);
/** Started on 10 March 2026: a request before the 24th is inside cooling-off. */
const fresh = (): CancellationState =>
  newAttempt(sub({ startedAt: d('2026-03-10T00:00:00Z'), priceHistory: [{ priceMinor: 1999, from: d('2026-03-10T00:00:00Z') }] }), DEFAULT_REFUND_POLICY);

const request = (reason: 'price' | 'unused' | null = 'unused', at = '2026-03-25T12:00:00Z', timing: 'period_end' | 'immediate' = 'period_end'): CancellationEvent => ({
  type: 'request',
  channel: 'portal',
  reason,
  timing,
  at: d(at),
});
const offer: CancellationEvent = { type: 'show', kind: 'offer', planId: 'basic-m' };
const clarify: CancellationEvent = { type: 'show', kind: 'clarification' };
const decline: CancellationEvent = { type: 'decline' };
const confirm = (at = '2026-03-25T12:01:00Z'): CancellationEvent => ({ type: 'confirm', at: d(at) });
const effective = (at = '2026-04-10T00:00:00Z'): CancellationEvent => ({ type: 'become_effective', at: d(at) });

describe('cancellation machine: paths that succeed', () => {
  it.each([
    { name: 'straight to done', init: start, events: [request(null), confirm(), effective()], status: 'effective' },
    { name: 'offer declined, then confirmed', init: start, events: [request('unused'), offer, decline, confirm()], status: 'confirmed' },
    { name: 'clarification, then confirm (the button beside it declines it)', init: start, events: [request('price'), clarify, confirm()], status: 'confirmed' },
    { name: 'clarification, then the customer keeps the subscription', init: start, events: [request('price'), clarify, { type: 'withdraw' }], status: 'withdrawn' },
    { name: 'offer accepted ends the attempt', init: start, events: [request('unused'), offer, { type: 'accept_offer' }], status: 'withdrawn' },
    { name: 'withdrawn before confirming', init: start, events: [request(), { type: 'withdraw' }], status: 'withdrawn' },
    { name: 'reversed by the customer after confirming', init: start, events: [request(), confirm(), { type: 'reverse_by_customer' }], status: 'reversed' },
    { name: 'reversed by the customer after it took effect', init: start, events: [request(), confirm(), effective(), { type: 'reverse_by_customer' }], status: 'reversed' },
    { name: 'cooling-off withdrawal confirmed', init: fresh, events: [request('price', '2026-03-15T10:00:00Z'), confirm('2026-03-15T10:00:30Z')], status: 'confirmed' },
  ] satisfies Array<{ name: string; init: () => CancellationState; events: CancellationEvent[]; status: string }>)('$name', ({ init, events, status }) => {
    const r = applyAll(init(), events);
    if ('error' in r) throw new Error(r.error);
    expect(r.state.status).toBe(status);
  });
});

describe('cancellation machine: refusals (with the reason)', () => {
  it.each([
    { name: 'a second offer', init: start, events: [request(), offer, decline, offer], error: 'declined' },
    { name: 'a clarification after a declined offer', init: start, events: [request(), offer, decline, clarify], error: 'declined' },
    { name: 'two at once', init: start, events: [request(), clarify, offer], error: 'at most one' },
    { name: 'anything in cooling-off', init: fresh, events: [request('price', '2026-03-15T10:00:00Z'), clarify], error: 'cooling-off' },
    { name: 'an offer without a reason', init: start, events: [request(null), offer], error: 'without a reason' },
    { name: 'an offer that names no plan', init: start, events: [request(), { type: 'show', kind: 'offer' }], error: 'names the plan' },
    { name: 'withdrawing a confirmed cancellation', init: start, events: [request(), confirm(), { type: 'withdraw' }], error: 'only be reversed by the customer' },
    { name: 'withdrawing an effective cancellation', init: start, events: [request(), confirm(), effective(), { type: 'withdraw' }], error: 'only be reversed by the customer' },
    { name: 'showing after confirmation', init: start, events: [request(), confirm(), clarify], error: 'confirmed' },
    { name: 'becoming effective early', init: start, events: [request(), confirm(), effective('2026-04-09T23:59:59Z')], error: 'not yet' },
    { name: 'confirming before the request', init: start, events: [request(), confirm('2026-03-25T11:00:00Z')], error: 'precede' },
    { name: 'confirming without a request', init: start, events: [confirm()], error: 'idle' },
    { name: 'a second request in the same attempt', init: start, events: [request(), request()], error: 'new attempt' },
    { name: 'declining nothing', init: start, events: [request(), decline], error: 'nothing to decline' },
    { name: 'accepting a clarification as an offer', init: start, events: [request('price'), clarify, { type: 'accept_offer' }], error: 'no offer' },
    { name: 'reversing what was never confirmed', init: start, events: [request(), { type: 'reverse_by_customer' }], error: 'only a confirmed' },
    { name: 'anything after a reversal', init: start, events: [request(), confirm(), { type: 'reverse_by_customer' }, confirm('2026-03-26T00:00:00Z')], error: 'reversed' },
  ] satisfies Array<{ name: string; init: () => CancellationState; events: CancellationEvent[]; error: string }>)('$name', ({ init, events, error }) => {
    const r = applyAll(init(), events);
    expect('error' in r ? r.error : `accepted: ${r.state.status}`).toContain(error);
  });

  it('never throws on malformed events or states', () => {
    const s = start();
    const bad: unknown[] = [null, undefined, 42, 'confirm', {}, { type: 'explode' }, { type: 'confirm', at: 'tomorrow' }, { type: 'confirm', at: new Date(NaN) }, { type: 'request', channel: 'fax', timing: 'now', at: new Date() }];
    for (const e of bad) expect(apply(s, e as CancellationEvent)).toHaveProperty('error');
    expect(apply(null as unknown as CancellationState, confirm())).toHaveProperty('error');
  });
});

describe('cancellation machine: what a confirmation records', () => {
  it('period end: effective at the end of the paid period, no refund', () => {
    const r = applyAll(start(), [request('unused', '2026-03-25T12:00:00Z', 'period_end'), offer, confirm()]);
    if ('error' in r) throw new Error(r.error);
    expect(r.state.effectiveAt?.toISOString()).toBe('2026-04-10T00:00:00.000Z');
    expect(r.state.refund).toMatchObject({ amountMinor: 0, basis: 'none_period_end' });
    expect(r.state.shown).toEqual({ kind: 'offer', planId: 'basic-m', outcome: 'declined' });
  });
  it('immediate: effective at confirmation, prorated refund', () => {
    const r = applyAll(start(), [request(null, '2026-03-25T12:00:00Z', 'immediate'), confirm('2026-03-25T12:00:00Z')]);
    if ('error' in r) throw new Error(r.error);
    expect(r.state.effectiveAt?.toISOString()).toBe('2026-03-25T12:00:00.000Z');
    expect(r.state.refund).toMatchObject({ amountMinor: 967, basis: 'prorated' });
  });
  it('cooling-off: a withdrawal, judged at the request even if confirmed after the period ends', () => {
    const r = applyAll(fresh(), [request(null, '2026-03-23T23:59:00Z'), confirm('2026-03-24T00:01:00Z')]);
    if ('error' in r) throw new Error(r.error);
    expect(r.state.withdrawal).toBe(true);
    expect(r.state.effectiveAt?.toISOString()).toBe('2026-03-24T00:01:00.000Z');
    expect(r.state.refund).toMatchObject({ amountMinor: 1999, basis: 'cooling_off_full' });
  });
  it('a refused event leaves the state as it was', () => {
    const r = applyAll(start(), [request(), offer, decline]);
    if ('error' in r) throw new Error(r.error);
    const before = structuredClone(r.state);
    expect(apply(r.state, offer)).toHaveProperty('error');
    expect(r.state).toEqual(before);
  });
});
