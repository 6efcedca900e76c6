/** Words for the listening analysis' names (src/domain/listening/types.ts), for the console. */

export const FINDING_TITLES: Record<string, string> = {
  push_after_refusal: 'Asked again after the customer said no',
  sensitive_request_without_consent: 'Asked for sensitive details without consent',
  cancel_not_honored: 'Kept selling after a cancel request',
  unanswered_question: 'A question of the customer went unanswered',
};

/** What the customer said, grouped as the agent needs it: what they want, what they refused, their limits. */
export const CUSTOMER_GROUPS: ReadonlyArray<{ title: string; labels: readonly string[] }> = [
  { title: 'Asked for', labels: ['cancel_request', 'question', 'complaint'] },
  { title: 'Refused', labels: ['refusal', 'consent_refused'] },
  { title: 'Limits', labels: ['constraint'] },
  { title: 'Agreed to', labels: ['consent_given'] },
];

export const LABEL_TITLES: Record<string, string> = {
  cancel_request: 'cancel request',
  question: 'question',
  complaint: 'complaint',
  refusal: 'refusal',
  consent_refused: 'consent refused',
  constraint: 'limit',
  consent_given: 'consent given',
  sales_ask: 'sales ask',
  reflection: 'reflection',
  acknowledgement: 'acknowledgement',
  sensitive_request: 'sensitive request',
  offer: 'offer',
  cancel_confirmation: 'cancel confirmation',
};

export const findingTitle = (type: string): string => FINDING_TITLES[type] ?? type.replace(/_/g, ' ');
export const labelTitle = (label: string): string => LABEL_TITLES[label] ?? label.replace(/_/g, ' ');

export interface Range {
  start: number;
  end: number;
  /** Which finding the words are evidence for. */
  finding: number;
}

/** Splits a text into plain and highlighted pieces; overlapping ranges are merged. */
export function pieces(text: string, ranges: readonly Range[]): Array<{ text: string; findings: number[] }> {
  const cuts = new Set<number>([0, text.length]);
  for (const r of ranges) {
    cuts.add(Math.max(0, Math.min(text.length, r.start)));
    cuts.add(Math.max(0, Math.min(text.length, r.end)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Array<{ text: string; findings: number[] }> = [];
  for (let i = 0; i < points.length - 1; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    if (a === b) continue;
    const findings = ranges.filter((r) => r.start <= a && r.end >= b).map((r) => r.finding);
    out.push({ text: text.slice(a, b), findings: [...new Set(findings)] });
  }
  return out;
}
