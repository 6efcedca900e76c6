import { apply, type RefundBasis } from '../domain/cancellation/index.ts';
import { formatMoney } from '../domain/charter/money.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { findCustomer } from '../db/repositories/customers.ts';
import { enqueue } from '../db/repositories/outbox.ts';
import { emitWebhookEvent } from './emit-webhook-event.ts';
import { newId } from '../db/ids.ts';
import type { CancellationRow } from '../db/schema.ts';
import { ConflictError } from './errors.ts';
import type { Tx } from '../db/with-tenant.ts';
import { inTenantTx, type TenantScope } from './scope.ts';
import { generateToken } from './tokens.ts';
import { billingProvider } from './billing-provider.ts';
import { splitRefund } from './billing-ledger.ts';
import { findPlan, requireCancellation, requireSubscription, reviveState, storeState } from './subscription-records.ts';

/** What the customer is told at once, on screen; the same facts go out by e-mail. */
export interface ConfirmedCancellation {
  row: CancellationRow;
  reference: string;
  effectiveAt: Date;
  /** Nothing is charged at or after this instant (= the effective instant). */
  noChargesAfter: Date;
  /** The whole refund, and how it goes back: to the payment method, and as account credit (what credit paid for). */
  refund: { amountMinor: number; currency: string; basis: RefundBasis; toPaymentMethodMinor: number; asCreditMinor: number };
  /** The id of the confirmation e-mail's outbox job, or null when the customer has no e-mail on file. */
  emailJobId: string | null;
  /** Whether a `cancellation.confirmed` webhook event was queued (some endpoint listens for it). */
  eventQueued: boolean;
}

