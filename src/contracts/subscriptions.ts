import { z } from 'zod';
import { Id, PageQuery, Timestamp, listOf, text } from './common.ts';
import { Currency } from './spend.ts';

/** Money is integer minor units (cents); prices are never negative. */
const PriceMinor = z.number().int({ error: 'must be an integer number of minor units (e.g. cents)' }).min(0).max(1e12);
const Interval = z.enum(['month', 'year']);
/** A feature name; usage units are feature names, so a plan "covers" usage checkably. */
const Feature = z.string().trim().min(1).max(100);

/** A feature of a product and, in plain words, what it gives the customer. */
export const ProductFeature = z.strictObject({
  name: Feature.describe('the feature; plans include features by this name, and usage is counted in it'),
  benefit: text(500).describe('what the feature gives the customer, in plain words'),
});
export type ProductFeature = z.infer<typeof ProductFeature>;

export const ProductCreate = z.strictObject({
  name: text(200),
  description: z.string().trim().max(2000).optional(),
  features: z.array(ProductFeature).max(100).default([]).describe('the features and the benefit each gives'),
});
export type ProductCreate = z.infer<typeof ProductCreate>;

export const Product = z
  .object({ id: Id, name: z.string(), description: z.string().nullable(), features: z.array(z.object({ name: z.string(), benefit: z.string() })), createdAt: Timestamp })
  .meta({ id: 'Product' });
export type Product = z.infer<typeof Product>;
export const ProductListQuery = z.strictObject({ ...PageQuery });
export const ProductList = listOf(Product);

export const PlanCreate = z.strictObject({
  productId: Id,
  name: text(200),
  priceMinor: PriceMinor,
  currency: Currency,
  interval: Interval,
  features: z.array(Feature).max(100).default([]),
  limits: z.record(Feature, z.number().int().min(0)).optional().describe('monthly caps per feature; a listed feature without a cap is unlimited'),
});
export type PlanCreate = z.infer<typeof PlanCreate>;

export const Plan = z
  .object({
    id: Id,
    productId: Id,
    name: z.string(),
    priceMinor: z.number().int(),
    currency: z.string(),
    interval: Interval,
    features: z.array(z.string()),
    limits: z.record(z.string(), z.number()),
    createdAt: Timestamp,
  })
  .meta({ id: 'Plan' });
export type Plan = z.infer<typeof Plan>;
export const PlanListQuery = z.strictObject({ ...PageQuery, productId: Id.optional() });
export const PlanList = listOf(Plan);

const PricePoint = z.strictObject({ priceMinor: PriceMinor, from: Timestamp });

export const SubscriptionCreate = z.strictObject({
  customerId: Id,
  planId: Id,
  status: z.enum(['trialing', 'active']).default('active'),
  startedAt: Timestamp.optional().describe('when the contract was concluded (default now); cooling-off runs from here'),
  currentPeriodStart: Timestamp.optional(),
  currentPeriodEnd: Timestamp.optional(),
  priceHistory: z.array(PricePoint).min(1).max(100).optional().describe("the customer's prices with their start (default: the plan's price from startedAt)"),
  trialEndsAt: Timestamp.optional().describe('starts with a free trial until then: status trialing, nothing charged, billing starts at trialEndsAt'),
});
export type SubscriptionCreate = z.infer<typeof SubscriptionCreate>;

