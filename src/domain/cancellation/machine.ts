/**
 * The cancellation of one subscription as a small state machine, one attempt per state value:
 *
 *   idle ─request→ requested ─show→ offered | clarified ─decline→ requested
 *   requested | offered | clarified ─confirm→ confirmed ─become_effective→ effective
 *   requested | offered | clarified ─withdraw→ withdrawn      offered ─accept_offer→ withdrawn (saved)
 *   confirmed | effective ─reverse_by_customer→ reversed
 *
 * `apply` never throws for a bad event: it returns the reason it was refused, so callers can log and
 * answer with it. The attempt keeps the few subscription facts it needs (period end, start of the
 * contract, policy), so the machine stays a pure function of (state, event).
 */
import { coolingOffEndsAt, effectiveDate, refundFor, type Refund } from './period.ts';
import type { CancellationReason, Channel, RefundPolicy, Subscription, Timing } from './types.ts';

/** Where an attempt is. `idle` is a fresh attempt before the customer asked. */
export type CancellationStatus = 'idle' | 'requested' | 'offered' | 'clarified' | 'confirmed' | 'effective' | 'withdrawn' | 'reversed';

/** The customer asks to cancel (the survey reason is optional). */
export interface RequestEvent {
  type: 'request';
  channel: Channel;
  reason?: CancellationReason | null;
  timing: Timing;
  at: Date;
}
/** A clarification (facts of their own account) or an offer (something else) is put in front of the customer. */
export interface ShowEvent {
  type: 'show';
  kind: 'clarification' | 'offer';
  /** The offered plan, for an offer. */
  planId?: string | null;
}
export interface DeclineEvent { type: 'decline' }
export interface AcceptOfferEvent { type: 'accept_offer' }
export interface ConfirmEvent { type: 'confirm'; at: Date }
export interface BecomeEffectiveEvent { type: 'become_effective'; at: Date }
/** The customer changes their mind before confirming. */
export interface WithdrawEvent { type: 'withdraw' }
/** Only the customer may undo a confirmed cancellation (e.g. "this wasn't me" from the logged-out route's e-mail). */
export interface ReverseByCustomerEvent { type: 'reverse_by_customer' }

export type CancellationEvent =
  | RequestEvent
  | ShowEvent
  | DeclineEvent
  | AcceptOfferEvent
  | ConfirmEvent
  | BecomeEffectiveEvent
  | WithdrawEvent
  | ReverseByCustomerEvent;

/** The one clarification or offer of an attempt, and what became of it. */
export interface Shown {
  kind: 'clarification' | 'offer';
  planId: string | null;
  outcome: 'pending' | 'declined' | 'accepted';
}

/** The subscription facts an attempt needs, frozen when it starts. */
export interface AttemptContext {
  subscriptionId: string;
  startedAt: Date;
  currentPeriodStart: Date;
  currentPeriodEnd: Date;
  priceHistory: Subscription['priceHistory'];
  policy: RefundPolicy;
}

/** One cancellation attempt. */
export interface CancellationState {
  status: CancellationStatus;
  context: AttemptContext;
  channel: Channel | null;
  reason: CancellationReason | null;
  /** The timing the customer chose. */
  timing: Timing | null;
  requestedAt: Date | null;
  /** Asked inside cooling-off: a withdrawal, with no clarification or offer at all. */
  withdrawal: boolean;
  shown: Shown | null;
  confirmedAt: Date | null;
  /** Set at confirmation: from this instant on nothing may be charged. */
  effectiveAt: Date | null;
  refund: Refund | null;
  /** How the attempt ended without a cancellation. */
  endedBy: 'withdraw' | 'accept_offer' | 'reverse_by_customer' | null;
}

export type ApplyResult = { state: CancellationState } | { error: string };

/** A fresh attempt for a subscription under a published policy. */
export function newAttempt(sub: Subscription, policy: RefundPolicy): CancellationState {
  return {
    status: 'idle',
    context: {
      subscriptionId: sub.id,
      startedAt: sub.startedAt,
      currentPeriodStart: sub.currentPeriodStart,
      currentPeriodEnd: sub.currentPeriodEnd,
      priceHistory: sub.priceHistory.map((p) => ({ ...p })),
      policy: { ...policy },
    },
    channel: null,
    reason: null,
    timing: null,
    requestedAt: null,
    withdrawal: false,
    shown: null,
    confirmedAt: null,
    effectiveAt: null,
    refund: null,
    endedBy: null,
  };
}

/** Statuses in which the customer has not yet confirmed. */
const OPEN: ReadonlySet<CancellationStatus> = new Set(['requested', 'offered', 'clarified']);
/** Statuses in which the cancellation is in force: billing must stop at `effectiveAt`. */
export const IN_FORCE: ReadonlySet<CancellationStatus> = new Set(['confirmed', 'effective']);

const TIMINGS: ReadonlySet<string> = new Set(['period_end', 'immediate']);
const CHANNELS: ReadonlySet<string> = new Set(['portal', 'logged_out', 'agent', 'email', 'api']);
const REASONS: ReadonlySet<string> = new Set(['price', 'unused', 'too_expensive', 'missing_feature', 'switching', 'other']);

const isDate = (d: unknown): d is Date => d instanceof Date && !Number.isNaN(d.getTime());
const refuse = (error: string): ApplyResult => ({ error });

/** Whether the cancellation of this attempt is confirmed and not reversed. */
export function isInForce(state: CancellationState): boolean {
  return IN_FORCE.has(state.status) && state.effectiveAt !== null;
}

/**
 * Applies one event to an attempt. Returns the next state, or `{error}` with the reason the event
 * is refused (the state is then unchanged). Never throws, whatever the input.
 */
