import type { Offer } from '../contracts/offers.ts';
import type { OfferRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';
import { EXTRA_CARE_WAIT_HOURS, type GateDecision } from '../domain/offers/gates.ts';
import type { ExpectedValue } from '../domain/offers/expected-value.ts';
import { NotFoundError } from './errors.ts';
import { outcomesOf, type SaleResult } from './offer-outcomes.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

export interface OfferFilter {
  customerId?: string | undefined;
  agentId?: string | undefined;
  campaignId?: string | undefined;
  status?: OfferRow['status'] | undefined;
}

/** An offer as the API shows it: the decision with its gates, the value with its terms, the extra-care steps and what happened after. */
export function offerView(row: OfferRow, productName: string, keyFacts: string | null, sale: SaleResult): Offer {
  const decision = row.decision as unknown as GateDecision;
  const value = (row.inputs as { value?: ExpectedValue | null }).value ?? null;
  const required = decision.gates.some((g) => g.gate === 'extra_care' && g.status !== 'passed') || row.status === 'awaiting_extra_care' || row.lead_reviewed_at !== null;
  return {
    id: row.id,
    customerId: row.customer_id,
    productId: row.product_id,
    productName,
    planId: row.plan_id,
    fitVersion: row.fit_version,
    conversationId: row.conversation_id,
    campaignId: row.campaign_id,
    cancellationId: row.cancellation_id,
    agentId: row.agent_id,
    status: row.status,
    statedNeed: row.stated_need,
    value: value ? { yearlyMinor: value.yearlyValueMinor, currency: value.currency, months: value.months, terms: value.terms, robustness: value.robustness } : null,
    decision,
    keyFacts,
    extraCare: {
      required,
      leadReviewedAt: row.lead_reviewed_at?.toISOString() ?? null,
      leadReviewedBy: row.lead_reviewed_by,
      keyFactsReadAt: row.key_facts_read_at?.toISOString() ?? null,
      decisionNotBefore: required ? new Date(row.presented_at.getTime() + EXTRA_CARE_WAIT_HOURS * 3_600_000).toISOString() : null,
    },
    presentedAt: row.presented_at.toISOString(),
    decidedAt: row.decided_at?.toISOString() ?? null,
    outcomes: sale.outcomes.map((o) => ({ kind: o.kind, at: o.at?.toISOString() ?? null, harmful: o.harmful, detail: o.detail })),
    harms: sale.harms,
  };
}

/** Rows to API shapes with product names, the key facts of the version each was made under, and outcomes. */
export async function presentOffers(tx: Tx, tenantId: string, rows: readonly OfferRow[], at: Date): Promise<Offer[]> {
  if (rows.length === 0) return [];
  const productIds = [...new Set(rows.map((r) => r.product_id))];
  const names = new Map((await tx.selectFrom('products').select(['id', 'name']).where('tenant_id', '=', tenantId).where('id', 'in', productIds).execute()).map((p) => [p.id, p.name]));
  const fits = await tx.selectFrom('product_fits').select(['product_id', 'version', 'fit']).where('tenant_id', '=', tenantId).where('product_id', 'in', productIds).execute();
  const keyFacts = new Map(fits.map((f) => [`${f.product_id}:${f.version}`, String((f.fit as { keyFacts?: unknown }).keyFacts ?? '')]));
  const outcomes = await outcomesOf(tx, tenantId, rows, at);
  return rows.map((r) => {
    const facts = r.fit_version === null ? ((r.inputs as { keyFacts?: string }).keyFacts ?? null) : (keyFacts.get(`${r.product_id}:${r.fit_version}`) ?? null);
    return offerView(r, names.get(r.product_id) ?? '', facts, outcomes.get(r.id) ?? { outcomes: [], harms: [] });
  });
}

export async function getOffer(scope: TenantScope, id: string, at = new Date()): Promise<Offer> {
  return inTenantTx(scope, async (tx) => {
    const row = await tx.selectFrom('offers').selectAll().where('tenant_id', '=', scope.tenantId).where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError('offer', id);
    return (await presentOffers(tx, scope.tenantId, [row], at))[0]!;
  });
}

/** Offers newest first, keyset-paged on (presented_at, id). */
export async function listOffers(scope: TenantScope, filter: OfferFilter, limit: number, after: { at: Date; id: string } | null, at = new Date()): Promise<{ data: Offer[]; last: OfferRow | null; more: boolean }> {
  return inTenantTx(scope, async (tx) => {
    let q = tx.selectFrom('offers').selectAll().where('tenant_id', '=', scope.tenantId);
    if (filter.customerId) q = q.where('customer_id', '=', filter.customerId);
    if (filter.agentId) q = q.where('agent_id', '=', filter.agentId);
    if (filter.campaignId) q = q.where('campaign_id', '=', filter.campaignId);
    if (filter.status) q = q.where('status', '=', filter.status);
    if (after) q = q.where((eb) => eb.or([eb('presented_at', '<', after.at), eb.and([eb('presented_at', '=', after.at), eb('id', '<', after.id)])]));
    const rows = await q.orderBy('presented_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
    const page = rows.slice(0, limit);
    return { data: await presentOffers(tx, scope.tenantId, page, at), last: page.at(-1) ?? null, more: rows.length > limit };
  });
}
