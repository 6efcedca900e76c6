import type { Charter } from '../domain/charter/schema.ts';
import type { CustomerFacts } from '../domain/charter/entitlements.ts';
import { spendTotals } from '../db/repositories/spend.ts';
import type { CustomerRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';

/** The currency a charter's spend criteria are written in (tiers compare spend in it, unconverted). */
export function charterCurrency(charter: Charter): string | null {
  for (const tier of charter.tiers) {
    for (const c of [...(tier.criteria.any ?? []), ...(tier.criteria.all ?? [])]) {
      if (c.spendLast12Months) return c.spendLast12Months.currency;
    }
  }
  return null;
}

/**
 * The facts tiers are computed from, as of `at`: net spend over the trailing 12 months (in the
 * charter's currency, or the customer's main one), tenure since `customerSince` (or since the record
 * was created), and the plan (the `plan` attribute until subscriptions carry it).
 */
export async function loadCustomerFacts(tx: Tx, tenantId: string, customer: CustomerRow, charter: Charter, at: Date): Promise<CustomerFacts> {
  const yearAgo = new Date(at);
  yearAgo.setUTCFullYear(yearAgo.getUTCFullYear() - 1);
  const totals = await spendTotals(tx, tenantId, customer.id, yearAgo, new Date(at.getTime() + 1));
  const preferred = charterCurrency(charter);
  const main = preferred
    ? (totals.find((t) => t.currency === preferred) ?? { currency: preferred, amountMinor: 0 })
    : (totals.sort((a, b) => b.amountMinor - a.amountMinor)[0] ?? { currency: 'EUR', amountMinor: 0 });
  const plan = customer.attributes.plan;
  return {
    spendLast12Months: main,
    customerSince: customer.customer_since ? new Date(`${customer.customer_since}T00:00:00Z`) : customer.created_at,
    plan: typeof plan === 'string' ? plan : null,
  };
}
