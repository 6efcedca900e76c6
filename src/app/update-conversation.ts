import type { ConversationPatch } from '../contracts/conversations.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { findConversation, updateConversation as updateConversationRow } from '../db/repositories/conversations.ts';
import type { ConversationRow } from '../db/schema.ts';
import { NotFoundError } from './errors.ts';
import { requireReferences } from './references.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

/** Changes status, assignment, team, severity, subject or tags (a JSON merge patch). */
export async function updateConversation(scope: TenantScope, id: string, patch: ConversationPatch): Promise<ConversationRow> {
  return inTenantTx(scope, async (tx) => {
    const current = await findConversation(tx, scope.tenantId, id, { forUpdate: true });
    if (!current) throw new NotFoundError('conversation', id);
    const changed = Object.keys(patch);
    if (changed.length === 0) return current;
    await requireReferences(tx, scope.tenantId, { assigneeId: patch.assigneeId ?? null, teamId: patch.teamId ?? null });
    const updated = await updateConversationRow(tx, scope.tenantId, id, {
      ...(patch.subject !== undefined && { subject: patch.subject }),
      ...(patch.severity !== undefined && { severity: patch.severity }),
      ...(patch.status !== undefined && { status: patch.status }),
      ...(patch.assigneeId !== undefined && { assignee_id: patch.assigneeId }),
      ...(patch.teamId !== undefined && { team_id: patch.teamId }),
      ...(patch.tags !== undefined && { tags: [...new Set(patch.tags)] }),
    });
    await writeAudit(tx, {
      tenantId: scope.tenantId,
      actor: scope.actor,
      action: 'conversation.updated',
      entityType: 'conversation',
      entityId: id,
      fields: changed,
    });
    return updated;
  });
}
