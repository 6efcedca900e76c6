/**
 * Evaluating the offer gates for one customer, against one product or the whole catalog, from what
 * the database holds now. Used by the eligibility view, by presenting an offer and by the cancellation
 * flow, so every offer goes through the same gates.
 */
import { findCustomer } from '../db/repositories/customers.ts';
import type { CampaignRow, CustomerRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';
import { expectedValue, seedOf, type ExpectedValue, type MonthUsage } from '../domain/offers/expected-value.ts';
import type { Condition, ProductFit } from '../domain/offers/fit.ts';
import { evaluateGates, GATES_VERSION, type ExtraCareSteps, type GateDecision, type OfferContext } from '../domain/offers/gates.ts';
import { inTargetMarket, type OfferCustomer } from '../domain/offers/target-market.ts';
import { NotFoundError, UnprocessableError } from './errors.ts';
import { declinesByProduct, heldProductIds, isCancelling, lastTwelveMonths, latestFits, offerCustomerOf, type PublishedFit } from './offer-records.ts';

/** Everything about the customer the gates read, loaded once. */
export interface OfferSubject {
  row: CustomerRow;
  months: MonthUsage[];
  customer: OfferCustomer;
  heldProductIds: string[];
  heldFits: ProductFit[];
  cancelling: boolean;
  declines: Map<string, Date[]>;
  at: Date;
}

export async function loadSubject(tx: Tx, tenantId: string, customerId: string, at: Date): Promise<OfferSubject> {
  const row = await findCustomer(tx, tenantId, customerId);
  if (!row || row.erased_at) throw new NotFoundError('customer', customerId);
  const months = await lastTwelveMonths(tx, tenantId, row, at);
  const held = await heldProductIds(tx, tenantId, customerId);
  const heldFits = [...(await latestFits(tx, tenantId, held)).values()].map((f) => f.fit);
  return {
    row,
    months,
    customer: offerCustomerOf(row, months, at),
    heldProductIds: held,
    heldFits,
    cancelling: await isCancelling(tx, tenantId, customerId),
    declines: await declinesByProduct(tx, tenantId, customerId),
    at,
  };
}

/** Whether the customer is in a campaign's audience (all of its conditions hold; unknown facts do not). */
export function inAudience(audience: readonly Condition[], customer: OfferCustomer, fit: ProductFit): boolean {
  return inTargetMarket({ ...fit, targetMarket: [...audience], exclusions: [] }, customer).passed;
}

/** The context of an offer from the request: a conversation of this customer, or a campaign with this product. */
export type ContextRequest = { conversationId?: string | undefined; campaignId?: string | undefined; statedNeed?: string | undefined };

export interface ResolvedContext {
  conversationId: string | null;
  campaign: CampaignRow | null;
  statedNeed: string | null;
}

export async function resolveContext(tx: Tx, tenantId: string, customerId: string, request: ContextRequest, productId: string | null, from: 'body' | 'query' = 'body'): Promise<ResolvedContext> {
  // A field of a body is named by a JSON pointer, a query parameter by its name.
  const field = (name: string, detail: string) => (from === 'body' ? { pointer: `/${name}`, detail } : { parameter: name, detail });
  let campaign: CampaignRow | null = null;
  if (request.conversationId !== undefined) {
    const c = await tx.selectFrom('conversations').select(['id', 'customer_id']).where('tenant_id', '=', tenantId).where('id', '=', request.conversationId).executeTakeFirst();
    if (!c || c.customer_id !== customerId) throw new UnprocessableError('the conversation is not one of this customer\'s', [field('conversationId', 'no such conversation of this customer')]);
  }
  if (request.campaignId !== undefined) {
    campaign = (await tx.selectFrom('campaigns').selectAll().where('tenant_id', '=', tenantId).where('id', '=', request.campaignId).executeTakeFirst()) ?? null;
    if (!campaign) throw new UnprocessableError('no such campaign', [field('campaignId', 'no such campaign')]);
    if (productId !== null && !campaign.product_ids.includes(productId)) {
      throw new UnprocessableError(`the product is not part of campaign "${campaign.name}"`, [{ pointer: '/productId', detail: `not one of campaign "${campaign.name}"'s products` }]);
    }
  }
  return { conversationId: request.conversationId ?? null, campaign, statedNeed: request.statedNeed ?? null };
}

export interface Evaluation {
  productId: string;
  fit: PublishedFit | null;
  value: ExpectedValue | null;
  decision: GateDecision;
  context: OfferContext | null;
}

const NO_STEPS: ExtraCareSteps = { presentedAt: null, leadReviewedAt: null, keyFactsReadAt: null };

/** The decision for a product that has published no fit: nothing may be offered without one. */
function undeclared(): GateDecision {
  const reason = 'the product has published no fit: no target market, fees, benefits or key-facts card';
  return {
    version: GATES_VERSION,
    outcome: 'blocked',
    gates: [
      { gate: 'target_market', status: 'failed', reasons: [reason] },
      { gate: 'key_facts', status: 'failed', reasons: ['the product has no key-facts card'] },
    ],
    failed: ['target_market', 'key_facts'],
  };
}

/** The gates for one product, in a conversation (or with no context) or under a campaign. */
export function evaluateProduct(subject: OfferSubject, productId: string, fit: PublishedFit | null, ctx: ResolvedContext): Evaluation {
  if (fit === null) return { productId, fit: null, value: null, decision: undeclared(), context: null };
  const current = subject.heldFits;
  const value = expectedValue({ fit: fit.fit, months: subject.months, current, seed: seedOf(`${subject.row.id}:${productId}`) });
  const context: OfferContext = ctx.campaign
    ? { kind: 'campaign', statedNeed: ctx.statedNeed, situation: ctx.campaign.situation, inAudience: inAudience(ctx.campaign.audience as Condition[], subject.customer, fit.fit), campaignName: ctx.campaign.name }
    : { kind: 'conversation', statedNeed: ctx.statedNeed };
  const decision = evaluateGates({
    fit: fit.fit,
    customer: subject.customer,
    value,
    context,
    cancelling: subject.cancelling,
    declines: subject.declines.get(productId) ?? [],
    extraCare: NO_STEPS,
    at: subject.at,
  });
  return { productId, fit, value, decision, context };
}

/** The inputs stored with a decision, so it can be re-derived and audited later. */
export function decisionInputs(subject: OfferSubject, e: Evaluation): Record<string, unknown> {
  return {
    at: subject.at.toISOString(),
    customer: subject.customer,
    months: subject.months,
    heldProductIds: subject.heldProductIds,
    cancelling: subject.cancelling,
    declines: (subject.declines.get(e.productId) ?? []).map((d) => d.toISOString()),
    context: e.context,
    fitVersion: e.fit?.version ?? null,
    benefitUnits: e.fit?.fit.benefits.map((b) => b.unit) ?? [],
    value: e.value,
  };
}
