/**
 * Incentives net of harm. A sale earns credit only once it has held up for 90 days; a sale that
 * harmed the customer earns none, and credit already vested on it is clawed back. An agent or
 * campaign with at least 10 sales whose harm rate is above the 90th percentile of their peers (and
 * above 10%) is flagged, and all of their credit for the period is withheld until a lead reviews it.
 */

export const HARM_KINDS = ['early_cancellation_30', 'early_cancellation_90', 'refund', 'complaint_upheld', 'benefits_unused'] as const;
export type HarmKind = (typeof HARM_KINDS)[number];

export const VESTING_DAYS = 90;
export const MIN_SALES_FOR_FLAG = 10;
export const FLAG_PERCENTILE = 0.9;
/** A harm rate at or below this is never flagged, however it ranks: one peer group of careful sellers has no outlier. */
export const MIN_FLAG_HARM_RATE = 0.1;
const DAY_MS = 86_400_000;

export interface Sale {
  offerId: string;
  agentId: string | null;
  campaignId: string | null;
  soldAt: Date;
  /** Harms found so far (any time after the sale). */
  harms: readonly HarmKind[];
}

export interface IncentiveRow {
  key: string;
  sales: number;
  harmfulSales: number;
  harmRate: number;
  /** Sales with no harm that held up for 90 days: their credit has vested. */
  vested: number;
  /** Sales with no harm yet, younger than 90 days. */
  pending: number;
  /** Harmful sales: their credit never vests, or is clawed back. */
  clawedBack: number;
  /** Vested credit withheld because the row is flagged. */
  withheld: number;
  /** Credit to pay out: vested − withheld. */
  payable: number;
  harmsByKind: Record<HarmKind, number>;
  flagged: boolean;
  flagReason: string | null;
}

export interface IncentiveTable {
  rows: IncentiveRow[];
  /** The 90th percentile of harm rates among rows with at least 10 sales (null when none). */
  p90HarmRate: number | null;
}

/** Linear-interpolation percentile (type 7) of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Per key (agent or campaign): sales, harm, credit, and the outliers flagged. */
export function incentiveTable(sales: readonly Sale[], keyOf: (s: Sale) => string | null, at: Date): IncentiveTable {
  const byKey = new Map<string, Sale[]>();
  for (const s of sales) {
    const k = keyOf(s);
    if (k === null) continue;
    const list = byKey.get(k) ?? [];
    list.push(s);
    byKey.set(k, list);
  }
  const rows: IncentiveRow[] = [...byKey.entries()].map(([key, list]) => {
    const harmsByKind = Object.fromEntries(HARM_KINDS.map((h) => [h, 0])) as Record<HarmKind, number>;
    let harmful = 0;
    let vested = 0;
    let pending = 0;
    for (const s of list) {
      for (const h of new Set(s.harms)) harmsByKind[h]++;
      if (s.harms.length > 0) harmful++;
      else if (at.getTime() - s.soldAt.getTime() >= VESTING_DAYS * DAY_MS) vested++;
      else pending++;
    }
    return {
      key,
      sales: list.length,
      harmfulSales: harmful,
      harmRate: list.length === 0 ? 0 : harmful / list.length,
      vested,
      pending,
      clawedBack: harmful,
      withheld: 0,
      payable: vested,
      harmsByKind,
      flagged: false,
      flagReason: null,
    };
  });
  const peers = rows.filter((r) => r.sales >= MIN_SALES_FOR_FLAG).map((r) => r.harmRate).sort((a, b) => a - b);
  const p90 = percentile(peers, FLAG_PERCENTILE);
  for (const r of rows) {
    if (p90 === null || r.sales < MIN_SALES_FOR_FLAG) continue;
    if (r.harmRate > p90 && r.harmRate > MIN_FLAG_HARM_RATE) {
      r.flagged = true;
      r.flagReason = `harm rate ${(r.harmRate * 100).toFixed(1)}% on ${r.sales} sales is above the 90th percentile of peers (${(p90 * 100).toFixed(1)}%)`;
      r.withheld = r.vested;
      r.payable = 0;
    }
  }
  rows.sort((a, b) => b.sales - a.sales || (a.key < b.key ? -1 : 1));
  return { rows, p90HarmRate: p90 };
}
