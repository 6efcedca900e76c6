import type { CustomerOffers } from '../contracts/offers.ts';
import { evaluateProduct, loadSubject, resolveContext, type ContextRequest } from './offer-evaluation.ts';
import { latestFits } from './offer-records.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

/**
 * What may be offered to this customer now, and what may not and why: every product of the catalog
 * through the gates, from the customer's own figures. Stores nothing (presenting one stores its decision).
 * Under a campaign, only the campaign's products are considered.
 */
export async function customerOffers(scope: TenantScope, customerId: string, request: ContextRequest, at = new Date()): Promise<CustomerOffers> {
  return inTenantTx(scope, async (tx) => {
    const subject = await loadSubject(tx, scope.tenantId, customerId, at);
    const ctx = await resolveContext(tx, scope.tenantId, customerId, request, null, 'query');
    let products = await tx.selectFrom('products').select(['id', 'name']).where('tenant_id', '=', scope.tenantId).orderBy('name').orderBy('id').execute();
    if (ctx.campaign) {
      const inCampaign = new Set(ctx.campaign.product_ids);
      products = products.filter((p) => inCampaign.has(p.id));
    }
    const fits = await latestFits(tx, scope.tenantId);
    const result: CustomerOffers = { customerId, at: at.toISOString(), eligible: [], blocked: [] };
    for (const p of products) {
      const e = evaluateProduct(subject, p.id, fits.get(p.id) ?? null, ctx);
      if (e.decision.outcome === 'blocked' || e.value === null || e.fit === null) {
        result.blocked.push({
          productId: p.id,
          productName: p.name,
          gates: e.decision.failed,
          reasons: e.decision.gates.filter((g) => g.status === 'failed').flatMap((g) => g.reasons.map((r) => `${g.gate}: ${r}`)),
          needs: e.fit?.fit.needs ?? [],
        });
      } else {
        result.eligible.push({
          productId: p.id,
          productName: p.name,
          value: e.value.yearlyValueMinor,
          currency: e.value.currency,
          terms: e.value.terms,
          robustness: e.value.robustness,
          keyFacts: e.fit.fit.keyFacts,
          needs: e.fit.fit.needs,
          extraCare: e.decision.outcome === 'extra_care',
        });
      }
    }
    // The most valuable to the customer first.
    result.eligible.sort((a, b) => b.value - a.value);
    return result;
  });
}
