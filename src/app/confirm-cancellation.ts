import { apply, type RefundBasis } from '../domain/cancellation/index.ts';
import { formatMoney } from '../domain/charter/money.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { findCustomer } from '../db/repositories/customers.ts';
import { enqueue } from '../db/repositories/outbox.ts';
import { insertSpendEntry } from '../db/repositories/spend.ts';
import { newId } from '../db/ids.ts';
import type { CancellationRow } from '../db/schema.ts';
import { ConflictError } from './errors.ts';
import { inTenantTx, type TenantScope } from './scope.ts';
import { findPlan, requireCancellation, requireSubscription, reviveState, storeState } from './subscription-records.ts';

/** What the customer is told at once, on screen; the same facts go out by e-mail. */
export interface ConfirmedCancellation {
  row: CancellationRow;
  reference: string;
  effectiveAt: Date;
  /** Nothing is charged at or after this instant (= the effective instant). */
  noChargesAfter: Date;
  refund: { amountMinor: number; currency: string; basis: RefundBasis };
  /** The id of the confirmation e-mail's outbox job, or null when the customer has no e-mail on file. */
  emailJobId: string | null;
}

/** A zone the runtime knows, else UTC (a customer record may carry a stale or mistyped zone). */
function zoneOrUtc(zone: string | null): string {
  if (!zone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}

/** `2026-03-05 14:03` in the zone, with the zone named after it, e.g. `(Europe/Berlin)`. */
export function localDateTime(at: Date, zone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} (${zone})`;
}

/**
 * The customer confirms ("Cancel now"). Whatever was shown counts as declined; the effective instant
 * and refund follow from the published policy. In the same transaction: renewal stops, a refund is
 * written as a negative spend entry (the charter's one source of spend), and the confirmation e-mail
 * is queued to the customer's first address — declaration, date and time in their zone (named), the
 * subscription, effective end, "no charges after", refund and reference.
 */
export async function confirmCancellation(scope: TenantScope, cancellationId: string, now = new Date()): Promise<ConfirmedCancellation> {
  const result = await inTenantTx(scope, async (tx) => {
    const row = await requireCancellation(tx, scope.tenantId, cancellationId, true);
    const r = apply(reviveState(row.state), { type: 'confirm', at: now });
    if ('error' in r) throw new ConflictError(r.error);
    const state = r.state;
    const effectiveAt = state.effectiveAt!;
    const sub = await requireSubscription(tx, scope.tenantId, row.subscription_id, true);
    const plan = await findPlan(tx, scope.tenantId, sub.plan_id);
    if (!plan) throw new Error(`subscription ${sub.id} has no plan`); // a foreign key guarantees it
    const refundMinor = state.refund?.amountMinor ?? 0;
    const refund = { amountMinor: refundMinor, currency: plan.currency, basis: state.refund?.basis ?? ('none_period_end' as const) };

    const updated = await tx
      .updateTable('cancellations')
      .set({ state: storeState(state), status: state.status, effective_at: effectiveAt, refund_minor: refundMinor, confirmed_at: now })
      .where('tenant_id', '=', scope.tenantId)
      .where('id', '=', cancellationId)
      .returningAll()
      .executeTakeFirstOrThrow();
    // Billing stops here: no renewal, and the subscription is cancelled once the effective instant has come.
    await tx
      .updateTable('subscriptions')
      .set({ renews_at: null, ...(effectiveAt.getTime() <= now.getTime() ? { status: 'cancelled' as const } : {}) })
      .where('tenant_id', '=', scope.tenantId)
      .where('id', '=', sub.id)
      .execute();
    await writeAudit(tx, {
      tenantId: scope.tenantId,
      actor: scope.actor,
      action: 'cancellation.confirmed',
      entityType: 'cancellation',
      entityId: row.id,
      fields: ['status', 'effectiveAt', 'refund', 'confirmedAt'],
    });

    if (refundMinor > 0) {
      // Same semantics as recordSpend (idempotent on externalId), inside this transaction.
      const entry = await insertSpendEntry(tx, {
        tenant_id: scope.tenantId,
        id: newId(),
        customer_id: sub.customer_id,
        amount_minor: -refundMinor,
        currency: plan.currency,
        at: now,
        source: 'cancellation_refund',
        external_id: `cancellation-refund:${row.id}`,
      });
      if (entry) {
        await writeAudit(tx, {
          tenantId: scope.tenantId,
          actor: scope.actor,
          action: 'spend.recorded',
          entityType: 'spend_entry',
          entityId: entry.id,
          fields: ['amountMinor', 'currency', 'at', 'source', 'externalId'],
        });
      }
    }

    const customer = await findCustomer(tx, scope.tenantId, sub.customer_id);
    const to = customer?.emails[0];
    let emailJobId: string | null = null;
    if (to) {
      const zone = zoneOrUtc(customer.time_zone);
      const money = formatMoney(refundMinor, plan.currency, customer.locale ?? undefined);
      const confirmedLocal = localDateTime(now, zone);
      const effectiveLocal = localDateTime(effectiveAt, zone);
      const subscriptionName = `${plan.name} (${sub.reference})`;
      const text = [
        `Dear ${customer.name},`,
        '',
        `Your cancellation is confirmed. Cancellation reference: ${updated.reference}.`,
        '',
        `Your declaration: "I cancel my subscription ${subscriptionName}." — received on ${confirmedLocal}.`,
        '',
        `Subscription: ${subscriptionName}`,
        `Ends on: ${effectiveLocal}`,
        `No charges after: ${effectiveLocal}`,
        `Refund: ${refundMinor > 0 ? `${money}, to the payment method on file` : 'none'}`,
        `Reference: ${updated.reference}`,
        '',
        'If you did not ask for this, reply to this e-mail and we will restore your subscription.',
      ].join('\n');
      emailJobId = await enqueue(tx, {
        tenantId: scope.tenantId,
        kind: 'email.send',
        payload: {
          to,
          subject: `Your cancellation of ${subscriptionName} is confirmed (${updated.reference})`,
          text,
          cancellationId: row.id,
          reference: updated.reference,
          subscriptionReference: sub.reference,
          confirmedAt: now.toISOString(),
          timeZone: zone,
          effectiveAt: effectiveAt.toISOString(),
          noChargesAfter: effectiveAt.toISOString(),
          refundMinor,
          currency: plan.currency,
        },
      });
    }
    return { row: updated, reference: updated.reference, effectiveAt, noChargesAfter: effectiveAt, refund, emailJobId };
  });
  if (result.emailJobId) scope.onOutbox?.();
  return result;
}