export function apply(state: CancellationState, event: CancellationEvent): ApplyResult {
  try {
    return step(state, event);
  } catch (e) {
    // Only reachable with malformed input (e.g. a state that is not one); refusal, not a crash.
    return refuse(`malformed input: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function step(state: CancellationState, event: CancellationEvent): ApplyResult {
  if (typeof event !== 'object' || event === null) return refuse('not an event');
  const s = state.status;
  const type: string = event.type;
  switch (event.type) {
    case 'request': {
      if (s !== 'idle') return refuse('this attempt already has a request; a new request starts a new attempt');
      if (!CHANNELS.has(event.channel)) return refuse(`unknown channel: ${String(event.channel)}`);
      if (!TIMINGS.has(event.timing)) return refuse(`unknown timing: ${String(event.timing)}`);
      if (event.reason != null && !REASONS.has(event.reason)) return refuse(`unknown reason: ${String(event.reason)}`);
      if (!isDate(event.at)) return refuse('request needs a valid time');
      const { startedAt, policy } = state.context;
      const at = event.at.getTime();
      const withdrawal = at >= startedAt.getTime() && at < coolingOffEndsAt({ startedAt }, policy).getTime();
      return {
        state: {
          ...state,
          status: 'requested',
          channel: event.channel,
          reason: event.reason ?? null,
          timing: event.timing,
          requestedAt: new Date(at),
          withdrawal,
        },
      };
    }
    case 'show': {
      if (!OPEN.has(s)) return refuse(`nothing may be shown when the attempt is ${s}`);
      // Why: the customer came to cancel; one honest clarification or offer is the most they get.
      if (state.shown !== null) {
        return refuse(
          state.shown.outcome === 'declined'
            ? 'the customer declined; nothing more is shown in this attempt'
            : 'at most one clarification or offer per attempt',
        );
      }
      if (state.withdrawal) return refuse('no clarification or offer during the cooling-off period');
      if (event.kind !== 'clarification' && event.kind !== 'offer') return refuse(`unknown kind: ${String(event.kind)}`);
      // Why: an offer answers a stated need; an unprompted upsell in a cancellation is obstruction.
      if (event.kind === 'offer' && state.reason === null) return refuse('no offer without a reason given by the customer');
      if (event.kind === 'offer' && !event.planId) return refuse('an offer names the plan it offers');
      return {
        state: {
          ...state,
          status: event.kind === 'offer' ? 'offered' : 'clarified',
          shown: { kind: event.kind, planId: event.planId ?? null, outcome: 'pending' },
        },
      };
    }
    case 'decline': {
      if ((s !== 'offered' && s !== 'clarified') || state.shown?.outcome !== 'pending') return refuse('there is nothing to decline');
      return { state: { ...state, status: 'requested', shown: { ...state.shown, outcome: 'declined' } } };
    }
    case 'accept_offer': {
      if (s !== 'offered' || state.shown?.outcome !== 'pending') return refuse('there is no offer to accept');
      // Accepting the offer ends the attempt without a cancellation: the customer stays on the offered plan.
      return { state: { ...state, status: 'withdrawn', shown: { ...state.shown, outcome: 'accepted' }, endedBy: 'accept_offer' } };
    }
    case 'confirm': {
      if (!OPEN.has(s)) return refuse(`cannot confirm an attempt that is ${s}`);
      if (!isDate(event.at)) return refuse('confirm needs a valid time');
      const requestedAt = state.requestedAt;
      if (requestedAt === null || state.timing === null) return refuse('cannot confirm before a request');
      if (event.at.getTime() < requestedAt.getTime()) return refuse('confirmation cannot precede the request');
      const ctx = state.context;
      // The "Cancel now" button sits beside whatever was shown: pressing it declines it.
      const shown = state.shown && state.shown.outcome === 'pending' ? { ...state.shown, outcome: 'declined' as const } : state.shown;
      // Cooling-off is judged at the request (the customer exercised the right then), the effect at confirmation.
      const judgedAt = state.withdrawal ? requestedAt : event.at;
      const effectiveAt = state.withdrawal ? new Date(event.at.getTime()) : effectiveDate(ctx, state.timing, event.at, ctx.policy);
      const refund = refundFor(ctx, state.withdrawal ? 'immediate' : state.timing, judgedAt, ctx.policy);
      return { state: { ...state, status: 'confirmed', shown, confirmedAt: new Date(event.at.getTime()), effectiveAt, refund } };
    }
    case 'become_effective': {
      if (s !== 'confirmed' || state.effectiveAt === null) return refuse(`only a confirmed cancellation becomes effective (this one is ${s})`);
      if (!isDate(event.at)) return refuse('become_effective needs a valid time');
      if (event.at.getTime() < state.effectiveAt.getTime()) return refuse('not yet: the effective date has not come');
      return { state: { ...state, status: 'effective' } };
    }
    case 'withdraw': {
      if (IN_FORCE.has(s)) return refuse('a confirmed cancellation can only be reversed by the customer');
      if (!OPEN.has(s)) return refuse(`cannot withdraw an attempt that is ${s}`);
      return { state: { ...state, status: 'withdrawn', endedBy: 'withdraw' } };
    }
    case 'reverse_by_customer': {
      if (!IN_FORCE.has(s)) return refuse(`only a confirmed cancellation can be reversed (this one is ${s})`);
      return { state: { ...state, status: 'reversed', endedBy: 'reverse_by_customer' } };
    }
    default:
      return refuse(`unknown event: ${type}`);
  }
}

/** Applies events in order, stopping at the first refusal (handy for tests and replaying a log). */
export function applyAll(state: CancellationState, events: readonly CancellationEvent[]): ApplyResult {
  let current = state;
  for (const event of events) {
    const r = apply(current, event);
    if ('error' in r) return r;
    current = r.state;
  }
  return { state: current };
}
