/**
 * Billing stops: the guard every charge passes, and the reconciliation rule that finds charges
 * that slipped through. A confirmed cancellation's effective instant is the line: nothing at or
 * after it may be charged, ever.
 */
import { isInForce, type CancellationState } from './machine.ts';
import type { Charge, Subscription } from './types.ts';

/**
 * Whether the subscription may be charged at `chargeAt`. False when the subscription is cancelled or
 * paused, and false at or after the effective instant of a confirmed (or effective) cancellation of
 * this subscription. A request not yet confirmed, a withdrawn attempt and a reversal do not stop billing.
 */
export function mayCharge(sub: Pick<Subscription, 'id' | 'status'>, cancellation: CancellationState | null, chargeAt: Date): boolean {
  if (Number.isNaN(chargeAt.getTime())) return false;
  if (sub.status === 'cancelled' || sub.status === 'paused') return false;
  if (cancellation === null || cancellation.context.subscriptionId !== sub.id) return true;
  if (!isInForce(cancellation) || cancellation.effectiveAt === null) return true;
  return chargeAt.getTime() < cancellation.effectiveAt.getTime();
}

/**
 * The charges the reconciliation job must refund: those of the cancelled subscription made at or after
 * the effective instant of a cancellation in force. Order is kept; nothing when not in force.
 */
export function chargesToRefund<C extends Charge>(charges: readonly C[], cancellation: CancellationState | null): C[] {
  if (cancellation === null || !isInForce(cancellation) || cancellation.effectiveAt === null) return [];
  const line = cancellation.effectiveAt.getTime();
  const subId = cancellation.context.subscriptionId;
  return charges.filter((c) => c.subscriptionId === subId && c.at.getTime() >= line);
}
