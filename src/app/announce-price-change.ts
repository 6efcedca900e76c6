import { writeAudit } from '../db/repositories/audit.ts';
import { newId } from '../db/ids.ts';
import type { PriceChangeRow } from '../db/schema.ts';
import { NotFoundError } from './errors.ts';
import { noticePriceChange } from './notice-price-change.ts';
import { auditNotices, noticedEffectiveAt } from './notice-records.ts';
import { inTenantTx, type TenantScope, type TxHooks } from './scope.ts';
import { findPlan } from './subscription-records.ts';

export interface PriceChangeInput {
  priceMinor: number;
  effectiveAt: string;
  reason: string;
}

export interface AnnouncedPriceChange {
  row: PriceChangeRow;
  currency: string;
  /** How many subscribers were sent their notice with this announcement. */
  noticed: number;
}

/**
 * Announces a change of a plan's price. Refused unless it takes effect at least 30 days ahead. In the
 * same transaction every affected subscriber's personal notice is recorded and its e-mail queued, so
 * the change is never stored without its notices. Billing charges the new price for periods starting
 * on or after `effectiveAt`; later subscribers are noticed by the notice job.
 */
export async function announcePriceChange(
  scope: TenantScope,
  planId: string,
  input: PriceChangeInput,
  options: { publicOrigin: string },
  hooks?: TxHooks<AnnouncedPriceChange>,
  now = new Date(),
): Promise<AnnouncedPriceChange> {
  const result = await inTenantTx(
    scope,
    async (tx) => {
      const plan = await findPlan(tx, scope.tenantId, planId);
      if (!plan) throw new NotFoundError('plan', planId);
      const effectiveAt = noticedEffectiveAt(input.effectiveAt, now, 'price');
      const row = await tx
        .insertInto('price_changes')
        .values({
          tenant_id: scope.tenantId,
          id: newId(),
          plan_id: plan.id,
          price_minor: input.priceMinor,
          effective_at: effectiveAt,
          reason: input.reason,
          announced_at: now,
          announced_by: scope.actor,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const notices = await noticePriceChange(tx, scope.tenantId, row, plan, options.publicOrigin, now);
      await writeAudit(tx, {
        tenantId: scope.tenantId,
        actor: scope.actor,
        action: 'price_change.announced',
        entityType: 'price_change',
        entityId: row.id,
        fields: ['planId', 'priceMinor', 'effectiveAt', 'reason'],
      });
      await auditNotices(tx, scope.tenantId, scope.actor, notices);
      return { row, currency: plan.currency, noticed: notices.length, enqueued: notices.some((n) => n.email_job_id !== null) };
    },
    hooks as TxHooks<AnnouncedPriceChange & { enqueued: boolean }> | undefined,
  );
  if (result.enqueued) scope.onOutbox?.();
  return { row: result.row, currency: result.currency, noticed: result.noticed };
}
