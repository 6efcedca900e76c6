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
export function bandOf(spend: RawBuilder<unknown>, edges: number[]): RawBuilder<number> {
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
  // A report over a million rows: hash aggregates that fit in memory instead of spilling sorts, and
  // no JIT compilation (it costs more than it saves on a sub-second query). Transaction-local.
  await sql`select set_config('work_mem', '64MB', true), set_config('jit', 'off', true)`.execute(tx);
  const period = periodConversations(tenantId, from, to);
  const edgeRow = await sql<{ e: number[] | null }>`
    select percentile_cont(array[0.2, 0.4, 0.6, 0.8]) within group (order by spend) as e
    from (select customer_id, max(spend) as spend from (${period}) conv where spend > 0 group by customer_id) customers`.execute(tx);
  const edges = (edgeRow.rows[0]?.e ?? []).map(Number);

  // One row per (band, first-response minutes): a histogram of a few thousand rows instead of
  // sorting every conversation for the median and p90, which are interpolated below.
  const { rows } = await sql<{
    band: number;
    frm: number | null;
    conversations: number;
    fr_met: number;
    fr_decided: number;
    res_met: number;
    res_decided: number;
    min_spend: number | null;
    max_spend: number | null;
  }>`
    select ${bandOf(sql`spend`, edges)} as band, frm,
           count(*)::int as conversations,
           count(*) filter (where first_reply_at <= fr_due)::int as fr_met,
           count(*) filter (where first_reply_at is not null or fr_due <= ${now})::int as fr_decided,
           count(*) filter (where resolved_at <= res_due)::int as res_met,
           count(*) filter (where resolved_at is not null or res_due <= ${now})::int as res_decided,
           min(spend) filter (where spend > 0)::bigint as min_spend,
           max(spend) filter (where spend > 0)::bigint as max_spend
    from (${period}) conv
    group by 1, 2
    order by 1, 2`.execute(tx);

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

  // Failure demand: conversations that brought a customer to the repeat-contact rule (linked to a
  // root-cause case). Few rows: driven from the links, each looked up by primary key.
  const repeat = await sql<{ band: number; n: number }>`
    select ${bandOf(sql`coalesce(c.opened_spend_minor, 0)`, edges)} as band, count(distinct c.id)::int as n
    from conversation_links l
    join conversations c on c.tenant_id = l.tenant_id and c.id = l.conversation_id
    where l.tenant_id = ${tenantId} and c.kind = 'customer'
      and c.created_at >= ${from} and c.created_at < ${to} and c.min_first_response_due_at is not null
    group by 1`.execute(tx);
  const failureDemand = new Map(repeat.rows.map((r) => [r.band, r.n]));

  const bands = new Map<number, { figures: BandFigures; histogram: Array<{ value: number; n: number }> }>();
  for (const r of rows) {
    let band = bands.get(r.band);
    if (!band) {
      band = {
        figures: {
          band: r.band,
          conversations: 0,
          firstResponseMet: 0,
          firstResponseDecided: 0,
          resolutionMet: 0,
          resolutionDecided: 0,
          medianFirstResponseMinutes: null,
          p90FirstResponseMinutes: null,
          exceptions: exceptions.get(r.band) ?? 0,
          failureDemand: failureDemand.get(r.band) ?? 0,
          minSpendMinor: null,
          maxSpendMinor: null,
        },
        histogram: [],
      };
      bands.set(r.band, band);
    }
    const f = band.figures;
    f.conversations += r.conversations;
    f.firstResponseMet += r.fr_met;
    f.firstResponseDecided += r.fr_decided;
    f.resolutionMet += r.res_met;
    f.resolutionDecided += r.res_decided;
    if (r.min_spend !== null) f.minSpendMinor = Math.min(f.minSpendMinor ?? Infinity, Number(r.min_spend));
    if (r.max_spend !== null) f.maxSpendMinor = Math.max(f.maxSpendMinor ?? -Infinity, Number(r.max_spend));
    // Rows arrive ordered by minutes, nulls last; percentile_cont ignores nulls, and so do we.
    if (r.frm !== null) band.histogram.push({ value: Number(r.frm), n: r.conversations });
  }
  return [...bands.values()].map(({ figures, histogram }) => {
    const median = percentileCont(histogram, 0.5);
    const p90 = percentileCont(histogram, 0.9);
    return {
      ...figures,
      medianFirstResponseMinutes: median === null ? null : Math.round(median),
      p90FirstResponseMinutes: p90 === null ? null : Math.round(p90),
    };
  });
}

/**
 * PostgreSQL's percentile_cont over a sorted histogram: the values at 0-based rows floor and ceil
 * of p·(n − 1), interpolated as lo + (hi − lo)·fraction, in the same float arithmetic.
 */
function percentileCont(histogram: Array<{ value: number; n: number }>, p: number): number | null {
  const total = histogram.reduce((sum, h) => sum + h.n, 0);
  if (total === 0) return null;
  const position = p * (total - 1);
  const loRow = Math.floor(position);
  const hiRow = Math.ceil(position);
  const at = (row: number): number => {
    let before = 0;
    for (const h of histogram) {
      if (row < before + h.n) return h.value;
      before += h.n;
    }
    throw new Error('percentile row outside the histogram');
  };
  const lo = at(loRow);
  return hiRow === loRow ? lo : lo + (at(hiRow) - lo) * (position - loRow);
}
