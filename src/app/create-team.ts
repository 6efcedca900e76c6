import type { TeamCreate } from '../contracts/agents.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { insertTeam } from '../db/repositories/agents.ts';
import { newId } from '../db/ids.ts';
import type { TeamRow } from '../db/schema.ts';
import { inTenantTx, type TenantScope, type TxHooks } from './scope.ts';
import { withUniqueFields, type UniqueRule } from './unique-conflict.ts';

export const TEAM_UNIQUE: UniqueRule[] = [
  { constraint: 'teams_tenant_name', pointer: '/name', detail: 'is already the name of another team' },
];

/** Adds a team; names are unique per tenant, ignoring case. */
export async function createTeam(scope: TenantScope, input: TeamCreate, hooks?: TxHooks<TeamRow>): Promise<TeamRow> {
  return withUniqueFields(TEAM_UNIQUE, () =>
    inTenantTx(
      scope,
      async (tx) => {
        const team = await insertTeam(tx, { tenant_id: scope.tenantId, id: newId(), name: input.name });
        await writeAudit(tx, {
          tenantId: scope.tenantId,
          actor: scope.actor,
          action: 'team.created',
          entityType: 'team',
          entityId: team.id,
          fields: ['name'],
        });
        return team;
      },
      hooks,
    ),
  );
}
