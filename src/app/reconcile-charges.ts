/**
 * The reconciliation job: finds any charge made at or after the effective instant of a cancellation in
 * force (which the billing guard should have prevented), refunds it once and records an alert in the
 * audit log. Runs every 5 minutes in `fairdesk serve` and at the end of every billing run.
 */
import { sql, type Kysely } from 'kysely';
import { chargesToRefund, type Charge } from '../domain/cancellation/index.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import type { ChargeRow, DB } from '../db/schema.ts';
import { withTenant } from '../db/with-tenant.ts';
import { billingProvider } from './billing-provider.ts';
import type { Actor } from './scope.ts';
import { reviveState } from './subscription-records.ts';

/** The audit action of the alert: a charge after cancellation must never happen (the report's figure must be 0). */
export const CHARGE_AFTER_CANCELLATION_ALERT = 'billing.charge_after_cancellation_refunded';

/** How often `fairdesk serve` reconciles. */
export const RECONCILE_INTERVAL_MS = 5 * 60_000;

export interface RefundedCharge {
  tenantId: string;
  chargeId: string;
  refundId: string;
  subscriptionId: string;
  cancellationId: string;
  amountMinor: number;
  currency: string;
}

export interface ReconcileResult {
  refunded: RefundedCharge[];
}

/** Finds and refunds charges after cancellation, for every tenant. Idempotent on `refund-of:<chargeId>`. */
export async function reconcileCharges(db: Kysely<DB>, options: { actor?: Actor; now?: Date } = {}): Promise<ReconcileResult> {
  const actor = options.actor ?? 'system';
  const refunded: RefundedCharge[] = [];
  const tenants = await db.selectFrom('tenants').select('id').orderBy('id').execute();
  for (const { id: tenantId } of tenants) {
    // Cheap pre-filter in SQL (charges not yet refunded, at/after an in-force effective instant);
    // the domain's `chargesToRefund` has the last word on each.
    const suspects = await withTenant(db, tenantId, (tx) =>
      tx
        .selectFrom('charges as c')
        .innerJoin('cancellations as k', (j) => j.onRef('k.tenant_id', '=', 'c.tenant_id').onRef('k.subscription_id', '=', 'c.subscription_id'))
        .selectAll('c')
        .select(['k.id as cancellation_id', 'k.state as cancellation_state'])
        .where('c.tenant_id', '=', tenantId)
        .where('c.kind', '=', 'charge')
        .where('k.status', 'in', ['confirmed', 'effective'])
        .where(sql<boolean>`c.at >= k.effective_at`)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('charges as r')
                .select('r.id')
                .whereRef('r.tenant_id', '=', 'c.tenant_id')
                .where(sql<boolean>`r.external_id = 'refund-of:' || c.id::text`),
            ),
          ),
        )
        .orderBy('c.at')
        .execute(),
    );
    const byCancellation = new Map<string, { state: Record<string, unknown>; charges: Array<ChargeRow & Charge> }>();
    for (const s of suspects) {
      const group = byCancellation.get(s.cancellation_id) ?? { state: s.cancellation_state, charges: [] };
      group.charges.push({ ...s, subscriptionId: s.subscription_id, amountMinor: s.amount_minor });
      byCancellation.set(s.cancellation_id, group);
    }
    for (const [cancellationId, group] of byCancellation) {
      for (const charge of chargesToRefund(group.charges, reviveState(group.state))) {
        const done = await withTenant(db, tenantId, async (tx) => {
          const written = await billingProvider.refund(tx, {
            tenantId,
            subscriptionId: charge.subscription_id,
            customerId: charge.customer_id,
            amountMinor: charge.amount_minor,
            currency: charge.currency,
            periodStart: charge.period_start,
            periodEnd: charge.period_end,
            at: options.now ?? new Date(),
            idempotencyKey: `refund-of:${charge.id}`,
            invoiceId: charge.invoice_id,
          });
          if (!written) return null; // refunded by a concurrent run
          // Audit last: the alert, then the spend entry's record.
          await writeAudit(tx, {
            tenantId,
            actor,
            action: CHARGE_AFTER_CANCELLATION_ALERT,
            entityType: 'charge',
            entityId: charge.id,
            fields: ['refundId', 'cancellationId', 'amountMinor', 'currency'],
          });
          if (written.spendEntryId) {
            await writeAudit(tx, { tenantId, actor, action: 'spend.recorded', entityType: 'spend_entry', entityId: written.spendEntryId, fields: ['amountMinor', 'currency', 'at', 'source', 'externalId'] });
          }
          return written.id;
        });
        if (done) {
          refunded.push({ tenantId, chargeId: charge.id, refundId: done, subscriptionId: charge.subscription_id, cancellationId, amountMinor: charge.amount_minor, currency: charge.currency });
        }
      }
    }
  }
  return { refunded };
}
