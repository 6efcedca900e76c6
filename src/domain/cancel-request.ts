/**
 * The clock of a cancel request raised in a conversation: it is due by the end of the same business
 * day. Pure: data in, data out.
 *
 * - With a charter, "business day" is the charter's: the closing time of the local day the request
 *   falls in, in the charter's time zone, holidays closed; a request that arrives while closed is
 *   due at the closing time of the next business day.
 * - Without a charter, it is the end of the UTC calendar day (24:00 UTC).
 * - At risk once the share of the time (business time with a charter, real time without) between
 *   the request and its due time reaches `atRisk` (the charter's, 0.75 by default); breached after
 *   the due time; met when closed (carried out or dismissed) by then.
 */
import { businessMinutesBetween, endOfBusinessDay, type Calendar } from './charter/business-hours.ts';

export type CancelRequestSlaState = 'on_track' | 'at_risk' | 'breached' | 'met';

const DAY_MS = 86_400_000;

/** The at-risk share used when there is no charter (the charter's own default). */
export const DEFAULT_AT_RISK = 0.75;

/** When a cancel request made at `requestedAt` is due. */
export function cancelRequestDueAt(requestedAt: Date, calendar: Calendar | null): Date {
  if (calendar) return endOfBusinessDay(requestedAt, calendar);
  return new Date((Math.floor(requestedAt.getTime() / DAY_MS) + 1) * DAY_MS);
}

export interface CancelRequestClock {
  requestedAt: Date;
  dueAt: Date;
  /** When it was carried out or dismissed; null while open. */
  closedAt: Date | null;
  calendar: Calendar | null;
  atRisk: number;
  now: Date;
}

/** The badge of a cancel request at `now`, like the other SLA badges. */
export function cancelRequestSlaState(c: CancelRequestClock): CancelRequestSlaState {
  const due = c.dueAt.getTime();
  if (c.closedAt) return c.closedAt.getTime() <= due ? 'met' : 'breached';
  if (c.now.getTime() > due) return 'breached';
  const [used, total] = c.calendar
    ? [businessMinutesBetween(c.requestedAt, c.now, c.calendar), businessMinutesBetween(c.requestedAt, c.dueAt, c.calendar)]
    : [c.now.getTime() - c.requestedAt.getTime(), due - c.requestedAt.getTime()];
  const share = total > 0 ? used / total : 1;
  return share >= c.atRisk ? 'at_risk' : 'on_track';
}
