import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../with-tenant.ts';
import { bandOf } from './reports.ts';

export interface RepeatFigures {
  channels: Array<{ channel: string; conversations: number; repeats: number }>;
  bands: Array<{ band: number; conversations: number; repeats: number }>;
  repeatCustomers: number;
  customersAtRule: number;
  weeks: Array<{ week: Date; conversations: number; repeats: number }>;
  reasons: Array<{ reason: string; n: number }>;
  cases: Array<{ id: string; customer_id: string; status: string; subject: string; created_at: Date; linked: number }>;
  casesByStatus: Array<{ status: string; n: number }>;
}

/**
 * Customer conversations opened in [from, to), each marked a repeat when the same customer opened
 * another one in the rule's window before it (in (t − days × 24 h, t]), and at the rule when it is at
 * least the N-th in that window — what `isRepeatContact` decides when a conversation opens. Earlier
 * conversations (back to from − days) are read so the first days of the period are judged fairly.
 */
function marked(tenantId: string, from: Date, to: Date, rule: { conversations: number; days: number }): RawBuilder<unknown> {
  const window = sql`make_interval(days => ${rule.days}::int)`;
  return sql`
    select * from (
      select id, customer_id, channel, tags, coalesce(opened_spend_minor, 0) as spend, subject, created_at,
             coalesce(lag(created_at) over w > created_at - ${window}, false) as repeat,
             coalesce(lag(created_at, ${Math.max(0, rule.conversations - 1)}::int) over w > created_at - ${window}, false) as at_rule
      from conversations
      where tenant_id = ${tenantId} and kind = 'customer' and customer_id is not null
        and created_at > ${from}::timestamptz - ${window} and created_at < ${to}
      window w as (partition by customer_id order by created_at, id)
    ) c
    where created_at >= ${from}`;
}

/** The repeat-contacts report's figures; every query filters by the tenant. */
export async function repeatFigures(tx: Tx, tenantId: string, from: Date, to: Date, rule: { conversations: number; days: number }): Promise<RepeatFigures> {
  const period = marked(tenantId, from, to, rule);
  const channels = await sql<{ channel: string; conversations: number; repeats: number }>`
    select channel, count(*)::int as conversations, count(*) filter (where repeat)::int as repeats
    from (${period}) c group by channel order by channel`.execute(tx);
  // Value bands as the parity report draws them: quintiles of the spend (when each conversation opened)
  // over the period's customers with spend, and "no spend".
  const edgeRow = await sql<{ e: number[] | null }>`
    select percentile_cont(array[0.2, 0.4, 0.6, 0.8]) within group (order by spend) as e
    from (select customer_id, max(spend) as spend from (${period}) c where spend > 0 group by customer_id) customers`.execute(tx);
  const edges = (edgeRow.rows[0]?.e ?? []).map(Number);
  const bands = await sql<{ band: number; conversations: number; repeats: number }>`
    select ${bandOf(sql`spend`, edges)} as band, count(*)::int as conversations, count(*) filter (where repeat)::int as repeats
    from (${period}) c group by 1 order by 1`.execute(tx);
  const customers = await sql<{ repeat_customers: number; at_rule: number }>`
    select count(distinct customer_id) filter (where repeat)::int as repeat_customers,
           count(distinct customer_id) filter (where at_rule)::int as at_rule
    from (${period}) c`.execute(tx);
  const weeks = await sql<{ week: Date; conversations: number; repeats: number }>`
    select date_trunc('week', created_at, 'UTC') as week, count(*)::int as conversations, count(*) filter (where repeat)::int as repeats
    from (${period}) c group by 1 order by 1`.execute(tx);
  const reasons = await sql<{ reason: string; n: number }>`
    select reason, count(*)::int as n
    from (select unnest(case when cardinality(tags) > 0 then tags else array[subject] end) as reason from (${period}) c where repeat) r
    group by reason order by n desc, reason limit 10`.execute(tx);
  const cases = await sql<{ id: string; customer_id: string; status: string; subject: string; created_at: Date; linked: number }>`
    select k.id, k.customer_id, k.status, k.subject, k.created_at,
           (select count(*)::int from conversation_links l where l.tenant_id = k.tenant_id and l.case_id = k.id) as linked
    from conversations k
    where k.tenant_id = ${tenantId} and k.kind = 'root_cause' and k.created_at >= ${from} and k.created_at < ${to}
    order by k.created_at desc, k.id desc limit 50`.execute(tx);
  const byStatus = await sql<{ status: string; n: number }>`
    select status, count(*)::int as n from conversations
    where tenant_id = ${tenantId} and kind = 'root_cause' and created_at >= ${from} and created_at < ${to}
    group by status order by status`.execute(tx);
  return {
    channels: channels.rows,
    bands: bands.rows,
    repeatCustomers: customers.rows[0]?.repeat_customers ?? 0,
    customersAtRule: customers.rows[0]?.at_rule ?? 0,
    weeks: weeks.rows.map((w) => ({ ...w, week: new Date(w.week) })),
    reasons: reasons.rows,
    cases: cases.rows.map((c) => ({ ...c, created_at: new Date(c.created_at) })),
    casesByStatus: byStatus.rows,
  };
}
