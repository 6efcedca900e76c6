import { z } from 'zod';
import { Condition, productFitSchema } from '../domain/offers/fit.ts';
import { GATE_IDS } from '../domain/offers/gates.ts';
import { HARM_KINDS } from '../domain/offers/incentives.ts';
import { Id, PageQuery, Timestamp, listOf, text } from './common.ts';

const Tag = z.string().trim().min(1).max(100);

export const ProductFitPublish = z.strictObject({
  source: z.string().min(1).max(100_000).describe("The product's fit as YAML (see docs/offers.md): target market, exclusions, fees, benefits, needs, key facts"),
});

export const ProductFitVersion = z
  .object({ productId: Id, version: z.number().int(), fit: productFitSchema, source: z.string(), createdAt: Timestamp })
  .meta({ id: 'ProductFit' });
export type ProductFitVersion = z.infer<typeof ProductFitVersion>;

export const CampaignCreate = z.strictObject({
  name: text(200),
  productIds: z.array(Id).min(1).max(50),
  audience: z.array(Condition).max(50).default([]).describe('conditions over customer facts (as in a product fit); all must hold'),
  situation: Tag.describe('the situation the campaign answers; a product is offered only if its fit declares it'),
  ownerId: Id.describe('the agent accountable for the campaign'),
});
export type CampaignCreate = z.infer<typeof CampaignCreate>;

export const Campaign = z
  .object({ id: Id, name: z.string(), productIds: z.array(Id), audience: z.array(z.record(z.string(), z.unknown())), situation: z.string(), ownerId: Id, createdAt: Timestamp })
  .meta({ id: 'Campaign' });
export type Campaign = z.infer<typeof Campaign>;
export const CampaignListQuery = z.strictObject({ ...PageQuery });
export const CampaignList = listOf(Campaign);

const GateId = z.enum(GATE_IDS);
export const GateResult = z.object({ gate: GateId, status: z.enum(['passed', 'failed', 'pending']), reasons: z.array(z.string()) });
export const GateDecision = z
  .object({ version: z.string(), outcome: z.enum(['eligible', 'extra_care', 'blocked']), gates: z.array(GateResult), failed: z.array(GateId) })
  .meta({ id: 'GateDecision' });

export const ValueTerm = z.object({
  kind: z.enum(['benefit', 'already_held', 'fee', 'unit_fee', 'plan_change']),
  label: z.string(),
  unit: z.string().nullable(),
  monthlyUnits: z.number().nullable(),
  rateMinor: z.number().nullable(),
  yearlyMinor: z.number(),
  capped: z.boolean(),
});
export const OfferValue = z
  .object({
    yearlyMinor: z.number().int(),
    currency: z.string(),
    months: z.number().int(),
    terms: z.array(ValueTerm),
    robustness: z.object({ resamples: z.number().int(), seed: z.number().int(), positiveShare: z.number(), p10Minor: z.number(), p50Minor: z.number(), p90Minor: z.number() }),
  })
  .meta({ id: 'OfferValue' });
export type OfferValue = z.infer<typeof OfferValue>;

export const CustomerOffersQuery = z.strictObject({
  conversationId: Id.optional(),
  campaignId: Id.optional(),
  statedNeed: Tag.optional().describe('a need the customer stated (one of a product fit\'s needs)'),
});

export const CustomerOffers = z
  .object({
    customerId: Id,
    at: Timestamp,
    eligible: z.array(
      z.object({
        productId: Id,
        productName: z.string(),
        value: z.number().int().describe('yearly value to the customer, minor units'),
        currency: z.string(),
        terms: z.array(ValueTerm),
        robustness: OfferValue.shape.robustness,
        keyFacts: z.string(),
        needs: z.array(z.string()).describe('needs the product answers (what an agent may record the customer stated)'),
        extraCare: z.boolean().describe('offered only through the extra-care path (lead review, key facts read, 24 hours)'),
      }),
    ),
    blocked: z.array(z.object({ productId: Id, productName: z.string(), gates: z.array(GateId), reasons: z.array(z.string()), needs: z.array(z.string()) })),
  })
  .meta({ id: 'CustomerOffers' });
export type CustomerOffers = z.infer<typeof CustomerOffers>;

