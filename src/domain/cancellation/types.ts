/**
 * Plain data for fair cancellation: plans, subscriptions, usage and the published refund policy.
 * Money is always integer minor units with an ISO currency; dates are UTC `Date`s.
 */

/** How often a plan bills. */
export type Interval = 'month' | 'year';

/** A plan of a product: what the customer pays and what it includes. */
export interface Plan {
  id: string;
  productId: string;
  name: string;
  /** Price per interval, in minor units of `currency`. */
  priceMinor: number;
  currency: string;
  interval: Interval;
  /**
   * Features the plan includes. A usage unit counts as covered only by a plan that lists a feature of
   * the same name (usage units ARE feature names, so "covers their usage" is checkable from data).
   */
  features: string[];
  /** Optional monthly caps per feature (units per calendar month); a listed feature without a cap is unlimited. */
  limits?: Record<string, number>;
}

/** Where a subscription is in its life. */
export type SubscriptionStatus = 'trialing' | 'active' | 'paused' | 'cancelled';

/** One entry of a subscription's price history: the price per interval from `from` on. */
export interface PricePoint {
  priceMinor: number;
  from: Date;
}

/** A customer's subscription to one plan. */
export interface Subscription {
  id: string;
  customerId: string;
  planId: string;
  status: SubscriptionStatus;
  currentPeriodStart: Date;
  currentPeriodEnd: Date;
  /** Every price this customer has paid or been told they will pay, with its start; any order. */
  priceHistory: PricePoint[];
  renewsAt: Date | null;
  /** When the contract was concluded: the cooling-off (withdrawal) period runs from here. */
  startedAt: Date;
  /** Human-readable reference the customer can quote (and use on the logged-out route). */
  reference: string;
}

/** One calendar month of a customer's usage, per unit (= feature name). */
export interface UsageMonth {
  /** `YYYY-MM`, UTC. */
  month: string;
  units: Record<string, number>;
}

/** The published refund policy for cancellations. */
export interface RefundPolicy {
  /** What an immediate cancellation outside cooling-off refunds: the unused days, or nothing. */
  immediateRefund: 'prorated' | 'none';
  /** Length of the statutory withdrawal period, in days from `startedAt`. */
  coolingOffDays: number;
}

/** The default published policy: prorated refunds for immediate cancellation, 14 days' cooling-off. */
export const DEFAULT_REFUND_POLICY: RefundPolicy = Object.freeze({ immediateRefund: 'prorated', coolingOffDays: 14 });

/** When a cancellation takes effect: at the end of the paid period (default) or at once. */
export type Timing = 'period_end' | 'immediate';

/** Where the cancellation was asked for. */
export type Channel = 'portal' | 'logged_out' | 'agent' | 'email' | 'api';

/** The optional survey answer. Only some reasons can ever lead to a clarification or an offer. */
export type CancellationReason = 'price' | 'unused' | 'too_expensive' | 'missing_feature' | 'switching' | 'other';

/** A charge made (or about to be made) to a customer, as the billing ledger records it. */
export interface Charge {
  id: string;
  subscriptionId: string;
  at: Date;
  amountMinor: number;
  currency: string;
}
