/**
 * What happened after a sale, and whether it harmed the customer: cancelled early (within 30 or 90
 * days), refunded, a complaint about it upheld, or its benefits left unused for the first 90 days.
 */
import type { HarmKind } from './incentives.ts';

const DAY_MS = 86_400_000;
export const BENEFIT_WINDOW_DAYS = 90;

export interface SaleFacts {
  soldAt: Date;
  /** When the customer cancelled what they bought (a confirmed cancellation), if they did. */
  cancelledAt: Date | null;
  refundedAt: readonly Date[];
  complaints: ReadonlyArray<{ at: Date; upheld: boolean | null }>;
  /** Units of the product's benefit units used in the 90 days after the sale. */
  benefitUnitsUsed: number;
  /** Whether the product has benefits earned on use at all (a product without any cannot be "unused"). */
  hasUsageBenefits: boolean;
}

export interface Outcome {
  kind: HarmKind | 'complaint_not_upheld' | 'complaint_open' | 'held_up';
  at: Date | null;
  harmful: boolean;
  detail: string;
}

export function saleOutcomes(f: SaleFacts, at: Date): { outcomes: Outcome[]; harms: HarmKind[] } {
  const outcomes: Outcome[] = [];
  const day = (d: Date) => d.toISOString().slice(0, 10);
  if (f.cancelledAt !== null) {
    const days = (f.cancelledAt.getTime() - f.soldAt.getTime()) / DAY_MS;
    if (days <= 30) outcomes.push({ kind: 'early_cancellation_30', at: f.cancelledAt, harmful: true, detail: `cancelled on ${day(f.cancelledAt)}, ${Math.floor(days)} days after the sale` });
    else if (days <= 90) outcomes.push({ kind: 'early_cancellation_90', at: f.cancelledAt, harmful: true, detail: `cancelled on ${day(f.cancelledAt)}, ${Math.floor(days)} days after the sale` });
  }
  const refund = [...f.refundedAt].sort((a, b) => a.getTime() - b.getTime())[0];
  if (refund) outcomes.push({ kind: 'refund', at: refund, harmful: true, detail: `refunded on ${day(refund)}` });
  for (const c of f.complaints) {
    if (c.upheld === true) outcomes.push({ kind: 'complaint_upheld', at: c.at, harmful: true, detail: `complaint of ${day(c.at)} upheld` });
    else if (c.upheld === false) outcomes.push({ kind: 'complaint_not_upheld', at: c.at, harmful: false, detail: `complaint of ${day(c.at)} not upheld` });
    else outcomes.push({ kind: 'complaint_open', at: c.at, harmful: false, detail: `complaint of ${day(c.at)} not yet decided` });
  }
  const windowEnd = new Date(f.soldAt.getTime() + BENEFIT_WINDOW_DAYS * DAY_MS);
  // Unused benefits are judged only once the window is over, and only for a product still held.
  if (f.hasUsageBenefits && windowEnd.getTime() <= at.getTime() && f.benefitUnitsUsed === 0 && (f.cancelledAt === null || f.cancelledAt > windowEnd)) {
    outcomes.push({ kind: 'benefits_unused', at: windowEnd, harmful: true, detail: `no use of its benefits in the ${BENEFIT_WINDOW_DAYS} days after the sale` });
  }
  const harms = [...new Set(outcomes.filter((o) => o.harmful).map((o) => o.kind as HarmKind))];
  if (harms.length === 0 && windowEnd.getTime() <= at.getTime()) outcomes.push({ kind: 'held_up', at: windowEnd, harmful: false, detail: `held up for ${BENEFIT_WINDOW_DAYS} days` });
  return { outcomes, harms };
}
