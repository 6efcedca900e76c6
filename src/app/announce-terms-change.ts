import { writeAudit } from '../db/repositories/audit.ts';
import { newId } from '../db/ids.ts';
import type { TermChangeRow } from '../db/schema.ts';
import { NotFoundError } from './errors.ts';
import { auditNotices, noticedEffectiveAt } from './notice-records.ts';
import { noticeTermsChange } from './notice-terms-change.ts';
import { inTenantTx, type TenantScope, type TxHooks } from './scope.ts';
import { findPlan } from './subscription-records.ts';

export interface TermsChangeInput {
  summary: string;
  details?: string | undefined;
  effectiveAt: string;
}

export interface AnnouncedTermsChange {
  row: TermChangeRow;
  /** How many subscribers were sent their notice with this announcement. */
  noticed: number;
}

/**
 * Announces a change of a plan's terms other than its price ("TV moves to the Fibre 500 + TV plan
 * only"). Refused unless it takes effect at least 30 days ahead. In the same transaction every
 * affected subscriber's personal notice is recorded and its e-mail queued, so the change is never
 * stored without its notices; later subscribers are noticed by the notice job.
 */
export async function announceTermsChange(
  scope: TenantScope,
  planId: string,
  input: TermsChangeInput,
  options: { publicOrigin: string },
  hooks?: TxHooks<AnnouncedTermsChange>,
  now = new Date(),
): Promise<AnnouncedTermsChange> {
  const result = await inTenantTx(
    scope,
    async (tx) => {
      const plan = await findPlan(tx, scope.tenantId, planId);
      if (!plan) throw new NotFoundError('plan', planId);
      const effectiveAt = noticedEffectiveAt(input.effectiveAt, now, 'terms');
      const row = await tx
        .insertInto('term_changes')
        .values({
          tenant_id: scope.tenantId,
          id: newId(),
          plan_id: plan.id,
          summary: input.summary,
          details: input.details ?? null,
          effective_at: effectiveAt,
          announced_at: now,
          announced_by: scope.actor,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const notices = await noticeTermsChange(tx, scope.tenantId, row, plan, options.publicOrigin, now);
      await writeAudit(tx, {
        tenantId: scope.tenantId,
        actor: scope.actor,
        action: 'terms_change.announced',
        entityType: 'term_change',
        entityId: row.id,
        fields: ['planId', 'summary', ...(row.details !== null ? ['details'] : []), 'effectiveAt'],
      });
      await auditNotices(tx, scope.tenantId, scope.actor, notices);
      return { row, noticed: notices.length, enqueued: notices.some((n) => n.email_job_id !== null) };
    },
    hooks as TxHooks<AnnouncedTermsChange & { enqueued: boolean }> | undefined,
  );
  if (result.enqueued) scope.onOutbox?.();
  return { row: result.row, noticed: result.noticed };
}
