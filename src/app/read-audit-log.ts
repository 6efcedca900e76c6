import { sql } from 'kysely';
import type { AuditEntry, AuditListQuery, AuditVerification } from '../contracts/audit.ts';
import type { AuditPublicKey } from './audit-signing-key.ts';
import { listAuditCheckpoints } from './audit-checkpoints.ts';
import { verifyAuditLog } from './verify-audit-log.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface AuditFilter {
  /** Exact action, or a prefix when it ends with a dot (`exception.`). */
  action?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  actor?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** The seq to continue below, or null on the last page. */
  nextBefore: number | null;
}

/** `exception.` → `exception.%` with LIKE's own wildcards escaped (`_` is common in action names). */
function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The tenant's audit log, newest first, keyset paged on seq (`before`: the last seq of the previous
 * page). Each entry carries the agent's name when the actor is an agent of this tenant. The log holds
 * field names only, never values, so nothing here is personal data.
 */
export async function readAuditLog(scope: TenantScope, filter: AuditFilter, page: { limit: number; before?: number | undefined }): Promise<AuditPage> {
  return inTenantTx(scope, async (tx) => {
    let q = tx
      .selectFrom('audit_log')
      .select(['seq', 'id', 'at', 'actor', 'action', 'entity_type', 'entity_id', 'fields', 'hash', 'prev_hash'])
      .where('tenant_id', '=', scope.tenantId);
    if (filter.action !== undefined) {
      q = filter.action.endsWith('.') ? q.where(sql<boolean>`action like ${likePrefix(filter.action)}`) : q.where('action', '=', filter.action);
    }
    if (filter.entityType !== undefined) q = q.where('entity_type', '=', filter.entityType);
    if (filter.entityId !== undefined) q = q.where('entity_id', '=', filter.entityId);
    if (filter.actor !== undefined) q = q.where('actor', '=', filter.actor);
    if (filter.from !== undefined) q = q.where('at', '>=', new Date(filter.from));
    if (filter.to !== undefined) q = q.where('at', '<', new Date(filter.to));
    if (page.before !== undefined) q = q.where('seq', '<', page.before);
    const rows = await q.orderBy('seq', 'desc').limit(page.limit + 1).execute();
    const more = rows.length > page.limit;
    const pageRows = more ? rows.slice(0, page.limit) : rows;

    // Names of the agents who acted, from this tenant only.
    const agentIds = [...new Set(pageRows.map((r) => r.actor.startsWith('agent:') ? r.actor.slice(6) : '').filter((id) => UUID.test(id)))];
    const names = new Map<string, string>();
    if (agentIds.length > 0) {
      const agents = await tx.selectFrom('agents').select(['id', 'name']).where('tenant_id', '=', scope.tenantId).where('id', 'in', agentIds).execute();
      for (const a of agents) names.set(`agent:${a.id}`, a.name);
    }
    return {
      entries: pageRows.map((r) => ({
        seq: Number(r.seq),
        id: r.id,
        at: new Date(r.at).toISOString(),
        actor: r.actor,
        actorName: names.get(r.actor) ?? null,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        fields: r.fields,
        hash: r.hash,
        prevHash: r.prev_hash,
      })),
      nextBefore: more ? Number(pageRows[pageRows.length - 1]!.seq) : null,
    };
  });
}

/**
 * Walks this tenant's whole chain (src/app/verify-audit-log.ts: hashes, seq continuity, the head and
 * the stored checkpoints under the trusted keys) and answers with the first broken link. Linear in
 * the tenant’s log (read in batches of 2,000 rows, one short transaction each).
 */
export async function verifyTenantAuditLog(scope: TenantScope, trustedKeys: AuditPublicKey[]): Promise<AuditVerification> {
  const report = await verifyAuditLog(scope.db, { tenantIds: [scope.tenantId], trustedKeys });
  const verdict = report.tenants[0];
  const checkpoints = await listAuditCheckpoints(scope.db, scope.tenantId);
  const last = checkpoints.reduce<(typeof checkpoints)[number] | null>((best, cp) => (best === null || cp.seq > best.seq ? cp : best), null);
  return {
    ok: report.ok,
    checked: verdict?.rows ?? 0,
    head: verdict?.head ?? 0,
    checkpoints: verdict?.checkpoints ?? 0,
    firstBroken: verdict?.firstBroken ? { seq: verdict.firstBroken.seq, reason: verdict.firstBroken.problem } : null,
    lastCheckpoint: last ? { seq: last.seq, signedAt: new Date(last.signedAt).toISOString() } : null,
    checkedAt: new Date().toISOString(),
  };
}
