import { sql } from 'kysely';
import type { Tx } from '../with-tenant.ts';

export interface AgentListeningRow {
  agentId: string | null;
  conversations: number;
  meanScore: number | null;
  findings: Record<string, number>;
}

/**
 * Listening per agent over conversations opened in [from, to): how many, the mean listening score,
 * and the findings by type. Conversations are credited to their assignee (null: unassigned).
 */
export async function listeningByAgent(tx: Tx, tenantId: string, from: Date, to: Date): Promise<AgentListeningRow[]> {
  const scores = await sql<{ agent_id: string | null; conversations: number; mean_score: number | null }>`
    select assignee_id as agent_id, count(*)::int as conversations,
           avg((listening->>'listeningScore')::float8) as mean_score
    from conversations
    where tenant_id = ${tenantId} and kind = 'customer' and listening is not null
      and created_at >= ${from} and created_at < ${to}
    group by assignee_id`.execute(tx);
  const findings = await sql<{ agent_id: string | null; type: string; n: number }>`
    select c.assignee_id as agent_id, f->>'type' as type, count(*)::int as n
    from conversations c cross join lateral jsonb_array_elements(c.listening->'findings') f
    where c.tenant_id = ${tenantId} and c.kind = 'customer' and c.listening is not null
      and c.created_at >= ${from} and c.created_at < ${to}
    group by 1, 2`.execute(tx);
  const byAgent = new Map<string | null, Record<string, number>>();
  for (const f of findings.rows) byAgent.set(f.agent_id, { ...byAgent.get(f.agent_id), [f.type]: f.n });
  return scores.rows
    .map((r) => ({
      agentId: r.agent_id,
      conversations: r.conversations,
      meanScore: r.mean_score === null ? null : Math.round(Number(r.mean_score) * 10) / 10,
      findings: byAgent.get(r.agent_id) ?? {},
    }))
    .sort((a, b) => (a.meanScore ?? 101) - (b.meanScore ?? 101));
}
