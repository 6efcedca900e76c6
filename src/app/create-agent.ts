import type { AgentCreate } from '../contracts/agents.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { insertAgent } from '../db/repositories/agents.ts';
import { newId } from '../db/ids.ts';
import type { AgentRow } from '../db/schema.ts';
import { requireReferences } from './references.ts';
import { inTenantTx, type TenantScope, type TxHooks } from './scope.ts';
import { withUniqueFields, type UniqueRule } from './unique-conflict.ts';

export const AGENT_UNIQUE: UniqueRule[] = [
  { constraint: 'agents_tenant_email', pointer: '/email', detail: 'is already used by another agent' },
];

/** Adds an agent (sign-in comes with the security work); e-mail is unique per tenant. */
export async function createAgent(scope: TenantScope, input: AgentCreate, hooks?: TxHooks<AgentRow>): Promise<AgentRow> {
  return withUniqueFields(AGENT_UNIQUE, () =>
    inTenantTx(
      scope,
      async (tx) => {
        await requireReferences(tx, scope.tenantId, { teamId: input.teamId ?? null });
        const agent = await insertAgent(tx, {
          tenant_id: scope.tenantId,
          id: newId(),
          name: input.name,
          email: input.email.toLowerCase(),
          role: input.role,
          team_id: input.teamId ?? null,
          available: input.available,
          max_open: input.maxOpen,
        });
        await writeAudit(tx, {
          tenantId: scope.tenantId,
          actor: scope.actor,
          action: 'agent.created',
          entityType: 'agent',
          entityId: agent.id,
          fields: Object.keys(input),
        });
        return agent;
      },
      hooks,
    ),
  );
}
