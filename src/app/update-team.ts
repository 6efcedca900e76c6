import type { TeamPatch } from '../contracts/agents.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { findTeam, updateTeam as updateTeamRow } from '../db/repositories/agents.ts';
import type { TeamRow } from '../db/schema.ts';
import { TEAM_UNIQUE } from './create-team.ts';
import { NotFoundError } from './errors.ts';
import { inTenantTx, type TenantScope } from './scope.ts';
import { withUniqueFields } from './unique-conflict.ts';

/** Renames a team. */
export async function updateTeam(scope: TenantScope, id: string, patch: TeamPatch): Promise<TeamRow> {
  return withUniqueFields(TEAM_UNIQUE, () =>
    inTenantTx(scope, async (tx) => {
      const current = await findTeam(tx, scope.tenantId, id);
      if (!current) throw new NotFoundError('team', id);
      if (patch.name === undefined) return current;
      const updated = await updateTeamRow(tx, scope.tenantId, id, { name: patch.name });
      await writeAudit(tx, {
        tenantId: scope.tenantId,
        actor: scope.actor,
        action: 'team.updated',
        entityType: 'team',
        entityId: id,
        fields: ['name'],
      });
      return updated;
    }),
  );
}
