import { parseProductFit, type ProductFit } from '../../../src/domain/offers/fit.ts';
import type { OfferCustomer } from '../../../src/domain/offers/target-market.ts';

export const BUSINESS_CARD_YAML = `
keyFacts: |
  Business Rewards Card. Annual fee GBP 95. 1% cashback on card spend, up to GBP 500 a year.
  Foreign payments cost GBP 1.50 each. You can close it at any time; the fee is refunded pro rata.
targetMarket:
  - kind: { in: [business] }
  - revenue: { atLeast: 20000 }
exclusions:
  - region: { in: [XX] }
fees:
  currency: GBP
  yearlyMinor: 9500
  perUnitMinor: { fx_payment: 150 }
benefits:
  - unit: card_spend
    valuePerUnitMinor: 1
    capPerYearMinor: 50000
    description: 1% cashback on card spend (counted in pounds)
needs: [business_spending, cashback]
situations: [high_card_spend]
`;

export function fit(yaml = BUSINESS_CARD_YAML): ProductFit {
  const r = parseProductFit(yaml);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.fit;
}

export function customer(over: Partial<OfferCustomer> = {}): OfferCustomer {
  return { id: 'c1', kind: 'business', size: 4, revenue: 180000, region: 'GB', vulnerable: false, tenureMonths: 30, usageMonthly: {}, ...over };
}

/** Twelve months with the same use each month. */
export const months = (units: Record<string, number>, n = 12): Array<Record<string, number>> => Array.from({ length: n }, () => ({ ...units }));
