/**
 * The consent ledger's rules, pure: which consent is in force for each purpose, how long a grant may
 * run, and the estimate a customer can have without anyone asking a credit bureau.
 *
 * A consent is never edited: granting, refusing and withdrawing each append a record, and the latest
 * record for a purpose decides. A hard credit inquiry needs its own grant for each inquiry (a grant
 * that one hard inquiry relied on is used up); a soft inquiry may rely on its grant until it expires.
 */

export const CONSENT_PURPOSES = ['hard_credit_inquiry', 'soft_credit_inquiry', 'marketing_contact', 'call_recording', 'auto_renewal'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export const CONSENT_STATUSES = ['granted', 'refused', 'withdrawn'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

/**
 * Where a purpose stands now: the latest record's status, or `expired` (a grant past its expiry),
 * `used` (a hard-inquiry grant a hard inquiry already relied on), `none` (nothing recorded).
 */
export type LiveStatus = ConsentStatus | 'expired' | 'used' | 'none';

/** The longest a grant may run, in days, per purpose (null: no limit, the grant may be open-ended). */
export const MAX_GRANT_DAYS: Record<ConsentPurpose, number | null> = {
  hard_credit_inquiry: 30,
  soft_credit_inquiry: 365,
  marketing_contact: null,
  call_recording: null,
  auto_renewal: null,
};

/** What the live computation needs of a consent record. */
export interface ConsentFact {
  id: string;
  purpose: ConsentPurpose;
  status: ConsentStatus;
  at: Date;
  expiresAt: Date | null;
}

export interface LiveConsent {
  status: LiveStatus;
  /** The record that decides (null when nothing was recorded). */
  consentId: string | null;
  expiresAt: Date | null;
  /** True only when the latest record is a grant that has not expired (and, for a hard inquiry, not been used). */
  live: boolean;
}

/** Latest first: by time, then by id (UUIDv7, so time-ordered within the same millisecond). */
function newer(a: ConsentFact, b: ConsentFact): boolean {
  const d = a.at.getTime() - b.at.getTime();
  return d !== 0 ? d > 0 : a.id > b.id;
}

/**
 * Where each purpose stands at `now`: the latest record decides. A grant is live until its expiry
 * (exclusive); a hard-inquiry grant whose id is in `usedGrantIds` is used up.
 */
export function liveConsents(records: readonly ConsentFact[], now: Date, usedGrantIds: ReadonlySet<string> = new Set()): Record<ConsentPurpose, LiveConsent> {
  const latest = new Map<ConsentPurpose, ConsentFact>();
  for (const r of records) {
    const seen = latest.get(r.purpose);
    if (!seen || newer(r, seen)) latest.set(r.purpose, r);
  }
  const out = {} as Record<ConsentPurpose, LiveConsent>;
  for (const purpose of CONSENT_PURPOSES) {
    const r = latest.get(purpose);
    if (!r) {
      out[purpose] = { status: 'none', consentId: null, expiresAt: null, live: false };
      continue;
    }
    let status: LiveStatus = r.status;
    if (r.status === 'granted' && r.expiresAt && r.expiresAt.getTime() <= now.getTime()) status = 'expired';
    else if (r.status === 'granted' && purpose === 'hard_credit_inquiry' && usedGrantIds.has(r.id)) status = 'used';
    out[purpose] = { status, consentId: r.id, expiresAt: r.expiresAt, live: status === 'granted' };
  }
  return out;
}

/** Whether this one record is the one in force for its purpose at `now`. */
export function isLive(record: ConsentFact, all: readonly ConsentFact[], now: Date, usedGrantIds: ReadonlySet<string> = new Set()): boolean {
  const state = liveConsents(all, now, usedGrantIds)[record.purpose];
  return state.live && state.consentId === record.id;
}

export interface ConsentRuleInput {
  purpose: ConsentPurpose;
  status: ConsentStatus;
  expiresAt: Date | undefined;
}

/**
 * The rules a new record must meet, as field errors: only a grant expires; the expiry is in the
 * future and within the purpose's longest grant. Returns the expiry to store (a hard-inquiry grant
 * without one gets the longest allowed, 30 days: never open-ended).
 */
export function checkConsentRecord(input: ConsentRuleInput, now: Date): { expiresAt: Date | null; errors: Array<{ pointer: string; detail: string }> } {
  const errors: Array<{ pointer: string; detail: string }> = [];
  const max = MAX_GRANT_DAYS[input.purpose];
  if (input.status !== 'granted') {
    if (input.expiresAt) errors.push({ pointer: '/expiresAt', detail: `only a grant expires; a ${input.status} record stands until a new record replaces it` });
    return { expiresAt: null, errors };
  }
  if (!input.expiresAt) {
    return { expiresAt: input.purpose === 'hard_credit_inquiry' && max !== null ? new Date(now.getTime() + max * 86_400_000) : null, errors };
  }
  if (input.expiresAt.getTime() <= now.getTime()) errors.push({ pointer: '/expiresAt', detail: 'must be in the future' });
  else if (max !== null && input.expiresAt.getTime() > now.getTime() + max * 86_400_000) {
    errors.push({ pointer: '/expiresAt', detail: `a ${input.purpose} grant may run at most ${max} days (until ${new Date(now.getTime() + max * 86_400_000).toISOString()})` });
  }
  return { expiresAt: input.expiresAt, errors };
}

/** What the estimate is computed from: the customer's own account, never a bureau. */
export interface EstimateFacts {
  /** Months since the customer relationship began. */
  tenureMonths: number;
  /** Net spend over the last 12 months in the main currency (minor units). */
  spendLast12MonthsMinor: number;
  currency: string;
  /** Of the last 12 months, how many had a payment. */
  monthsWithPayments: number;
  /** Refunds or chargebacks in the last 12 months. */
  refundsLast12Months: number;
  /** Annual revenue the customer told us (attribute `annualRevenueMinor`, minor units of the main currency), if any. */
  statedAnnualRevenueMinor: number | null;
}

export const ESTIMATE_BANDS = ['limited', 'fair', 'good', 'strong'] as const;
export type EstimateBand = (typeof ESTIMATE_BANDS)[number];

export interface Estimate {
  band: EstimateBand;
  points: number;
  factsUsed: Array<{ fact: string; value: string }>;
  statement: string;
}

function money(minor: number, currency: string): string {
  return `${(minor / 100).toFixed(2)} ${currency}`;
}

/**
 * A rough indication from the customer's own account: tenure, regular payments, spend and any
 * revenue they told us, less refunds. Not a credit score: no bureau is asked, nothing reaches
 * the customer's credit file. Points 0–100 map to four bands (<25 limited, <50 fair, <75 good, else strong).
 */
export function estimateCredit(f: EstimateFacts): Estimate {
  const tenure = Math.min(30, Math.floor(f.tenureMonths / 12) * 6); // 6 points a year, up to 5 years
  const regular = Math.round((Math.min(12, Math.max(0, f.monthsWithPayments)) / 12) * 30);
  const spend = f.spendLast12MonthsMinor >= 100_000 ? 20 : f.spendLast12MonthsMinor >= 20_000 ? 12 : f.spendLast12MonthsMinor > 0 ? 5 : 0;
  const revenue = f.statedAnnualRevenueMinor === null ? 0 : f.statedAnnualRevenueMinor >= 50_000_000 ? 20 : f.statedAnnualRevenueMinor >= 10_000_000 ? 12 : 5;
  const refunds = Math.min(20, f.refundsLast12Months * 5);
  const points = Math.max(0, Math.min(100, tenure + regular + spend + revenue - refunds));
  const band: EstimateBand = points < 25 ? 'limited' : points < 50 ? 'fair' : points < 75 ? 'good' : 'strong';
  const factsUsed = [
    { fact: 'tenure', value: `${f.tenureMonths} months as a customer` },
    { fact: 'payments', value: `payments in ${f.monthsWithPayments} of the last 12 months` },
    { fact: 'spend', value: `${money(f.spendLast12MonthsMinor, f.currency)} net over the last 12 months` },
    { fact: 'refunds', value: `${f.refundsLast12Months} refunds in the last 12 months` },
    { fact: 'revenue', value: f.statedAnnualRevenueMinor === null ? 'no annual revenue on record' : `stated annual revenue ${money(f.statedAnnualRevenueMinor, f.currency)}` },
  ];
  return {
    band,
    points,
    factsUsed,
    statement: `This is an estimate (${band}) from your account with us only. No credit bureau was asked and nothing was recorded on your credit file.`,
  };
}

/**
 * The portal's consents screen: its version and the text shown beside each "Withdraw" button. A
 * withdrawal made there is evidenced by this version and the SHA-256 of the text for its purpose,
 * so the text may change only with a new screen version.
 */
export const PORTAL_WITHDRAWAL = {
  screenVersion: 'portal-consents/1',
  texts: {
    hard_credit_inquiry: 'I withdraw my consent to a hard credit inquiry. No hard inquiry may be made about me unless I consent again.',
    soft_credit_inquiry: 'I withdraw my consent to soft credit inquiries. No soft inquiry may be made about me unless I consent again.',
    marketing_contact: 'I withdraw my consent to marketing contact. Do not contact me to sell or promote anything unless I consent again.',
    call_recording: 'I withdraw my consent to call recording. Do not record my calls from now on unless I consent again.',
    auto_renewal: 'I withdraw my consent to automatic renewal. Do not renew automatically unless I consent again.',
  } satisfies Record<ConsentPurpose, string>,
} as const;
