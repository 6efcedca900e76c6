/**
 * The flow-health report of fair cancellation: is leaving easy, and does billing stop? Per channel,
 * for the attempts started in a period: how many started and were confirmed, the median API steps
 * ("clicks": request, decline or accept, confirm) and seconds from start to confirmation, how many
 * were abandoned (asked, neither confirmed nor withdrawn after 24 h), what was shown and what became
 * of it, and post-save regret (an offer accepted, then a cancellation confirmed within 60 days).
 * And the charges made at or after a cancellation took effect: found, refunded by the
 * reconciliation job, and outstanding (must be 0). And the cancel requests customers made in
 * conversations (the agent side): raised, carried out, dismissed, still open, past their same-day
 * due time, and the median hours from the customer's message to the cancellation being carried out.
 */
import { sql } from 'kysely';
import { UnprocessableError } from './errors.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

/** An attempt asked for and left alone this long counts as abandoned. */
export const ABANDONED_AFTER_HOURS = 24;
/** A cancellation confirmed this soon after accepting an offer is post-save regret. */
export const REGRET_WINDOW_DAYS = 60;

export interface ChannelHealth {
  channel: string;
  started: number;
  confirmed: number;
  /** Median API steps the customer took from request to confirmation (null when none confirmed). */
  medianClicks: number | null;
  medianSecondsToConfirm: number | null;
  abandoned: number;
  withdrawn: number;
  reversed: number;
  clarifications: { shown: number; declined: number };
  offers: { shown: number; accepted: number; declined: number };
  /** Accepted offers followed by a confirmed cancellation of the same subscription within 60 days. */
  postSaveRegret: number;
}

export interface CancellationReport {
  from: string;
  to: string;
  channels: ChannelHealth[];
  /** Charges at or after the effective instant of a cancellation in force, made in the period. */
  chargesAfterCancellation: { found: number; refunded: number; outstanding: number };
  /** Cancel requests raised in conversations in the period (the agent side of item 6). */
  cancelRequests: CancelRequestHealth;
}

export interface CancelRequestHealth {
  raised: number;
  carriedOut: number;
  dismissed: number;
  open: number;
  /** Past their due time: carried out or dismissed late, or still open after it. */
  breached: number;
  medianHoursToCarryOut: number | null;
}

interface Row {
  channel: string;
  started: number;
  confirmed: number;
  median_clicks: number | null;
  median_seconds: number | null;
  abandoned: number;
  withdrawn: number;
  reversed: number;
  clarifications_shown: number;
  clarifications_declined: number;
  offers_shown: number;
  offers_accepted: number;
  offers_declined: number;
  regret: number;
}

