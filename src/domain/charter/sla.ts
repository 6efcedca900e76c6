/**
 * SLA clocks: which targets apply to a conversation and where it stands against them.
 *
 * State rules:
 * - a target is `met` when its event (first reply; resolution) happened at or before its due time,
 *   `breached` when it happened later or has not happened and `now` is past the due time, else `pending`;
 *   a conversation resolved without any reply counts its resolution as the first response;
 * - the conversation is `breached` if any target is breached, `met` when both are met,
 *   `at_risk` when a pending target has used at least `atRisk` of its business time, else `on_track`.
 */
import { addBusinessMinutes, businessMinutesBetween, type Calendar } from './business-hours.ts';
import { mostSpecific, type TargetRule } from './targets.ts';

export { severityFor, whenMatches, type NeedFacts } from './severity.ts';

/** Targets of one conversation, in business minutes. */
export interface ConversationTargets {
  firstResponseMinutes: number;
  resolutionMinutes: number;
}

/**
 * The targets for a channel and severity: the most specific rule wins (exact channel + severity,
 * then channel + "*", then "*" + severity, then "*" + "*"). Throws when no rule matches, which a
 * validated charter rules out.
 */
export function targetsFor(entitlements: { targets: readonly TargetRule[] }, conversation: { channel: string; severity: string }): ConversationTargets {
  const rule = mostSpecific(entitlements.targets, conversation.channel, conversation.severity);
  if (!rule) throw new RangeError(`no target for ${conversation.channel} × ${conversation.severity}`);
  return { firstResponseMinutes: rule.firstResponseMinutes, resolutionMinutes: rule.resolutionMinutes };
}

export type SlaState = 'on_track' | 'at_risk' | 'breached' | 'met';
export type TargetState = 'pending' | 'met' | 'breached';

export interface SlaInput {
  openedAt: Date;
  firstReplyAt: Date | null;
  resolvedAt: Date | null;
  targets: ConversationTargets;
  calendar: Calendar;
  /** Fraction of a target's business time after which it is at risk, e.g. 0.75. */
  atRisk: number;
  now: Date;
}

export interface SlaStatus {
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
  state: SlaState;
  firstResponse: TargetState;
  resolution: TargetState;
  /** Business minutes since the conversation opened, up to `now`. */
  businessMinutesElapsed: number;
  /** The largest share of a pending target's business time used so far (0 when none is pending); routing reads this. */
  riskFraction: number;
}

function targetState(doneAt: Date | null, dueAt: Date, now: Date): TargetState {
  if (doneAt) return doneAt.getTime() <= dueAt.getTime() ? 'met' : 'breached';
  return now.getTime() > dueAt.getTime() ? 'breached' : 'pending';
}

/**
 * Due times and state of a conversation's SLA at `now`.
 * @example slaStatus({ openedAt, firstReplyAt: null, resolvedAt: null, targets, calendar, atRisk: 0.75, now })
 */
export function slaStatus(input: SlaInput): SlaStatus {
  const { openedAt, targets, calendar, now } = input;
  const firstResponseDueAt = addBusinessMinutes(openedAt, targets.firstResponseMinutes, calendar);
  const resolutionDueAt = addBusinessMinutes(openedAt, targets.resolutionMinutes, calendar);
  const firstResponse = targetState(input.firstReplyAt ?? input.resolvedAt, firstResponseDueAt, now);
  const resolution = targetState(input.resolvedAt, resolutionDueAt, now);
  const elapsed = businessMinutesBetween(openedAt, now, calendar);
  const fractions: number[] = [];
  if (firstResponse === 'pending') fractions.push(elapsed / targets.firstResponseMinutes);
  if (resolution === 'pending') fractions.push(elapsed / targets.resolutionMinutes);
  const riskFraction = fractions.length ? Math.max(...fractions.map((f) => (Number.isFinite(f) ? f : 1))) : 0;
  let state: SlaState;
  if (firstResponse === 'breached' || resolution === 'breached') state = 'breached';
  else if (firstResponse === 'met' && resolution === 'met') state = 'met';
  else if (riskFraction >= input.atRisk) state = 'at_risk';
  else state = 'on_track';
  return { firstResponseDueAt, resolutionDueAt, state, firstResponse, resolution, businessMinutesElapsed: elapsed, riskFraction };
}
