import type { ConfirmedCancellation } from '../../app/confirm-cancellation.ts';
import type { PortalSubscription } from '../../app/portal-cancellations.ts';
import type { ConfirmationRecord } from '../../app/read-cancellation-confirmation.ts';
import type { CancellationListView, CancellationView } from '../../app/read-subscriptions.ts';
import { reviveState } from '../../app/subscription-records.ts';
import {
  Clarification,
  Offer,
  type Cancellation,
  type CancellationConfirmation,
  type CancellationConfirmationRecord,
  type CancellationListItem,
  type PortalSubscription as PortalSubscriptionShape,
} from '../../contracts/subscriptions.ts';

/** A cancellation attempt as the staff API and the portal both show it. */
export function presentCancellation({ row, currency }: CancellationView): Cancellation {
  const state = reviveState(row.state);
  // The stored display copy was checked when computed; parsing it again keeps the answer's shape honest.
  const clarification = row.shown?.kind === 'clarification' ? Clarification.parse(row.shown) : null;
  const offer = row.shown?.kind === 'offer' ? Offer.parse(row.shown) : null;
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    reference: row.reference,
    status: state.status,
    channel: row.channel,
    reason: row.reason,
    timing: row.timing,
    withdrawal: state.withdrawal,
    clarification,
    offer,
    shownOutcome: state.shown?.outcome ?? null,
    effectiveAt: row.effective_at?.toISOString() ?? null,
    refund: state.refund ? { amountMinor: state.refund.amountMinor, currency, basis: state.refund.basis } : null,
    steps: row.steps,
    createdAt: row.created_at.toISOString(),
    confirmedAt: row.confirmed_at?.toISOString() ?? null,
    endedAt: row.ended_at?.toISOString() ?? null,
  };
}

/** A cancellation in a list: the attempt, whose it is, and its confirmation e-mail's delivery. */
export function presentCancellationListItem(v: CancellationListView): CancellationListItem {
  return {
    ...presentCancellation(v),
    customerId: v.customerId,
    customerName: v.customerName,
    subscriptionReference: v.subscriptionReference,
    planName: v.planName,
    confirmationEmail: v.email ? { state: v.email.state, attempts: v.email.attempts, sentAt: v.email.sentAt?.toISOString() ?? null } : null,
  };
}

/** A confirmation as the customer got it (link secrets already redacted by the use-case). */
export function presentConfirmationRecord(c: ConfirmationRecord): CancellationConfirmationRecord {
  return {
    cancellationId: c.cancellationId,
    reference: c.reference,
    confirmedAt: c.confirmedAt.toISOString(),
    effectiveAt: c.effectiveAt.toISOString(),
    refund: c.refund,
    email: c.email ? { ...c.email, queuedAt: c.email.queuedAt.toISOString(), sentAt: c.email.sentAt?.toISOString() ?? null } : null,
  };
}

/** What the customer is told at once when they confirm. */
export function presentConfirmation(c: ConfirmedCancellation): CancellationConfirmation {
  return { reference: c.reference, effectiveAt: c.effectiveAt.toISOString(), refund: c.refund, noChargesAfter: c.noChargesAfter.toISOString() };
}

/** One of the signed-in customer's subscriptions, for the portal. */
export function presentPortalSubscription(p: PortalSubscription): PortalSubscriptionShape {
  const s = p.subscription;
  return {
    id: s.id,
    reference: s.reference,
    planId: p.plan.id,
    planName: p.plan.name,
    priceMinor: p.priceMinor,
    currency: p.plan.currency,
    interval: p.plan.interval,
    status: s.status,
    renewsAt: s.renews_at?.toISOString() ?? null,
    currentPeriodEnd: s.current_period_end.toISOString(),
    openCancellation: p.cancellation ? presentCancellation(p.cancellation) : null,
    ifCancelledNow: {
      withdrawal: p.ifCancelledNow.withdrawal,
      periodEnd: { effectiveAt: p.ifCancelledNow.periodEnd.effectiveAt.toISOString(), refundMinor: p.ifCancelledNow.periodEnd.refundMinor },
      immediate: { effectiveAt: p.ifCancelledNow.immediate.effectiveAt.toISOString(), refundMinor: p.ifCancelledNow.immediate.refundMinor },
    },
  };
}