export async function cancellationReport(scope: TenantScope, range: { from?: string | undefined; to?: string | undefined }, now = new Date()): Promise<CancellationReport> {
  const to = range.to ? new Date(range.to) : now;
  const from = range.from ? new Date(range.from) : new Date(to.getTime() - 90 * 86_400_000);
  if (from.getTime() >= to.getTime()) {
    throw new UnprocessableError('the period is empty: from must be before to', [{ parameter: 'from', detail: 'must be before to' }]);
  }
  const abandonedBefore = new Date(now.getTime() - ABANDONED_AFTER_HOURS * 3_600_000);
  return inTenantTx(scope, async (tx) => {
    const t = scope.tenantId;
    const { rows } = await sql<Row>`
      select k.channel,
        count(*)::int as started,
        count(*) filter (where k.confirmed_at is not null)::int as confirmed,
        (percentile_cont(0.5) within group (order by k.steps) filter (where k.confirmed_at is not null))::float8 as median_clicks,
        (percentile_cont(0.5) within group (order by extract(epoch from k.confirmed_at - k.created_at)) filter (where k.confirmed_at is not null))::float8 as median_seconds,
        count(*) filter (where k.status in ('requested', 'offered', 'clarified') and k.created_at < ${abandonedBefore}::timestamptz)::int as abandoned,
        count(*) filter (where k.status = 'withdrawn' and k.state->>'endedBy' = 'withdraw')::int as withdrawn,
        count(*) filter (where k.status = 'reversed')::int as reversed,
        count(*) filter (where k.state->'shown'->>'kind' = 'clarification')::int as clarifications_shown,
        count(*) filter (where k.state->'shown'->>'kind' = 'clarification' and k.state->'shown'->>'outcome' = 'declined')::int as clarifications_declined,
        count(*) filter (where k.state->'shown'->>'kind' = 'offer')::int as offers_shown,
        count(*) filter (where k.state->'shown'->>'kind' = 'offer' and k.state->'shown'->>'outcome' = 'accepted')::int as offers_accepted,
        count(*) filter (where k.state->'shown'->>'kind' = 'offer' and k.state->'shown'->>'outcome' = 'declined')::int as offers_declined,
        count(*) filter (
          where k.state->'shown'->>'outcome' = 'accepted' and exists (
            select 1 from cancellations later
            where later.tenant_id = k.tenant_id and later.subscription_id = k.subscription_id
              and later.confirmed_at >= k.ended_at and later.confirmed_at < k.ended_at + make_interval(days => ${REGRET_WINDOW_DAYS})
          )
        )::int as regret
      from cancellations k
      where k.tenant_id = ${t} and k.created_at >= ${from}::timestamptz and k.created_at < ${to}::timestamptz
      group by k.channel
      order by k.channel`.execute(tx);

    // The reconciliation job's findings (a refund `refund-of:<charge>`) and what it has not yet found.
    const charges = await sql<{ refunded: number; outstanding: number }>`
      select
        count(*) filter (where refunded)::int as refunded,
        count(*) filter (where not refunded and after_cancellation)::int as outstanding
      from (
        select
          exists (select 1 from charges r where r.tenant_id = c.tenant_id and r.kind = 'refund' and r.external_id = 'refund-of:' || c.id::text) as refunded,
          exists (
            select 1 from cancellations k
            where k.tenant_id = c.tenant_id and k.subscription_id = c.subscription_id
              and k.status in ('confirmed', 'effective') and c.at >= k.effective_at
          ) as after_cancellation
        from charges c
        where c.tenant_id = ${t} and c.kind = 'charge' and c.at >= ${from}::timestamptz and c.at < ${to}::timestamptz
      ) x`.execute(tx);
    const { refunded, outstanding } = charges.rows[0] ?? { refunded: 0, outstanding: 0 };

    const requests = await sql<{ raised: number; carried_out: number; dismissed: number; open: number; breached: number; median_hours: number | null }>`
      select
        count(*)::int as raised,
        count(*) filter (where status = 'carried_out')::int as carried_out,
        count(*) filter (where status = 'dismissed')::int as dismissed,
        count(*) filter (where status = 'open')::int as open,
        count(*) filter (where coalesce(closed_at, ${now}::timestamptz) > due_at)::int as breached,
        (percentile_cont(0.5) within group (order by extract(epoch from closed_at - requested_at) / 3600) filter (where status = 'carried_out'))::float8 as median_hours
      from cancel_requests
      where tenant_id = ${t} and requested_at >= ${from}::timestamptz and requested_at < ${to}::timestamptz`.execute(tx);
    const r = requests.rows[0];

    return {
      from: from.toISOString(),
      to: to.toISOString(),
      channels: rows.map((r) => ({
        channel: r.channel,
        started: r.started,
        confirmed: r.confirmed,
        medianClicks: r.median_clicks === null ? null : Number(r.median_clicks),
        medianSecondsToConfirm: r.median_seconds === null ? null : Math.round(Number(r.median_seconds) * 1000) / 1000,
        abandoned: r.abandoned,
        withdrawn: r.withdrawn,
        reversed: r.reversed,
        clarifications: { shown: r.clarifications_shown, declined: r.clarifications_declined },
        offers: { shown: r.offers_shown, accepted: r.offers_accepted, declined: r.offers_declined },
        postSaveRegret: r.regret,
      })),
      chargesAfterCancellation: { found: refunded + outstanding, refunded, outstanding },
      cancelRequests: {
        raised: r?.raised ?? 0,
        carriedOut: r?.carried_out ?? 0,
        dismissed: r?.dismissed ?? 0,
        open: r?.open ?? 0,
        breached: r?.breached ?? 0,
        medianHoursToCarryOut: r?.median_hours === null || r?.median_hours === undefined ? null : Math.round(Number(r.median_hours) * 100) / 100,
      },
    };
  });
}
