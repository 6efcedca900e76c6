/**
 * The cancellation flow's offer goes through the same gates as every other: the product's target
 * market and exclusions, a clearly positive and robust saving, matched to the reason given, a
 * key-facts card (the plan's), not again within 90 days of a "no", and never for a customer flagged
 * vulnerable (the extra-care path cannot run inside a cancellation, so nothing is offered).
 * The decision is stored as an offer of the cancellation, like any other offer's.
 */
import { newId } from '../db/ids.ts';
import type { Tx } from '../db/with-tenant.ts';
import type { Offer as CancellationOffer, Plan } from '../domain/cancellation/index.ts';
import { seedOf } from '../domain/offers/expected-value.ts';
import { evaluateGates, type GateDecision } from '../domain/offers/gates.ts';
import { planChangeFit, planChangeValue } from '../domain/offers/plan-change.ts';
import { loadSubject, decisionInputs } from './offer-evaluation.ts';
import { latestFits } from './offer-records.ts';

export interface CancellationOfferGate {
  decision: GateDecision;
  /** Stores the decision as an offer of the cancellation (call once the cancellation row exists). */
  store: (cancellationId: string) => Promise<void>;
}

export async function gateCancellationOffer(
  tx: Tx,
  tenantId: string,
  input: { customerId: string; plan: Plan; offeredPlan: Plan; offer: CancellationOffer; reason: string | null; at: Date; agentId: string | null },
): Promise<CancellationOfferGate> {
  const { plan, offeredPlan, offer, at } = input;
  const subject = await loadSubject(tx, tenantId, input.customerId, at);
  const productFit = (await latestFits(tx, tenantId, [plan.productId])).get(plan.productId) ?? null;
  const fit = planChangeFit(productFit?.fit ?? null, offeredPlan, offer.facts.offeredYearlyMinor, offer.facts.featuresNotIncluded);
  const value = planChangeValue({
    offered: offeredPlan,
    currentYearlyMinor: offer.facts.currentYearlyMinor,
    offeredYearlyMinor: offer.facts.offeredYearlyMinor,
    months: subject.months,
    seed: seedOf(`${input.customerId}:${offeredPlan.id}`),
  });
  const context = { kind: 'cancellation' as const, reason: input.reason, reasonMatched: input.reason === 'unused' || input.reason === 'too_expensive' };
  const decision = evaluateGates({
    fit,
    customer: subject.customer,
    value,
    context,
    cancelling: true,
    declines: subject.declines.get(plan.productId) ?? [],
    extraCare: { presentedAt: null, leadReviewedAt: null, keyFactsReadAt: null },
    at,
  });
  const evaluation = { productId: plan.productId, fit: productFit, value, decision, context };
  return {
    decision,
    store: async (cancellationId) => {
      await tx
        .insertInto('offers')
        .values({
          tenant_id: tenantId,
          id: newId(),
          customer_id: input.customerId,
          product_id: plan.productId,
          plan_id: offeredPlan.id,
          fit_version: productFit?.version ?? null,
          conversation_id: null,
          campaign_id: null,
          cancellation_id: cancellationId,
          agent_id: input.agentId,
          // Extra care cannot be given inside a cancellation: a pending extra-care gate refuses too.
          status: decision.outcome === 'eligible' ? 'presented' : 'refused',
          decision: JSON.stringify(decision),
          inputs: JSON.stringify({ ...decisionInputs(subject, evaluation), keyFacts: fit.keyFacts, benefitUnits: [] }),
          value_minor: value.yearlyValueMinor,
          currency: value.currency,
          stated_need: null,
          presented_at: at,
        })
        .execute();
    },
  };
}

/** The customer's answer to the flow's offer, recorded on its offer (a "no" keeps it away for 90 days). */
export async function settleCancellationOffer(tx: Tx, tenantId: string, cancellationId: string, status: 'accepted' | 'declined', at: Date): Promise<void> {
  await tx
    .updateTable('offers')
    .set({ status, decided_at: at })
    .where('tenant_id', '=', tenantId)
    .where('cancellation_id', '=', cancellationId)
    .where('status', '=', 'presented')
    .execute();
}
