/**
 * Outcomes after a sale, joined from what the database holds: a confirmed cancellation of the product
 * (found in the subscriptions), refunds on it, complaints and other outcomes recorded on the offer,
 * and whether its benefits were used in the 90 days after. Set-based: one query per kind of fact.
 */
import { sql } from 'kysely';
import type { OfferRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';
import { saleOutcomes, type Outcome } from '../domain/offers/outcomes.ts';
import type { HarmKind } from '../domain/offers/incentives.ts';

export interface SaleResult {
  outcomes: Outcome[];
  harms: HarmKind[];
}

const DAY_MS = 86_400_000;
const CHUNK = 500;

function chunks<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

/** Outcomes for each offer (accepted ones; others get none). */
export async function outcomesOf(tx: Tx, tenantId: string, offers: readonly OfferRow[], at: Date): Promise<Map<string, SaleResult>> {
  const sold = offers.filter((o) => o.status === 'accepted' && o.decided_at !== null);
  const result = new Map<string, SaleResult>();
  for (const o of offers) if (!sold.includes(o)) result.set(o.id, { outcomes: [], harms: [] });
  if (sold.length === 0) return result;

  const recorded = new Map<string, Array<{ kind: string; upheld: boolean | null; at: Date }>>();
  const used = new Map<string, number>();
  const refunds = new Map<string, Array<{ at: Date; startedAt: Date }>>();
  const started = new Map<string, Array<{ confirmedAt: Date; startedAt: Date }>>();
  for (const part of chunks(sold)) {
    const ids = part.map((o) => o.id);
    const customers = [...new Set(part.map((o) => o.customer_id))];
    for (const r of await tx.selectFrom('offer_outcomes').select(['offer_id', 'kind', 'upheld', 'at']).where('tenant_id', '=', tenantId).where('offer_id', 'in', ids).execute()) {
      recorded.set(r.offer_id, [...(recorded.get(r.offer_id) ?? []), { kind: r.kind, upheld: r.upheld, at: r.at }]);
    }
    // Use of the product's benefit units in the 90 days after the sale (units stored with the decision).
    const usage = await sql<{ id: string; units: string }>`
      select o.id, coalesce(sum(u.quantity), 0)::text as units
      from offers o
      join usage_events u
        on u.tenant_id = o.tenant_id and u.customer_id = o.customer_id
       and u.at >= o.decided_at and u.at < o.decided_at + interval '90 days'
       and u.unit in (select jsonb_array_elements_text(o.inputs -> 'benefitUnits'))
      where o.tenant_id = ${tenantId} and o.id in (${sql.join(ids)})
      group by o.id`.execute(tx);
    for (const r of usage.rows) used.set(r.id, Number(r.units));
    const confirmations = await tx
      .selectFrom('cancellations as c')
      .innerJoin('subscriptions as s', (j) => j.onRef('s.tenant_id', '=', 'c.tenant_id').onRef('s.id', '=', 'c.subscription_id'))
      .innerJoin('plans as p', (j) => j.onRef('p.tenant_id', '=', 's.tenant_id').onRef('p.id', '=', 's.plan_id'))
      .select(['s.customer_id', 'p.product_id', 'c.confirmed_at', 's.started_at'])
      .where('c.tenant_id', '=', tenantId)
      .where('s.customer_id', 'in', customers)
      .where('c.confirmed_at', 'is not', null)
      .where('c.status', 'in', ['confirmed', 'effective'])
      .execute();
    for (const c of confirmations) {
      if (c.confirmed_at === null) continue;
      const k = `${c.customer_id}:${c.product_id}`;
      started.set(k, [...(started.get(k) ?? []), { confirmedAt: c.confirmed_at, startedAt: c.started_at }]);
    }
    const refundRows = await tx
      .selectFrom('charges as ch')
      .innerJoin('subscriptions as s', (j) => j.onRef('s.tenant_id', '=', 'ch.tenant_id').onRef('s.id', '=', 'ch.subscription_id'))
      .innerJoin('plans as p', (j) => j.onRef('p.tenant_id', '=', 's.tenant_id').onRef('p.id', '=', 's.plan_id'))
      .select(['ch.customer_id', 'p.product_id', 'ch.at', 's.started_at'])
      .where('ch.tenant_id', '=', tenantId)
      .where('ch.customer_id', 'in', customers)
      .where('ch.kind', '=', 'refund')
      .execute();
    for (const r of refundRows) {
      const k = `${r.customer_id}:${r.product_id}`;
      refunds.set(k, [...(refunds.get(k) ?? []), { at: r.at, startedAt: r.started_at }]);
    }
  }

  for (const o of sold) {
    const soldAt = o.decided_at!;
    const k = `${o.customer_id}:${o.product_id}`;
    // A subscription counts as the one sold if it started within a day of the sale or later; a plan
    // change (the cancellation flow's offer) keeps the subscription it was made on.
    const fromSale = (startedAt: Date) => o.plan_id !== null || startedAt.getTime() >= soldAt.getTime() - DAY_MS;
    const rec = recorded.get(o.id) ?? [];
    const cancels = [
      ...rec.filter((r) => r.kind === 'cancellation').map((r) => r.at),
      ...(started.get(k) ?? []).filter((c) => fromSale(c.startedAt) && c.confirmedAt >= soldAt).map((c) => c.confirmedAt),
    ].sort((a, b) => a.getTime() - b.getTime());
    const refundedAt = [...rec.filter((r) => r.kind === 'refund').map((r) => r.at), ...(refunds.get(k) ?? []).filter((r) => fromSale(r.startedAt) && r.at >= soldAt).map((r) => r.at)];
    const inputs = o.inputs as { benefitUnits?: unknown };
    const units = Array.isArray(inputs.benefitUnits) ? inputs.benefitUnits : [];
    result.set(
      o.id,
      saleOutcomes(
        {
          soldAt,
          cancelledAt: cancels[0] ?? null,
          refundedAt,
          complaints: rec.filter((r) => r.kind === 'complaint').map((r) => ({ at: r.at, upheld: r.upheld })),
          benefitUnitsUsed: used.get(o.id) ?? 0,
          hasUsageBenefits: units.length > 0,
        },
        at,
      ),
    );
  }
  return result;
}
