import { writeAudit } from '../db/repositories/audit.ts';
import { findAgent } from '../db/repositories/agents.ts';
import { updateCustomer } from '../db/repositories/customers.ts';
import type { CustomerClosureRow } from '../db/schema.ts';
import { ConflictError, NotFoundError, UnprocessableError } from './errors.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

/**
 * Records one approval of a closure that waits because a repeat-contact case is open: it takes a
 * lead and a compliance officer (two different people); with both, the account is closed.
 */
export async function approveClosure(scope: TenantScope, closureId: string, agentId: string): Promise<CustomerClosureRow> {
  return inTenantTx(scope, async (tx) => {
    const closure = await tx
      .selectFrom('customer_closures')
      .selectAll()
      .where('tenant_id', '=', scope.tenantId)
      .where('id', '=', closureId)
      .forUpdate()
      .executeTakeFirst();
    if (!closure) throw new NotFoundError('closure', closureId);
    if (closure.state !== 'awaiting_approval') throw new ConflictError(`the closure is already ${closure.state}`);
    const agent = await findAgent(tx, scope.tenantId, agentId);
    if (!agent) throw new UnprocessableError('no such agent', [{ pointer: '/agentId', detail: 'no such agent' }]);
    const column = agent.role === 'lead' ? 'lead_approver_id' : agent.role === 'compliance' ? 'compliance_approver_id' : null;
    if (!column) {
      throw new UnprocessableError('only a lead and a compliance officer can approve this closure', [
        { pointer: '/agentId', detail: `is a ${agent.role}; needs a lead or a compliance officer` },
      ]);
    }
    if (closure[column] !== null) throw new ConflictError(`the ${agent.role} approval is already given`);
    const lead = column === 'lead_approver_id' ? agentId : closure.lead_approver_id;
    const compliance = column === 'compliance_approver_id' ? agentId : closure.compliance_approver_id;
    const done = lead !== null && compliance !== null;
    const updated = await tx
      .updateTable('customer_closures')
      .set({ [column]: agentId, ...(done ? { state: 'approved' as const, decided_at: new Date() } : {}) })
      .where('tenant_id', '=', scope.tenantId)
      .where('id', '=', closureId)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (done) await updateCustomer(tx, scope.tenantId, closure.customer_id, { closed_at: new Date() });
    await writeAudit(tx, {
      tenantId: scope.tenantId,
      actor: scope.actor,
      action: done ? 'closure.approved' : 'closure.approval_recorded',
      entityType: 'customer_closure',
      entityId: closureId,
      fields: [column],
    });
    return updated;
  });
}
