/**
 * Offers in words for people: the gates' names, the robustness sentence, a value term, blocked reasons
 * grouped by gate, and the incentives report as CSV. Pure, so it is tested without a browser
 * (test/web/offer-helpers.test.ts).
 */
import type { CustomerOffers, IncentivesReport, Offer } from '../../../src/contracts/offers.ts';
import { formatMoney } from '../format.ts';

export type GateId = Offer['decision']['gates'][number]['gate'];
export type OfferStatus = Offer['status'];
export type ValueTerm = CustomerOffers['eligible'][number]['terms'][number];

/** The six gates (src/domain/offers/gates.ts), each named by the question it asks. */
export const GATE_NAMES: Record<GateId, string> = {
  target_market: 'Target market: is the product made for this customer?',
  expected_value: 'Value: is it clearly worth more than it costs them?',
  need: 'Need: did the customer state a need it answers?',
  key_facts: 'Key facts: is there a key-facts card to give them?',
  repeat_after_no: 'No means no: did they say no to it in the last 90 days?',
  extra_care: 'Extra care: is the customer flagged as needing it?',
};

/** The short name of a gate (for badges and lists). */
export const GATE_SHORT: Record<GateId, string> = {
  target_market: 'Target market',
  expected_value: 'Value to the customer',
  need: 'Stated need',
  key_facts: 'Key-facts card',
  repeat_after_no: 'Asked again after a no',
  extra_care: 'Extra care',
};

export const STATUS_WORDS: Record<OfferStatus, string> = {
  refused: 'Refused by the gates',
  presented: 'Presented, waiting for the customer',
  awaiting_extra_care: 'Awaiting extra care',
  accepted: 'Accepted',
  declined: 'Declined',
};

export const HARM_WORDS: Record<string, string> = {
  early_cancellation_30: 'cancelled within 30 days',
  early_cancellation_90: 'cancelled within 90 days',
  refund: 'refunded',
  complaint_upheld: 'complaint upheld',
  benefits_unused: 'benefits unused',
};

export const harmWords = (h: string): string => HARM_WORDS[h] ?? h.replace(/_/g, ' ');

/** "a need" tag → words: "business_spending" → "business spending". */
export const needWords = (need: string): string => need.replace(/_/g, ' ');

/** 0.97 → "97%", 0.9734 → "97.3%". */
export function percent(share: number): string {
  const v = Math.round(share * 1000) / 10;
  return `${v}%`;
}

/** "positive in 97% of 1000 resamples of their months". */
export function robustnessWords(r: { resamples: number; positiveShare: number }): string {
  return `positive in ${percent(r.positiveShare)} of ${r.resamples} resamples of their months`;
}

/** A money amount with its sign: "+£25.00" / "−£95.00". */
export function signedMoney(minor: number, currency: string): string {
  if (minor === 0) return formatMoney(0, currency);
  return `${minor > 0 ? '+' : '−'}${formatMoney(Math.abs(minor), currency)}`;
}

/** One term of the value calculation: its label (the API's words) and what it adds up to a year. */
export function termLine(term: ValueTerm, currency: string): string {
  return `${term.label}: ${signedMoney(term.yearlyMinor, currency)} a year${term.capped ? ' (capped)' : ''}`;
}

/**
 * A blocked product's reasons grouped by gate. The API words each reason "gate: reason"; the gate is
 * shown by its name and the reason without the prefix.
 */
export function reasonsByGate(blocked: { gates: GateId[]; reasons: string[] }): Array<{ gate: GateId; reasons: string[] }> {
  return blocked.gates.map((gate) => ({
    gate,
    reasons: blocked.reasons.filter((r) => r.startsWith(`${gate}: `)).map((r) => r.slice(gate.length + 2)),
  }));
}

/**
 * A problem's field detail without its gate prefix, with the gate named ("need: no need stated" →
 * "Stated need: no need stated"); other details as they are.
 */
export function gateDetail(detail: string): string {
  const m = /^([a-z_]+): (.*)$/s.exec(detail);
  if (m && m[1]! in GATE_SHORT) return `${GATE_SHORT[m[1] as GateId]}: ${m[2]}`;
  return detail;
}

/** The needs an agent may record: the union of every product's needs, in first-seen order. */
export function needsOf(offers: Pick<CustomerOffers, 'eligible' | 'blocked'>): string[] {
  return [...new Set([...offers.eligible, ...offers.blocked].flatMap((p) => p.needs))];
}

const csvCell = (v: string | number | boolean | null): string => {
  const s = v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The incentives report as CSV: one row per agent and per campaign, counts of sales (credit units). */
export function incentivesCsv(report: IncentivesReport): string {
  const header = ['group', 'id', 'name', 'sales', 'harmful_sales', 'harm_rate', 'vested', 'pending', 'clawed_back', 'withheld', 'payable', 'flagged', 'flag_reason'];
  const lines = [header.join(',')];
  for (const [group, rows] of [
    ['agent', report.agents],
    ['campaign', report.campaigns],
  ] as const) {
    for (const r of rows) {
      lines.push(
        [group, r.id, r.name, r.sales, r.harmfulSales, Math.round(r.harmRate * 10_000) / 10_000, r.vested, r.pending, r.clawedBack, r.withheld, r.payable, r.flagged, r.flagReason]
          .map(csvCell)
          .join(','),
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The incentives policy in one paragraph, from the report's own figures. */
export function policyWords(p: IncentivesReport['policy']): string {
  return (
    `A sale earns credit only once it has held up for ${p.vestingDays} days without harm to the customer. ` +
    'A sale that harmed the customer (cancelled early, refunded, an upheld complaint, benefits unused) earns nothing, and credit already vested on it is clawed back. ' +
    `An agent or campaign with at least ${p.minSalesForFlag} sales whose harm rate is above the ${Math.round(p.flagPercentile * 100)}th percentile of their peers ` +
    `(and above ${percent(p.minFlagHarmRate)}) is flagged, and all of their vested credit for the period is withheld until a lead reviews it.`
  );
}
