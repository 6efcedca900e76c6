import { sql, type RawBuilder } from 'kysely';
import type { BandFigures } from '../../domain/parity.ts';
import type { Tx } from '../with-tenant.ts';

/** The conversations a parity report covers: customer conversations opened in [from, to) under a charter. */
function periodConversations(tenantId: string, from: Date, to: Date): RawBuilder<unknown> {
  return sql`
    select customer_id, coalesce(opened_spend_minor, 0) as spend, first_reply_at, resolved_at,
           min_first_response_due_at as fr_due, min_resolution_due_at as res_due,
           first_response_business_minutes as frm
    from conversations
    where tenant_id = ${tenantId} and kind = 'customer'
      and created_at >= ${from} and created_at < ${to}
      and min_first_response_due_at is not null`;
}

/** 0 for no spend, else 1..5 by the quintile edges (edges null when nobody spent: all in band 1). */
function bandOf(spend: RawBuilder<unknown>, edges: number[]): RawBuilder<number> {
  const [e1 = null, e2 = null, e3 = null, e4 = null] = edges;
  return sql<number>`case when ${spend} <= 0 then 0
    else 1 + coalesce((${spend} > ${e1}::float8)::int, 0) + coalesce((${spend} > ${e2}::float8)::int, 0)
           + coalesce((${spend} > ${e3}::float8)::int, 0) + coalesce((${spend} > ${e4}::float8)::int, 0) end`;
}

/**
 * The parity report's figures. Each conversation is banded by its customer's trailing-12-month
 * spend when it opened (stored on the conversation); band edges are the spend quintiles over the
 * period's customers with spend; attainment is measured against the MINIMUM commitment's due
 * times, the same yardstick for every band. A target counts as decided once met or overdue.
 */
export async function parityFigures(tx: Tx, tenantId: string, from: Date, to: Date, now: Date): Promise<BandFigures[]> {
  const period = periodConversations(tenantId, from, to);
  const edgeRow = await sql<{ e: number[] | null }>`
    select percentile_cont(array[0.2, 0.4, 0.6, 0.8]) within group (order by spend) as e
    from (select customer_id, max(spend) as spend from (${period}) conv where spend > 0 group by customer_id) customers`.execute(tx);
  const edges = (edgeRow.rows[0]?.e ?? []).map(Number);

  const { rows } = await sql<{
    band: number;
    conversations: number;
    fr_met: number;
    fr_decided: number;
    res_met: number;
    res_decided: number;
    fr_median: number | null;
    fr_p90: number | null;
    min_spend: number | null;
    max_spend: number | null;
  }>`
    select ${bandOf(sql`spend`, edges)} as band,
           count(*)::int as conversations,
           count(*) filter (where first_reply_at <= fr_due)::int as fr_met,
           count(*) filter (where first_reply_at is not null or fr_due <= ${now})::int as fr_decided,
           count(*) filter (where resolved_at <= res_due)::int as res_met,
           count(*) filter (where resolved_at is not null or res_due <= ${now})::int as res_decided,
           percentile_cont(0.5) within group (order by frm) as fr_median,
           percentile_cont(0.9) within group (order by frm) as fr_p90,
           min(spend) filter (where spend > 0)::bigint as min_spend,
           max(spend) filter (where spend > 0)::bigint as max_spend
    from (${period}) conv
    group by 1
    order by 1`.execute(tx);

  // Exceptions granted in the period, banded by the customer's spend in the 12 months before.
  const granted = await sql<{ band: number; n: number }>`
    select ${bandOf(sql`spend`, edges)} as band, count(*)::int as n
    from (
      select coalesce((select sum(s.amount_minor) from spend_entries s
                       where s.tenant_id = x.tenant_id and s.customer_id = x.customer_id
                         and s.at > x.created_at - interval '12 months' and s.at <= x.created_at), 0) as spend
      from charter_exceptions x
      where x.tenant_id = ${tenantId} and x.created_at >= ${from} and x.created_at < ${to}
    ) granted
    group by 1`.execute(tx);
  const exceptions = new Map(granted.rows.map((r) => [r.band, r.n]));

  return rows.map((r) => ({
    band: r.band,
    conversations: r.conversations,
    firstResponseMet: r.fr_met,
    firstResponseDecided: r.fr_decided,
    resolutionMet: r.res_met,
    resolutionDecided: r.res_decided,
    medianFirstResponseMinutes: r.fr_median === null ? null : Math.round(Number(r.fr_median)),
    p90FirstResponseMinutes: r.fr_p90 === null ? null : Math.round(Number(r.fr_p90)),
    exceptions: exceptions.get(r.band) ?? 0,
    minSpendMinor: r.min_spend === null ? null : Number(r.min_spend),
    maxSpendMinor: r.max_spend === null ? null : Number(r.max_spend),
  }));
}
