import type { AgentPatch } from '../contracts/agents.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { findAgent, updateAgent as updateAgentRow } from '../db/repositories/agents.ts';
import type { AgentRow } from '../db/schema.ts';
import { AGENT_UNIQUE } from './create-agent.ts';
import { NotFoundError } from './errors.ts';
import { requireReferences } from './references.ts';
import { inTenantTx, type TenantScope } from './scope.ts';
import { withUniqueFields } from './unique-conflict.ts';

/** Applies a merge patch to an agent: name, e-mail, role, team. */
export async function updateAgent(scope: TenantScope, id: string, patch: AgentPatch): Promise<AgentRow> {
  return withUniqueFields(AGENT_UNIQUE, () =>
    inTenantTx(scope, async (tx) => {
      const current = await findAgent(tx, scope.tenantId, id);
      if (!current) throw new NotFoundError('agent', id);
      const changed = Object.keys(patch);
      if (changed.length === 0) return current;
      await requireReferences(tx, scope.tenantId, { teamId: patch.teamId ?? null });
      const updated = await updateAgentRow(tx, scope.tenantId, id, {
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.email !== undefined && { email: patch.email.toLowerCase() }),
        ...(patch.role !== undefined && { role: patch.role }),
        ...(patch.teamId !== undefined && { team_id: patch.teamId }),
        ...(patch.available !== undefined && { available: patch.available }),
        ...(patch.maxOpen !== undefined && { max_open: patch.maxOpen }),
      });
      await writeAudit(tx, {
        tenantId: scope.tenantId,
        actor: scope.actor,
        action: 'agent.updated',
        entityType: 'agent',
        entityId: id,
        fields: changed,
      });
      return updated;
    }),
  );
}
