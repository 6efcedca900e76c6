import type { ExceptionCreate } from '../contracts/exceptions.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { findAgent } from '../db/repositories/agents.ts';
import { insertException } from '../db/repositories/exceptions.ts';
import { newId } from '../db/ids.ts';
import type { CharterExceptionRow } from '../db/schema.ts';
import { loadCharterInEffect } from './charter-cache.ts';
import { UnprocessableError } from './errors.ts';
import { requireReferences } from './references.ts';
import { inTenantTx, type TenantScope, type TxHooks } from './scope.ts';

/**
 * Records an exception: the only way to give one customer more than the charter says. Accepted
 * only within the charter's exception policy (who may approve, for how long), and audited; every
 * exception shows in reports, counted per value band.
 */
export async function grantException(scope: TenantScope, input: ExceptionCreate, hooks?: TxHooks<CharterExceptionRow>, now = new Date()): Promise<CharterExceptionRow> {
  return inTenantTx(
    scope,
    async (tx) => {
      await requireReferences(tx, scope.tenantId, { customerId: input.customerId });
      const loaded = await loadCharterInEffect(tx, scope.tenantId, now);
      if (!loaded) throw new UnprocessableError('there is no charter yet, so there is nothing to make an exception to');
      const policy = loaded.charter.exceptions;
      const errors: Array<{ pointer: string; detail: string }> = [];
      const approver = await findAgent(tx, scope.tenantId, input.approverId);
      if (!approver) errors.push({ pointer: '/approverId', detail: 'no such agent' });
      else if (!(policy.approverRoles as readonly string[]).includes(approver.role)) {
        errors.push({ pointer: '/approverId', detail: `is a ${approver.role}; the charter lets only ${policy.approverRoles.join(' or ')} approve exceptions` });
      }
      const expires = new Date(input.expiresAt);
      const longest = new Date(now.getTime() + policy.maxDays * 86_400_000);
      if (expires.getTime() <= now.getTime()) errors.push({ pointer: '/expiresAt', detail: 'must be in the future' });
      else if (expires.getTime() > longest.getTime()) {
        errors.push({ pointer: '/expiresAt', detail: `may be at most ${policy.maxDays} days ahead (${longest.toISOString()}) under the charter` });
      }
      if (errors.length > 0) throw new UnprocessableError('the exception is outside the charter’s exception policy', errors);
      const row = await insertException(tx, {
        tenant_id: scope.tenantId,
        id: newId(),
        customer_id: input.customerId,
        what: input.what,
        reason: input.reason,
        approver_id: input.approverId,
        expires_at: expires,
        created_by: scope.actor,
      });
      await writeAudit(tx, {
        tenantId: scope.tenantId,
        actor: scope.actor,
        action: 'exception.granted',
        entityType: 'charter_exception',
        entityId: row.id,
        fields: ['customerId', 'what', 'reason', 'approverId', 'expiresAt'],
      });
      return row;
    },
    hooks,
  );
}
