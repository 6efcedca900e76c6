import type { ConversationPatch } from '../contracts/conversations.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { findConversation, updateConversation as updateConversationRow } from '../db/repositories/conversations.ts';
import type { ConversationRow } from '../db/schema.ts';
import { NotFoundError } from './errors.ts';
import { requireReferences } from './references.ts';
import { inTenantTx, type TenantScope } from './scope.ts';
import { loadCharterVersion } from './charter-cache.ts';
import { refreshSla, requireKnownSeverity } from './sla.ts';

/** Changes status, assignment, team, severity, subject or tags (a JSON merge patch). */
export async function updateConversation(scope: TenantScope, id: string, patch: ConversationPatch): Promise<ConversationRow> {
  return inTenantTx(scope, async (tx) => {
    const current = await findConversation(tx, scope.tenantId, id, { forUpdate: true });
    if (!current) throw new NotFoundError('conversation', id);
    const changed = Object.keys(patch);
    if (changed.length === 0) return current;
    await requireReferences(tx, scope.tenantId, { assigneeId: patch.assigneeId ?? null, teamId: patch.teamId ?? null });
    if (patch.severity !== undefined && current.charter_version !== null) {
      const loaded = await loadCharterVersion(tx, scope.tenantId, current.charter_version);
      if (loaded) requireKnownSeverity(loaded, patch.severity);
    }
    const now = new Date();
    // Resolution stops the clock; reopening restarts the wait for it.
    const resolvedAt =
      patch.status === undefined
        ? undefined
        : patch.status === 'resolved' || patch.status === 'closed'
          ? (current.resolved_at ?? now)
          : null;
    let updated = await updateConversationRow(tx, scope.tenantId, id, {
      ...(resolvedAt !== undefined && { resolved_at: resolvedAt }),
      ...(patch.subject !== undefined && { subject: patch.subject }),
      ...(patch.severity !== undefined && { severity: patch.severity }),
      ...(patch.status !== undefined && { status: patch.status }),
      ...(patch.assigneeId !== undefined && { assignee_id: patch.assigneeId }),
      ...(patch.teamId !== undefined && { team_id: patch.teamId }),
      ...(patch.tags !== undefined && { tags: [...new Set(patch.tags)] }),
    });
    updated = await refreshSla(tx, scope.tenantId, updated, now);
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
