/**
 * Property tests over random event sequences: whatever order customers, agents and jobs send events in,
 * the fairness rules hold.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chargesToRefund, mayCharge } from '../../../src/domain/cancellation/billing-rules.ts';
import { apply, IN_FORCE, newAttempt, type CancellationEvent, type CancellationState } from '../../../src/domain/cancellation/machine.ts';
import { inCoolingOff } from '../../../src/domain/cancellation/period.ts';
import { lintCopy } from '../../../src/domain/cancellation/copy-lint.ts';
import { covers, peakMonthlyUsage, whatMayBeShown } from '../../../src/domain/cancellation/what-may-be-shown.ts';
import { DEFAULT_REFUND_POLICY, type CancellationReason, type Charge, type RefundPolicy, type Subscription } from '../../../src/domain/cancellation/types.ts';
import { CATALOG, PRO_MONTHLY, sub } from './fixtures.ts';

const BASE = Date.UTC(2026, 2, 10); // 2026-03-10
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A subscription that started 0–40 days before BASE (so requests land in and out of cooling-off), 30-day periods. */
const subscriptionArb: fc.Arbitrary<Subscription> = fc
  .record({
    startedDaysAgo: fc.integer({ min: 0, max: 40 }),
    periodOffsetDays: fc.integer({ min: 0, max: 29 }),
    price: fc.integer({ min: 0, max: 100_000 }),
    // Sometimes a later price change, in the past or announced ahead.
    change: fc.option(fc.record({ price: fc.integer({ min: 0, max: 100_000 }), dayOffset: fc.integer({ min: -300, max: 60 }) }), { nil: null }),
  })
  .map(({ startedDaysAgo, periodOffsetDays, price, change }) =>
    sub({
      startedAt: new Date(BASE - startedDaysAgo * DAY),
      currentPeriodStart: new Date(BASE - periodOffsetDays * DAY),
      currentPeriodEnd: new Date(BASE + (30 - periodOffsetDays) * DAY),
      priceHistory: [
        { priceMinor: price, from: new Date(BASE - 400 * DAY) },
        ...(change ? [{ priceMinor: change.price, from: new Date(BASE + change.dayOffset * DAY) }] : []),
      ],
    }),
  );
const policyArb: fc.Arbitrary<RefundPolicy> = fc.record({ immediateRefund: fc.constantFrom('prorated' as const, 'none' as const), coolingOffDays: fc.constantFrom(0, 14) });
const timeArb = fc.integer({ min: -2 * 24, max: 45 * 24 }).map((h) => new Date(BASE + h * HOUR));
const reasonArb = fc.constantFrom<CancellationReason | null>(null, 'price', 'unused', 'too_expensive', 'other', 'switching', 'missing_feature');

const eventArb: fc.Arbitrary<CancellationEvent> = fc.oneof(
  fc.record({
    type: fc.constant('request' as const),
    channel: fc.constantFrom('portal' as const, 'logged_out' as const, 'agent' as const, 'email' as const, 'api' as const),
    reason: reasonArb,
    timing: fc.constantFrom('period_end' as const, 'immediate' as const),
    at: timeArb,
  }),
  fc.record({ type: fc.constant('show' as const), kind: fc.constantFrom('clarification' as const, 'offer' as const), planId: fc.constantFrom('basic-m', 'starter-m', null) }),
  fc.constant<CancellationEvent>({ type: 'decline' }),
  fc.constant<CancellationEvent>({ type: 'accept_offer' }),
  fc.record({ type: fc.constant('confirm' as const), at: timeArb }),
  fc.record({ type: fc.constant('become_effective' as const), at: timeArb }),
  fc.constant<CancellationEvent>({ type: 'withdraw' }),
  fc.constant<CancellationEvent>({ type: 'reverse_by_customer' }),
);

/** Request first most of the time, so sequences get past `idle`; then anything, in any order. */
const sequenceArb = fc.tuple(eventArb.filter((e) => e.type === 'request'), fc.array(eventArb, { maxLength: 25 }), fc.boolean()).map(([req, rest, lead]) => (lead ? [req, ...rest] : rest));

