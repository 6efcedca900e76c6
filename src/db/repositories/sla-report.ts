import { sql } from 'kysely';
import type { Tx } from '../with-tenant.ts';

/** One group of the SLA-over-time query: a bucket × channel, a bucket, a channel, or the whole period. */
export interface SlaGroup {
  /** The bucket's own start (one of `bucketStarts`), null in the channel and whole-period groups. */
  bucket: Date | null;
  channel: string | null;
  conversations: number;
  frMet: number;
  frDecided: number;
  resMet: number;
  resDecided: number;
  medianFrm: number | null;
  p90Frm: number | null;
}

/**
 * SLA attainment per bucket and channel, counted exactly as the parity report counts it: customer
 * conversations opened in [from, to) with minimum due times; a target is met when its event happened
 * by the MINIMUM due time, and decided once met or overdue (an open conversation past its due time
 * counts as missed, one still inside it is left out). One pass with grouping sets gives the
 * bucket × channel, bucket, channel and whole-period rows. The buckets' starts come from the caller
 * (made in the report's time zone), so the database's own time-zone data is never consulted.
 */
export async function slaGroups(tx: Tx, tenantId: string, from: Date, to: Date, bucketStarts: Date[], now: Date): Promise<SlaGroup[]> {
  const starts = bucketStarts.map((d) => d.toISOString());
  const { rows } = await sql<{
    bucket: Date | null;
    channel: string | null;
    conversations: number;
    fr_met: number;
    fr_decided: number;
    res_met: number;
    res_decided: number;
    median_frm: number | null;
    p90_frm: number | null;
  }>`
    select bucket, channel,
           count(*)::int as conversations,
           count(*) filter (where first_reply_at <= fr_due)::int as fr_met,
           count(*) filter (where first_reply_at is not null or fr_due <= ${now})::int as fr_decided,
           count(*) filter (where resolved_at <= res_due)::int as res_met,
           count(*) filter (where resolved_at is not null or res_due <= ${now})::int as res_decided,
           percentile_cont(0.5) within group (order by frm) as median_frm,
           percentile_cont(0.9) within group (order by frm) as p90_frm
    from (
      select (${starts}::text[]::timestamptz[])[width_bucket(created_at, ${starts}::text[]::timestamptz[])] as bucket, channel, first_reply_at, resolved_at,
             min_first_response_due_at as fr_due, min_resolution_due_at as res_due,
             first_response_business_minutes as frm
      from conversations
      where tenant_id = ${tenantId} and kind = 'customer'
        and created_at >= ${from} and created_at < ${to}
        and min_first_response_due_at is not null
    ) conv
    group by grouping sets ((bucket, channel), (bucket), (channel), ())
    order by bucket nulls last, channel nulls first`.execute(tx);
  return rows.map((r) => ({
    bucket: r.bucket === null ? null : new Date(r.bucket),
    channel: r.channel,
    conversations: r.conversations,
    frMet: r.fr_met,
    frDecided: r.fr_decided,
    resMet: r.res_met,
    resDecided: r.res_decided,
    medianFrm: r.median_frm === null ? null : Number(r.median_frm),
    p90Frm: r.p90_frm === null ? null : Number(r.p90_frm),
  }));
}