/** The refund line of the confirmation: where the money goes. */
function refundText(refund: ConfirmedCancellation['refund'], locale: string | undefined): string {
  if (refund.amountMinor <= 0) return 'none';
  const money = (minor: number) => formatMoney(minor, refund.currency, locale);
  const parts = [
    ...(refund.toPaymentMethodMinor > 0 ? [`${money(refund.toPaymentMethodMinor)}, to the payment method on file`] : []),
    ...(refund.asCreditMinor > 0 ? [`${money(refund.asCreditMinor)}, back as account credit (the credit that paid for this period)`] : []),
  ];
  return parts.join(', and ');
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

export interface ConfirmOptions {
  now?: Date;
  /** The signed-in customer acting (portal): another customer's cancellation is not found. */
  customerId?: string | undefined;
}

/**
 * The customer confirms ("Cancel now"). Whatever was shown counts as declined; the effective instant
 * and refund follow from the published policy. In the same transaction: renewal stops, a refund is
 * written as a negative spend entry (the charter's one source of spend), and the confirmation e-mail
 * is queued to the customer's first address — declaration, date and time in their zone (named), the
 * subscription, effective end, "no charges after", refund and reference.
 */
export async function confirmCancellation(scope: TenantScope, cancellationId: string, options: ConfirmOptions = {}): Promise<ConfirmedCancellation> {
  const now = options.now ?? new Date();
  const result = await inTenantTx(scope, (tx) => confirmInTx(tx, scope, cancellationId, { now, customerId: options.customerId, countStep: true, reversal: null }));
  if (result.emailJobId || result.eventQueued) scope.onOutbox?.();
  return result;
}

/** A single-use reversal link for the e-mail of a logged-out cancellation (the owner may undo it). */
export interface ReversalLink {
  /** The link without the token; the token goes in its fragment (never sent to servers or logs). */
  url: string;
  /** At least this long after confirmation, even when the cancellation takes effect at once. */
  minimumValidityMs: number;
}

/** The body of a confirmation, in the caller's transaction (the logged-out route requests and confirms in one). */
export async function confirmInTx(
  tx: Tx,
  scope: TenantScope,
  cancellationId: string,
  options: { now: Date; customerId?: string | undefined; countStep: boolean; reversal: ReversalLink | null },
): Promise<ConfirmedCancellation> {
  const { now } = options;
  const row = await requireCancellation(tx, scope.tenantId, cancellationId, true, options.customerId);
  const r = apply(reviveState(row.state), { type: 'confirm', at: now });
  if ('error' in r) throw new ConflictError(r.error);
  const state = r.state;
  const effectiveAt = state.effectiveAt!;
  const sub = await requireSubscription(tx, scope.tenantId, row.subscription_id, true);
  const plan = await findPlan(tx, scope.tenantId, sub.plan_id);
  if (!plan) throw new Error(`subscription ${sub.id} has no plan`); // a foreign key guarantees it
  // Never more cash back than this period was paid in cash; what account credit paid for goes back as credit.
  const split = await splitRefund(tx, scope.tenantId, sub.id, sub.current_period_start, state.refund?.amountMinor ?? 0);
  const refundMinor = split.totalMinor;
  const refund = {
    amountMinor: refundMinor,
    currency: plan.currency,
    basis: state.refund?.basis ?? ('none_period_end' as const),
    toPaymentMethodMinor: split.toPaymentMethodMinor,
    asCreditMinor: split.asCreditMinor,
  };

  const updated = await tx
    .updateTable('cancellations')
    .set({ state: storeState(state), status: state.status, effective_at: effectiveAt, refund_minor: refundMinor, confirmed_at: now, ...(options.countStep ? { steps: row.steps + 1 } : {}) })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', cancellationId)
    .returningAll()
    .executeTakeFirstOrThrow();
  // Billing stops here: no renewal, and the subscription is cancelled once the effective instant has come.
  await billingProvider.cancelAtProvider(tx, { tenantId: scope.tenantId, subscription: sub, effectiveAt, now });
  // The refund goes through the provider: a ledger row and its negative spend entry (the charter's one source of spend).
  const refunded =
    split.toPaymentMethodMinor > 0
      ? await billingProvider.refund(tx, {
          tenantId: scope.tenantId,
          subscriptionId: sub.id,
          customerId: sub.customer_id,
          amountMinor: split.toPaymentMethodMinor,
          currency: plan.currency,
          ...(split.invoiceId && { invoiceId: split.invoiceId }),
          periodStart: sub.current_period_start,
          periodEnd: sub.current_period_end,
          at: now,
          idempotencyKey: `cancellation-refund:${row.id}`,
          spend: { source: 'cancellation_refund', externalId: `cancellation-refund:${row.id}` },
        })
      : null;
  const credited =
    split.asCreditMinor > 0
      ? await billingProvider.grantCredit(tx, {
          tenantId: scope.tenantId,
          customerId: sub.customer_id,
          amountMinor: split.asCreditMinor,
          currency: plan.currency,
          reason: `Account credit that paid for the cancelled period, returned (cancellation ${row.reference})`,
          grantedBy: scope.actor,
          at: now,
        })
      : null;

  const customer = await findCustomer(tx, scope.tenantId, sub.customer_id);
  const to = customer?.emails[0];
  // Logged-out cancellations: who really owns the subscription can undo it from the e-mail.
  let reversal: { link: string; expiresAt: Date } | null = null;
  if (options.reversal && to) {
    const { token, hash } = generateToken();
    const expiresAt = new Date(Math.max(effectiveAt.getTime(), now.getTime() + options.reversal.minimumValidityMs));
    await tx.insertInto('cancellation_reversals').values({ tenant_id: scope.tenantId, id: newId(), cancellation_id: row.id, token_hash: hash, expires_at: expiresAt }).execute();
    reversal = { link: `${options.reversal.url}#${token}`, expiresAt };
  }
  let emailJobId: string | null = null;
  if (to) {
    const zone = zoneOrUtc(customer.time_zone);
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
      `Refund: ${refundText(refund, customer.locale ?? undefined)}`,
      `Reference: ${updated.reference}`,
      '',
      ...(reversal
        ? [`If you did not ask for this, undo it with this link (it works once, until ${localDateTime(reversal.expiresAt, zone)}):`, reversal.link]
        : ['If you did not ask for this, reply to this e-mail and we will restore your subscription.']),
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
  const eventQueued = await emitWebhookEvent(tx, scope.tenantId, 'cancellation.confirmed', {
    cancellationId: row.id,
    reference: updated.reference,
    subscriptionId: sub.id,
    customerId: sub.customer_id,
    channel: updated.channel,
    confirmedAt: now.toISOString(),
    effectiveAt: effectiveAt.toISOString(),
    refundMinor,
    currency: plan.currency,
  });
  // Audit last, after every other row lock of this transaction.
  await writeAudit(tx, {
    tenantId: scope.tenantId,
    actor: scope.actor,
    action: 'cancellation.confirmed',
    entityType: 'cancellation',
    entityId: row.id,
    fields: ['status', 'effectiveAt', 'refund', 'confirmedAt', ...(options.countStep ? ['steps'] : []), ...(reversal ? ['reversalLink'] : [])],
  });
  if (credited) {
    await writeAudit(tx, { tenantId: scope.tenantId, actor: scope.actor, action: 'credit.granted', entityType: 'credit', entityId: credited.id, fields: ['amountMinor', 'currency', 'reason'] });
  }
  if (refunded) {
    await writeAudit(tx, { tenantId: scope.tenantId, actor: scope.actor, action: 'billing.refunded', entityType: 'charge', entityId: refunded.id, fields: ['amountMinor', 'currency', 'cancellationId'] });
    if (refunded.spendEntryId) {
      await writeAudit(tx, { tenantId: scope.tenantId, actor: scope.actor, action: 'spend.recorded', entityType: 'spend_entry', entityId: refunded.spendEntryId, fields: ['amountMinor', 'currency', 'at', 'source', 'externalId'] });
    }
  }
  return { row: updated, reference: updated.reference, effectiveAt, noChargesAfter: effectiveAt, refund, emailJobId, eventQueued };
}