interface Step {
  event: CancellationEvent;
  before: CancellationState;
  after: CancellationState;
  accepted: boolean;
}

function run(s: Subscription, policy: RefundPolicy, events: CancellationEvent[]): Step[] {
  let state = newAttempt(s, policy);
  const steps: Step[] = [];
  for (const event of events) {
    const r = apply(state, event);
    const after = 'state' in r ? r.state : state;
    steps.push({ event, before: state, after, accepted: 'state' in r });
    state = after;
  }
  return steps;
}

const PARAMS = { numRuns: 400 };

describe('cancellation properties over random event sequences', () => {
  it('the generators reach every status, shows, declines and cooling-off (so the properties are not vacuous)', () => {
    const seen = new Set<string>();
    const samples = fc.sample(fc.tuple(subscriptionArb, policyArb, sequenceArb), { numRuns: 2000, seed: 42 });
    for (const [s, policy, events] of samples) {
      for (const st of run(s, policy, events)) {
        if (st.accepted) seen.add(`${st.event.type}→${st.after.status}`);
        if (st.after.withdrawal && st.after.status === 'confirmed') seen.add('cooling-off withdrawal');
        if (st.after.shown?.outcome === 'declined') seen.add('declined');
      }
    }
    for (const k of ['show→offered', 'show→clarified', 'decline→requested', 'accept_offer→withdrawn', 'confirm→confirmed', 'become_effective→effective', 'withdraw→withdrawn', 'reverse_by_customer→reversed', 'cooling-off withdrawal', 'declined']) {
      expect(seen).toContain(k);
    }
  });

  it('never more than one clarification or offer in an attempt', () => {
    fc.assert(
      fc.property(subscriptionArb, policyArb, sequenceArb, (s, policy, events) => {
        const shows = run(s, policy, events).filter((st) => st.accepted && st.event.type === 'show');
        expect(shows.length).toBeLessThanOrEqual(1);
      }),
      PARAMS,
    );
  });

  it('a declined one is never shown again in that attempt', () => {
    fc.assert(
      fc.property(subscriptionArb, policyArb, sequenceArb, (s, policy, events) => {
        let declined = false;
        for (const st of run(s, policy, events)) {
          if (st.accepted && st.event.type === 'show') expect(declined).toBe(false);
          if (st.after.shown?.outcome === 'declined') declined = true;
        }
      }),
      PARAMS,
    );
  });

  it('nothing is shown when the request came inside cooling-off', () => {
    fc.assert(
      fc.property(subscriptionArb, policyArb, sequenceArb, (s, policy, events) => {
        for (const st of run(s, policy, events)) {
          if (st.after.requestedAt) expect(st.after.withdrawal).toBe(inCoolingOff(s, st.after.requestedAt, policy));
          if (st.accepted && st.event.type === 'show') expect(st.before.withdrawal).toBe(false);
          if (st.after.withdrawal) expect(st.after.shown).toBeNull();
        }
      }),
      PARAMS,
    );
  });

  it('a confirmed cancellation is never undone except by reverse_by_customer', () => {
    fc.assert(
      fc.property(subscriptionArb, policyArb, sequenceArb, (s, policy, events) => {
        for (const st of run(s, policy, events)) {
          if (!IN_FORCE.has(st.before.status)) continue;
          if (IN_FORCE.has(st.after.status)) {
            // Still in force: only confirmed → effective may happen, and the effective instant never moves.
            expect(st.after.effectiveAt?.getTime()).toBe(st.before.effectiveAt?.getTime());
            if (st.after.status !== st.before.status) expect(st.event.type).toBe('become_effective');
          } else {
            expect(st.event.type).toBe('reverse_by_customer');
            expect(st.after.status).toBe('reversed');
          }
        }
      }),
      PARAMS,
    );
  });

  it('nothing may be charged at or after the effective date, and reconciliation finds exactly those charges', () => {
    const chargeTimes = fc.array(fc.integer({ min: -5 * 24, max: 90 * 24 }), { maxLength: 12 });
    fc.assert(
      fc.property(subscriptionArb, policyArb, sequenceArb, chargeTimes, (s, policy, events, hours) => {
        const charges: Charge[] = hours.map((h, i) => ({ id: `c${i}`, subscriptionId: s.id, at: new Date(BASE + h * HOUR), amountMinor: 100, currency: 'EUR' }));
        for (const st of run(s, policy, events)) {
          const c = st.after;
          if (!IN_FORCE.has(c.status)) continue;
          const line = c.effectiveAt!.getTime();
          expect(line).toBeGreaterThanOrEqual(c.requestedAt!.getTime());
          for (const ch of charges) expect(mayCharge(s, c, ch.at)).toBe(ch.at.getTime() < line);
          expect(chargesToRefund(charges, c).map((x) => x.id)).toEqual(charges.filter((x) => x.at.getTime() >= line).map((x) => x.id));
          const paid = Math.max(...s.priceHistory.map((p) => p.priceMinor));
          expect(Number.isInteger(c.refund!.amountMinor)).toBe(true);
          expect(c.refund!.amountMinor).toBeGreaterThanOrEqual(0);
          expect(c.refund!.amountMinor).toBeLessThanOrEqual(paid);
        }
      }),
      PARAMS,
    );
  });

  it('apply never throws, whatever it is given', () => {
    fc.assert(
      fc.property(subscriptionArb, fc.array(fc.oneof(eventArb.map((e) => e as unknown), fc.anything()), { maxLength: 10 }), (s, events) => {
        let state = newAttempt(s, DEFAULT_REFUND_POLICY);
        for (const e of events) {
          const r = apply(state, e as CancellationEvent);
          if ('state' in r) state = r.state;
          else expect(typeof r.error).toBe('string');
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('what may be shown: properties', () => {
  const usageArb = fc.array(
    fc.record({
      month: fc.constantFrom('2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04'),
      units: fc.record({ fax_pages: fc.integer({ min: 0, max: 1200 }), cover_pages: fc.integer({ min: 0, max: 3 }), api_calls: fc.integer({ min: 0, max: 2 }) }, { requiredKeys: [] }),
    }),
    { maxLength: 6 },
  );
  it('only for a matching reason, never in cooling-off, only genuinely better, copy without pressure', () => {
    const kinds = new Set<string>();
    fc.assert(
      fc.property(subscriptionArb, policyArb, reasonArb, timeArb, usageArb, (s, policy, reason, at, usage) => {
        const shown = whatMayBeShown({ subscription: s, plan: PRO_MONTHLY, catalog: CATALOG, usage, reason, at, policy });
        if (shown === null) return;
        kinds.add(shown.kind);
        expect(inCoolingOff(s, at, policy)).toBe(false);
        if (shown.kind === 'clarification') {
          expect(reason).toBe('price');
          expect(shown.facts.newPriceMinor).not.toBe(shown.facts.oldPriceMinor);
          expect(lintCopy(`${shown.headline} ${shown.body}`)).toEqual([]);
        } else {
          expect(['unused', 'too_expensive']).toContain(reason);
          expect(shown.yearlySavingMinor).toBeGreaterThan(0);
          const offered = CATALOG.find((p) => p.id === shown.planId)!;
          expect(offered.productId).toBe(PRO_MONTHLY.productId);
          expect(offered.currency).toBe(PRO_MONTHLY.currency);
          expect(covers(offered, peakMonthlyUsage(usage, at))).toBe(true);
          expect(lintCopy(`${shown.headline} ${shown.why}`)).toEqual([]);
        }
      }),
      { ...PARAMS, seed: 7 },
    );
    // Both kinds were actually produced and checked.
    expect([...kinds].sort()).toEqual(['clarification', 'offer']);
  });
});
