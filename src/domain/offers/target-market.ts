/**
 * Whether a customer is in a product's target market: every target-market condition holds and no
 * exclusion matches. A fact we do not know never counts in the offer's favour: an unknown fact fails
 * a target-market condition, and an exclusion we cannot rule out blocks the offer too.
 */
import type { Condition, Predicate, ProductFit } from './fit.ts';

/** What the rules are evaluated over, for one customer. */
export interface OfferCustomer {
  id: string;
  /** e.g. `individual` or `business`. */
  kind: string | null;
  /** Employees (businesses) or household size. */
  size: number | null;
  /** Yearly revenue or income, in major units of the customer's currency. */
  revenue: number | null;
  region: string | null;
  vulnerable: boolean;
  tenureMonths: number;
  /** Average units a month over the last 12 months, per unit. */
  usageMonthly: Record<string, number>;
}

type FactValue = string | number | boolean | null;

export function factValue(customer: OfferCustomer, fact: string): FactValue {
  if (fact.startsWith('usage.')) return customer.usageMonthly[fact.slice('usage.'.length)] ?? 0;
  switch (fact) {
    case 'kind':
      return customer.kind;
    case 'size':
      return customer.size;
    case 'revenue':
      return customer.revenue;
    case 'region':
      return customer.region;
    case 'vulnerable':
      return customer.vulnerable;
    case 'tenureMonths':
      return customer.tenureMonths;
    default:
      return null;
  }
}

/** true / false, or null when the fact is unknown. */
export function holds(p: Predicate, v: FactValue): boolean | null {
  if (v === null) return null;
  if (p.is !== undefined && v !== p.is) return false;
  if (p.in !== undefined && !p.in.some((x) => x === v)) return false;
  if (p.notIn !== undefined && p.notIn.some((x) => x === v)) return false;
  if (p.atLeast !== undefined && !(typeof v === 'number' && v >= p.atLeast)) return false;
  if (p.atMost !== undefined && !(typeof v === 'number' && v <= p.atMost)) return false;
  return true;
}

/** `revenue at least 20000`, `kind in business`: the condition in words, for reasons. */
export function describeCondition(c: Condition): string {
  const [fact, p] = Object.entries(c)[0] ?? ['?', {}];
  const parts: string[] = [];
  if (p.is !== undefined) parts.push(`is ${String(p.is)}`);
  if (p.in !== undefined) parts.push(`is one of ${p.in.join(', ')}`);
  if (p.notIn !== undefined) parts.push(`is not one of ${p.notIn.join(', ')}`);
  if (p.atLeast !== undefined) parts.push(`at least ${p.atLeast}`);
  if (p.atMost !== undefined) parts.push(`at most ${p.atMost}`);
  return `${fact} ${parts.join(' and ')}`;
}

const shown = (v: FactValue): string => (v === null ? 'unknown' : typeof v === 'number' ? String(Math.round(v * 100) / 100) : String(v));

export interface TargetMarketResult {
  passed: boolean;
  reasons: string[];
}

export function inTargetMarket(fit: ProductFit, customer: OfferCustomer): TargetMarketResult {
  const reasons: string[] = [];
  let passed = true;
  for (const c of fit.targetMarket) {
    const [fact, p] = Object.entries(c)[0]!;
    const v = factValue(customer, fact);
    const r = holds(p, v);
    if (r !== true) {
      passed = false;
      reasons.push(r === null ? `${fact} is unknown; the target market needs ${describeCondition(c)}` : `${fact} is ${shown(v)}; the target market needs ${describeCondition(c)}`);
    }
  }
  for (const c of fit.exclusions) {
    const [fact, p] = Object.entries(c)[0]!;
    const v = factValue(customer, fact);
    const r = holds(p, v);
    if (r === true) {
      passed = false;
      reasons.push(`excluded: ${fact} is ${shown(v)} (${describeCondition(c)})`);
    } else if (r === null) {
      passed = false;
      reasons.push(`${fact} is unknown, so the exclusion "${describeCondition(c)}" cannot be ruled out`);
    }
  }
  if (passed) reasons.push(fit.targetMarket.length === 0 ? 'no target-market condition; no exclusion applies' : `meets all ${fit.targetMarket.length} target-market conditions; no exclusion applies`);
  return { passed, reasons };
}
