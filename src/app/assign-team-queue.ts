import { assignRoundRobin, routingOrder } from '../domain/charter/routing.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { updateConversation } from '../db/repositories/conversations.ts';
import { NotFoundError } from './errors.ts';
import { inTenantTx, type TenantScope } from './scope.ts';
import { slaNow } from './sla.ts';

export interface TeamAssignment {
  conversationId: string;
  agentId: string;
}

/**
 * Assigns a team's unassigned open conversations to its available agents: conversations at risk of
 * breaking the MINIMUM commitment first, then the longest waiting; round robin under each agent's
 * cap. Customer value plays no part in the order.
 */
export async function assignTeamQueue(scope: TenantScope, teamId: string, now = new Date()): Promise<TeamAssignment[]> {
  return inTenantTx(scope, async (tx) => {
    // Lock the team row: two assignment runs for one team take turns, so nobody is assigned twice.
    const team = await tx.selectFrom('teams').selectAll().where('tenant_id', '=', scope.tenantId).where('id', '=', teamId).forUpdate().executeTakeFirst();
    if (!team) throw new NotFoundError('team', teamId);
    const queue = await tx
      .selectFrom('conversations')
      .selectAll()
      .where('tenant_id', '=', scope.tenantId)
      .where('team_id', '=', teamId)
      .where('assignee_id', 'is', null)
      .where('status', 'in', ['open', 'pending'])
      .where('kind', '=', 'customer')
      .orderBy('id')
      .limit(1000)
      .execute();
    if (queue.length === 0) return [];
    let atRisk = 0.75;
    const items = [];
    for (const c of queue) {
      const sla = await slaNow(tx, scope.tenantId, c, now);
      if (sla) atRisk = sla.loaded.charter.atRisk;
      const minimumDueAt = sla && !c.first_reply_at ? sla.min_first_response_due_at : sla && !c.resolved_at ? sla.min_resolution_due_at : null;
      // Overdue counts as fully at risk: the clock's fraction only covers targets still pending.
      const overdue = minimumDueAt !== null && minimumDueAt.getTime() <= now.getTime();
      items.push({
        id: c.id,
        minimumDueAt,
        minimumRiskFraction: overdue ? 1 : (sla?.riskFraction ?? 0),
        waitingSince: c.waiting_since ?? c.created_at,
        customerValueMinor: 0, // deliberately not loaded: value never orders the queue
      });
    }
    const agents = await tx
      .selectFrom('agents')
      .leftJoin('conversations', (join) =>
        join
          .onRef('conversations.tenant_id', '=', 'agents.tenant_id')
          .onRef('conversations.assignee_id', '=', 'agents.id')
          .on('conversations.status', 'in', ['open', 'pending']),
      )
      .select(['agents.id', 'agents.available', 'agents.max_open', (eb) => eb.fn.count<number>('conversations.id').as('open')])
      .where('agents.tenant_id', '=', scope.tenantId)
      .where('agents.team_id', '=', teamId)
      .groupBy(['agents.id', 'agents.available', 'agents.max_open'])
      .orderBy('agents.id')
      .execute();
    const { assignments, cursor } = assignRoundRobin(
      routingOrder(items, atRisk),
      agents.map((a) => ({ id: a.id, open: Number(a.open), cap: a.max_open, available: a.available })),
      team.route_cursor,
    );
    for (const a of assignments) await updateConversation(tx, scope.tenantId, a.conversationId, { assignee_id: a.agentId });
    await tx.updateTable('teams').set({ route_cursor: cursor }).where('tenant_id', '=', scope.tenantId).where('id', '=', teamId).execute();
    // Audit rows last (they lock the tenant's audit head): no row lock is taken after the head's.
    for (const a of assignments) {
      await writeAudit(tx, { tenantId: scope.tenantId, actor: scope.actor, action: 'conversation.assigned', entityType: 'conversation', entityId: a.conversationId, fields: ['assigneeId'] });
    }
    return assignments;
  });
}