export const OfferCreate = z
  .strictObject({
    customerId: Id,
    productId: Id,
    conversationId: Id.optional().describe("the agent's conversation the offer is made in"),
    campaignId: Id.optional().describe('the campaign the offer is made under'),
    statedNeed: Tag.optional().describe('the need the customer stated, in the product fit\'s words'),
    agentId: Id.optional().describe('who presents it (defaults to the signed-in agent)'),
  })
  .refine((o) => (o.conversationId === undefined) !== (o.campaignId === undefined), {
    error: 'an offer belongs to a conversation or to a campaign: give exactly one of conversationId and campaignId',
    path: ['conversationId'],
  });
export type OfferCreate = z.infer<typeof OfferCreate>;

export const OfferOutcome = z.object({ kind: z.string(), at: Timestamp.nullable(), harmful: z.boolean(), detail: z.string() });

export const Offer = z
  .object({
    id: Id,
    customerId: Id,
    productId: Id,
    productName: z.string(),
    planId: Id.nullable(),
    fitVersion: z.number().int().nullable(),
    conversationId: Id.nullable(),
    campaignId: Id.nullable(),
    cancellationId: Id.nullable(),
    agentId: Id.nullable(),
    status: z.enum(['refused', 'presented', 'awaiting_extra_care', 'accepted', 'declined']),
    statedNeed: z.string().nullable(),
    value: OfferValue.nullable(),
    decision: GateDecision,
    keyFacts: z.string().nullable(),
    extraCare: z.object({
      required: z.boolean(),
      leadReviewedAt: Timestamp.nullable(),
      leadReviewedBy: z.string().nullable(),
      keyFactsReadAt: Timestamp.nullable(),
      decisionNotBefore: Timestamp.nullable(),
    }),
    presentedAt: Timestamp,
    decidedAt: Timestamp.nullable(),
    outcomes: z.array(OfferOutcome),
    harms: z.array(z.enum(HARM_KINDS)),
  })
  .meta({ id: 'Offer' });
export type Offer = z.infer<typeof Offer>;

export const OfferListQuery = z.strictObject({
  ...PageQuery,
  customerId: Id.optional(),
  agentId: Id.optional(),
  campaignId: Id.optional(),
  status: z.enum(['refused', 'presented', 'awaiting_extra_care', 'accepted', 'declined']).optional(),
});
export const OfferList = listOf(Offer);

export const OfferOutcomeCreate = z.strictObject({
  kind: z.enum(['complaint', 'refund', 'cancellation']),
  upheld: z.boolean().nullable().optional().describe('for a complaint: upheld, not upheld, or null while open'),
  at: Timestamp.optional().describe('defaults to now; never in the future'),
  note: z.string().trim().min(1).max(2000).optional(),
});
export type OfferOutcomeCreate = z.infer<typeof OfferOutcomeCreate>;

export const IncentivesQuery = z.strictObject({
  from: Timestamp.optional().describe('sales from (default: 365 days ago)'),
  to: Timestamp.optional().describe('sales before (default: now)'),
});

const IncentiveRow = z.object({
  id: z.string(),
  name: z.string(),
  sales: z.number().int(),
  harmfulSales: z.number().int(),
  harmRate: z.number(),
  vested: z.number().int(),
  pending: z.number().int(),
  clawedBack: z.number().int(),
  withheld: z.number().int(),
  payable: z.number().int(),
  harmsByKind: z.record(z.string(), z.number().int()),
  flagged: z.boolean(),
  flagReason: z.string().nullable(),
});

export const IncentivesReport = z
  .object({
    from: Timestamp,
    to: Timestamp,
    policy: z.object({ vestingDays: z.number(), minSalesForFlag: z.number(), flagPercentile: z.number(), minFlagHarmRate: z.number() }),
    totals: z.object({ sales: z.number().int(), harmfulSales: z.number().int(), harmRate: z.number() }),
    agents: z.array(IncentiveRow),
    campaigns: z.array(IncentiveRow),
    p90HarmRate: z.object({ agents: z.number().nullable(), campaigns: z.number().nullable() }),
  })
  .meta({ id: 'IncentivesReport' });
export type IncentivesReport = z.infer<typeof IncentivesReport>;