export const Subscription = z
  .object({
    id: Id,
    customerId: Id,
    planId: Id,
    status: z.enum(['trialing', 'active', 'paused', 'cancelled']),
    currentPeriodStart: Timestamp,
    currentPeriodEnd: Timestamp,
    priceHistory: z.array(z.object({ priceMinor: z.number().int(), from: Timestamp })),
    renewsAt: Timestamp.nullable(),
    startedAt: Timestamp,
    reference: z.string(),
    trialEndsAt: Timestamp.nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Subscription' });
export type Subscription = z.infer<typeof Subscription>;
export const SubscriptionListQuery = z.strictObject({ ...PageQuery, customerId: Id.optional() });
export const SubscriptionList = listOf(Subscription);

export const UsageCreate = z.strictObject({
  unit: Feature.describe('the feature used (usage units are feature names)'),
  quantity: z.number().int().min(1).max(1e12),
  at: Timestamp,
  externalId: text(200).describe('unique per tenant; the same externalId is never counted twice'),
});
export type UsageCreate = z.infer<typeof UsageCreate>;

export const UsageEvent = z
  .object({ id: Id, customerId: Id, unit: z.string(), quantity: z.number().int(), at: Timestamp, externalId: z.string(), createdAt: Timestamp })
  .meta({ id: 'UsageEvent' });
export type UsageEvent = z.infer<typeof UsageEvent>;

export const CancellationCreate = z.strictObject({
  channel: z.enum(['portal', 'logged_out', 'agent', 'email', 'api']),
  reason: z.enum(['price', 'unused', 'too_expensive', 'missing_feature', 'switching', 'other']).nullable().optional().describe('the optional survey answer'),
  timing: z.enum(['period_end', 'immediate']).default('period_end'),
});
export type CancellationCreate = z.infer<typeof CancellationCreate>;

/** Facts of the customer's own account: their real old and new price and the yearly difference for them. */
export const Clarification = z.object({
  kind: z.literal('clarification'),
  headline: z.string(),
  body: z.string(),
  facts: z.object({
    oldPriceMinor: z.number().int(),
    newPriceMinor: z.number().int(),
    currency: z.string(),
    interval: Interval,
    changedAt: Timestamp,
    yearlyDifferenceMinor: z.number().int(),
    alreadyInEffect: z.boolean(),
  }),
});

/** Another plan of the same product that covers the customer's own use for less. */
export const Offer = z.object({
  kind: z.literal('offer'),
  planId: Id,
  planName: z.string(),
  yearlySavingMinor: z.number().int(),
  headline: z.string(),
  why: z.string(),
  facts: z.object({
    currency: z.string(),
    currentYearlyMinor: z.number().int(),
    offeredYearlyMinor: z.number().int(),
    peakMonthlyUsage: z.record(z.string(), z.number()),
    featuresNotIncluded: z.array(z.string()),
  }),
});

export const Refund = z.object({
  amountMinor: z.number().int(),
  currency: z.string(),
  basis: z.enum(['cooling_off_full', 'prorated', 'none_period_end', 'none_by_policy', 'none_period_over']),
  toPaymentMethodMinor: z.number().int().optional().describe('the part refunded to the payment method (never more than was paid in cash for the period)'),
  asCreditMinor: z.number().int().optional().describe('the part returned as account credit: what credit paid for'),
});

export const Cancellation = z
  .object({
    id: Id,
    subscriptionId: Id,
    reference: z.string(),
    status: z.enum(['idle', 'requested', 'offered', 'clarified', 'confirmed', 'effective', 'withdrawn', 'reversed']),
    channel: z.string(),
    reason: z.string().nullable(),
    timing: z.enum(['period_end', 'immediate']),
    /** Asked inside cooling-off: a withdrawal, with nothing shown. */
    withdrawal: z.boolean(),
    clarification: Clarification.nullable(),
    offer: Offer.nullable(),
    /** What became of the clarification or offer, if one was shown. */
    shownOutcome: z.enum(['pending', 'declined', 'accepted']).nullable(),
    effectiveAt: Timestamp.nullable(),
    refund: Refund.nullable(),
    /** API steps the customer took: request, decline or accept, confirm (the flow-health report's clicks). */
    steps: z.number().int(),
    createdAt: Timestamp,
    confirmedAt: Timestamp.nullable(),
    /** When the attempt ended without a cancellation (withdrawn, offer accepted) or was reversed. */
    endedAt: Timestamp.nullable(),
  })
  .meta({ id: 'Cancellation' });
export type Cancellation = z.infer<typeof Cancellation>;
export const CancellationStatus = Cancellation.shape.status;

export const CancellationListQuery = z
  .strictObject({
    ...PageQuery,
    customerId: Id.optional(),
    subscriptionId: Id.optional(),
    status: CancellationStatus.optional(),
    from: Timestamp.optional().describe('Attempts asked at or after this instant'),
    to: Timestamp.optional().describe('Attempts asked before this instant'),
  })
  .superRefine((q, ctx) => {
    if (q.from !== undefined && q.to !== undefined && Date.parse(q.to) <= Date.parse(q.from)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
  });

/** Where a confirmation e-mail stands: its outbox job pending, done (sent) or dead (failed for good). */
export const EmailState = z.enum(['pending', 'sent', 'failed']);

/** In a list: the attempt with whose it is and how its confirmation e-mail fared (the compliance list and the customer timeline). */
export const CancellationListItem = Cancellation.extend({
  customerId: Id,
  customerName: z.string(),
  subscriptionReference: z.string(),
  planName: z.string(),
  confirmationEmail: z
    .object({ state: EmailState, attempts: z.number().int(), sentAt: Timestamp.nullable() })
    .nullable()
    .describe('null when no confirmation e-mail was queued (not confirmed, or no address on file)'),
}).meta({ id: 'CancellationListItem' });
export type CancellationListItem = z.infer<typeof CancellationListItem>;
export const CancellationList = listOf(CancellationListItem);

/**
 * A confirmed cancellation's confirmation as the customer got it: the figures, and the e-mail with
 * its delivery. A reversal link's single-use token is never shown (`#…redacted`).
 */
export const CancellationConfirmationRecord = z
  .object({
    cancellationId: Id,
    reference: z.string(),
    confirmedAt: Timestamp,
    effectiveAt: Timestamp,
    refund: Refund.nullable(),
    email: z
      .object({
        to: z.string().nullable().describe('null once the customer was erased'),
        subject: z.string(),
        text: z.string().nullable().describe('As sent, with the secret of any link redacted; null once the customer was erased'),
        state: EmailState,
        attempts: z.number().int(),
        queuedAt: Timestamp,
        sentAt: Timestamp.nullable(),
        lastError: z.string().nullable(),
      })
      .nullable()
      .describe('null when the customer had no e-mail address on file'),
  })
  .meta({ id: 'CancellationConfirmationRecord' });
export type CancellationConfirmationRecord = z.infer<typeof CancellationConfirmationRecord>;

export const CancellationConfirmation = z
  .object({
    reference: z.string(),
    effectiveAt: Timestamp,
    refund: Refund,
    /** Nothing is charged at or after this instant. */
    noChargesAfter: Timestamp,
  })
  .meta({ id: 'CancellationConfirmation' });
export type CancellationConfirmation = z.infer<typeof CancellationConfirmation>;

/** The portal's "Cancel now": the confirmation and the cancellation as it now stands. */
export const PortalCancellationConfirmation = CancellationConfirmation.extend({ cancellation: Cancellation }).meta({ id: 'PortalCancellationConfirmation' });
export type PortalCancellationConfirmation = z.infer<typeof PortalCancellationConfirmation>;

/** What a signed-in customer sends to cancel: the channel is `portal`, set by the server. */
export const PortalCancellationCreate = z.strictObject({
  reason: CancellationCreate.shape.reason,
  timing: CancellationCreate.shape.timing,
});
export type PortalCancellationCreate = z.infer<typeof PortalCancellationCreate>;

/** One of the signed-in customer's subscriptions, with the price they pay now and the standing cancellation. */
export const PortalSubscription = z
  .object({
    id: Id,
    reference: z.string(),
    planId: Id,
    planName: z.string(),
    /** The price this customer pays per interval now (their own price history), in minor units. */
    priceMinor: z.number().int(),
    currency: z.string(),
    interval: Interval,
    status: z.enum(['trialing', 'active', 'paused', 'cancelled']),
    renewsAt: Timestamp.nullable(),
    currentPeriodEnd: Timestamp,
    /** The attempt that still stands (asked, or confirmed and not reversed), if any. */
    openCancellation: Cancellation.nullable(),
    /** What cancelling now would mean, by timing, under the published refund policy (in `currency`). */
    ifCancelledNow: z.object({
      withdrawal: z.boolean().describe('inside the cooling-off period: either timing ends it at once with a full refund'),
      periodEnd: z.object({ effectiveAt: Timestamp, refundMinor: z.number().int() }),
      immediate: z.object({ effectiveAt: Timestamp, refundMinor: z.number().int() }),
    }),
  })
  .meta({ id: 'PortalSubscription' });
export type PortalSubscription = z.infer<typeof PortalSubscription>;
export const PortalSubscriptionList = z.object({ data: z.array(PortalSubscription), nextCursor: z.null() });

/** The logged-out route's form: the e-mail on file and the subscription's reference, then "Cancel now". */
export const LoggedOutCancellationCreate = z.strictObject({
  email: z.email().max(254),
  reference: z.string().trim().min(3).max(40).describe('the subscription reference, e.g. NW-7F3K2Q (case does not matter)'),
  reason: CancellationCreate.shape.reason,
  timing: CancellationCreate.shape.timing,
});
export type LoggedOutCancellationCreate = z.infer<typeof LoggedOutCancellationCreate>;

/** One entry of a customer's billing ledger, with the balances in its currency after it. */
export const LedgerEntry = z
  .object({
    id: Id,
    /** Null for a credit grant (credit belongs to the customer, not to one subscription). */
    subscriptionId: Id.nullable(),
    kind: z
      .enum(['charge', 'refund', 'credit', 'credit_applied'])
      .describe('charge and refund: money moved; credit: account credit granted; credit_applied: credit used on an invoice (its negative line)'),
    /** Always positive; `kind` says which way the money (or credit) went. */
    amountMinor: z.number().int(),
    currency: z.string(),
    periodStart: Timestamp.nullable(),
    periodEnd: Timestamp.nullable(),
    at: Timestamp,
    externalId: z.string(),
    /** Net paid in this currency after this entry (charges minus refunds, in time order); credit does not change it. */
    balanceMinor: z.number().int(),
    /** Account credit still available in this currency after this entry (granted minus applied). */
    creditBalanceMinor: z.number().int(),
    /** The invoice of a charge or credit applied, or the one a refund gives money back on; null for a credit grant. */
    invoiceId: Id.nullable(),
    /** Its human number, e.g. `INV-000123`. */
    invoiceNumber: z.string().nullable(),
    /** Why the credit was granted (credit entries); null otherwise. */
    reason: z.string().nullable(),
  })
  .meta({ id: 'LedgerEntry' });
export type LedgerEntry = z.infer<typeof LedgerEntry>;
export const LedgerQuery = z.strictObject({ ...PageQuery });
export const LedgerList = listOf(LedgerEntry);
export const PriceChangeCreate = z.strictObject({
  priceMinor: PriceMinor.describe("the plan's new price per interval, in minor units of its currency"),
  effectiveAt: Timestamp.describe('when the new price starts: at least 30 days ahead; billing periods starting on or after it are charged at it'),
  reason: text(2000).describe('why the price changes, in plain words: it is part of every notice'),
});
export type PriceChangeCreate = z.infer<typeof PriceChangeCreate>;

export const PriceChange = z
  .object({
    id: Id,
    planId: Id,
    priceMinor: z.number().int(),
    currency: z.string(),
    effectiveAt: Timestamp,
    reason: z.string(),
    announcedAt: Timestamp,
    /** How many subscribers were sent their personal notice with the announcement. */
    noticed: z.number().int(),
  })
  .meta({ id: 'PriceChange' });
export type PriceChange = z.infer<typeof PriceChange>;

export const TermsChangeCreate = z.strictObject({
  summary: text(500).describe('the change in plain words, as every notice states it: "the monthly cap falls from 200 GB to 150 GB"'),
  details: text(4000).optional().describe('more about the change, in plain words: part of every notice when given'),
  effectiveAt: Timestamp.describe('when the new terms start: at least 30 days ahead'),
});
export type TermsChangeCreate = z.infer<typeof TermsChangeCreate>;

export const TermsChange = z
  .object({
    id: Id,
    planId: Id,
    summary: z.string(),
    details: z.string().nullable(),
    effectiveAt: Timestamp,
    announcedAt: Timestamp,
    /** How many subscribers were sent their personal notice with the announcement. */
    noticed: z.number().int(),
  })
  .meta({ id: 'TermsChange' });
export type TermsChange = z.infer<typeof TermsChange>;

export const Notice = z
  .object({
    id: Id,
    subscriptionId: Id,
    kind: z.enum(['price_change', 'terms_change', 'annual_reminder', 'trial_reminder']),
    /** Which occurrence: the price or terms change, the renewal or anniversary, or the trial's end. */
    periodKey: z.string(),
    priceChangeId: Id.nullable(),
    termsChangeId: Id.nullable(),
    sentAt: Timestamp,
    /** Null when the customer had no e-mail address on file (recorded, not sent). */
    to: z.string().nullable(),
    subject: z.string(),
    figures: z.record(z.string(), z.union([z.string(), z.number()])),
  })
  .meta({ id: 'Notice' });
export type Notice = z.infer<typeof Notice>;
export const NoticeListQuery = z.strictObject({ ...PageQuery });
export const NoticeList = listOf(Notice);
