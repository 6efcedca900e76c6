/**
 * The value of the cancellation flow's own offer — a cheaper plan of the product the customer holds —
 * in the same shape as any offer's, so it goes through the same gates: the yearly saving, and its
 * robustness: the share of bootstrap resamples of their last 12 months whose busiest month the
 * cheaper plan still covers (a plan that fits only their quiet months is not a saving).
 */
import { covers } from '../cancellation/what-may-be-shown.ts';
import type { Plan } from '../cancellation/types.ts';
import { seededRandom } from '../seeded-random.ts';
import { DEFAULT_RESAMPLES, type ExpectedValue, type MonthUsage } from './expected-value.ts';
import { productFitSchema, type ProductFit } from './fit.ts';

export interface PlanChangeInput {
  offered: Plan;
  currentYearlyMinor: number;
  offeredYearlyMinor: number;
  months: readonly MonthUsage[];
  seed: number;
  resamples?: number;
}

export function planChangeValue(input: PlanChangeInput): ExpectedValue {
  const saving = input.currentYearlyMinor - input.offeredYearlyMinor;
  const n = input.months.length;
  const resamples = input.resamples ?? DEFAULT_RESAMPLES;
  const covered = input.months.map((m) => covers(input.offered, m));
  const random = seededRandom(input.seed);
  let positive = 0;
  const values: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let all = true;
    for (let k = 0; k < n; k++) if (!covered[Math.floor(random() * n)]) all = false;
    // A resample with a month the plan does not cover would leave them short of what they use.
    const v = all ? saving : -saving;
    values.push(v);
    if (v > 0) positive++;
  }
  values.sort((a, b) => a - b);
  const q = (p: number) => (resamples === 0 ? saving : values[Math.min(resamples - 1, Math.floor(p * resamples))]!);
  return {
    currency: input.offered.currency,
    yearlyValueMinor: saving,
    terms: [
      {
        kind: 'plan_change',
        label: `the ${input.offered.name} plan costs ${input.offeredYearlyMinor} a year instead of the ${input.currentYearlyMinor} they pay now`,
        unit: null,
        monthlyUnits: null,
        rateMinor: null,
        yearlyMinor: saving,
        capped: false,
      },
    ],
    months: n,
    robustness: { resamples, seed: input.seed, positiveShare: resamples === 0 ? (saving > 0 ? 1 : 0) : positive / resamples, p10Minor: q(0.1), p50Minor: q(0.5), p90Minor: q(0.9) },
  };
}

/** The plan's own key-facts card: what it costs, what it includes, its caps and commitment. */
export function planCard(plan: Plan, lacks: readonly string[]): string {
  const price = `${plan.currency} ${(plan.priceMinor / 100).toFixed(2)} a ${plan.interval}`;
  const caps = Object.entries(plan.limits ?? {}).map(([f, n]) => `${f} up to ${n} a month`);
  return [
    `${plan.name} plan: ${price}.`,
    `Includes: ${plan.features.length > 0 ? plan.features.join(', ') : 'nothing beyond the base service'}${caps.length > 0 ? ` (${caps.join(', ')})` : ''}.`,
    lacks.length > 0 ? `Does not include: ${lacks.join(', ')}.` : '',
    `No longer commitment than your current plan; you can still cancel at any time.`,
  ]
    .filter(Boolean)
    .join(' ');
}

/**
 * The fit the gates read for a plan change: the product's own target market and exclusions (when it
 * has published a fit), the plan's card as key facts, and the cancellation reasons it answers.
 */
export function planChangeFit(productFit: ProductFit | null, plan: Plan, offeredYearlyMinor: number, lacks: readonly string[]): ProductFit {
  return productFitSchema.parse({
    keyFacts: planCard(plan, lacks),
    targetMarket: productFit?.targetMarket ?? [],
    exclusions: productFit?.exclusions ?? [],
    fees: { currency: plan.currency, yearlyMinor: offeredYearlyMinor },
    situations: ['cancellation:unused', 'cancellation:too_expensive'],
    ...(productFit ? { valueMargin: productFit.valueMargin } : {}),
  });
}
