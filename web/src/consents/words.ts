import type { Consent, ConsentList, CreditCheckResult } from '../../../src/contracts/consents.ts';
import { CONSENT_PURPOSES, type ConsentPurpose } from '../../../src/domain/consents.ts';
import { formatDate, formatDateTime } from '../format.ts';

/**
 * The consent ledger in plain words, for the console's consents panel and the portal's "My consents".
 * Pure (no React, no fetch), so it is tested on its own (test/web/consent-words.test.ts).
 */

export { CONSENT_PURPOSES };
export type { ConsentPurpose };
export type LiveConsent = ConsentList['live'][ConsentPurpose];

/** What each purpose is called on screen. */
export const PURPOSE_WORDS: Record<ConsentPurpose, string> = {
  hard_credit_inquiry: 'Hard credit check',
  soft_credit_inquiry: 'Soft credit check',
  marketing_contact: 'Marketing contact',
  call_recording: 'Call recording',
  auto_renewal: 'Automatic renewal',
};

/** One line on what each purpose allows (said to staff and customer alike). */
export const PURPOSE_HINT: Record<ConsentPurpose, string> = {
  hard_credit_inquiry: 'one inquiry at a credit bureau that shows on the credit file; at most 30 days',
  soft_credit_inquiry: 'inquiries at a credit bureau that do not affect the credit score',
  marketing_contact: 'being contacted to sell or promote something',
  call_recording: 'recording calls',
  auto_renewal: 'renewing a subscription automatically',
};

/** Where a purpose stands now, for staff: "Granted until 20 December 2026", "Withdrawn", "Used: …". */
export function liveWords(live: LiveConsent): string {
  switch (live.status) {
    case 'granted':
      return live.expiresAt ? `Granted until ${formatDateTime(live.expiresAt)}` : 'Granted (no end date)';
    case 'refused':
      return 'Refused';
    case 'withdrawn':
      return 'Withdrawn';
    case 'expired':
      return live.expiresAt ? `Expired ${formatDateTime(live.expiresAt)}` : 'Expired';
    case 'used':
      return 'Used: a hard check relied on it; the customer must agree again for another';
    case 'none':
      return 'Not asked: nothing recorded';
  }
}

/** The same for the customer, in the second person. */
export function liveWordsForCustomer(live: LiveConsent): string {
  switch (live.status) {
    case 'granted':
      return live.expiresAt ? `You agreed, until ${formatDate(live.expiresAt)}` : 'You agreed (no end date)';
    case 'refused':
      return 'You said no';
    case 'withdrawn':
      return 'You withdrew your consent';
    case 'expired':
      return live.expiresAt ? `Your consent ended on ${formatDate(live.expiresAt)}` : 'Your consent has ended';
    case 'used':
      return 'Your consent was used for the one check it allowed';
    case 'none':
      return 'You have not been asked';
  }
}

/** The records' own statuses as a verb. */
export const RECORD_WORDS: Record<Consent['status'], string> = { granted: 'Granted', refused: 'Refused', withdrawn: 'Withdrawn' };

/** "agent:<id>" → the agent's name when known; a token, the customer, or the portal's "you"/"us". */
export function recordedByWords(actor: string, agents: ReadonlyMap<string, string> = new Map()): string {
  if (actor === 'you') return 'you';
  if (actor === 'us') return 'us';
  const [kind, id = ''] = actor.split(':', 2);
  if (kind === 'agent') return agents.get(id) ?? 'an agent';
  if (kind === 'customer') return 'the customer (in the portal)';
  if (kind === 'token') return 'an API token';
  return actor;
}

/** What the record rests on, when it is not a message: "screen portal-consents/1, text hash 3f2a…". */
export function screenEvidenceWords(e: Consent['evidence']): string | null {
  if (!e.screenVersion) return null;
  return `screen version ${e.screenVersion}, text hash ${e.textHash ? `${e.textHash.slice(0, 12)}…` : 'none'}`;
}

/** The estimate's or the bureau's answer in a sentence. */
export function creditResultWords(r: CreditCheckResult): string {
  if (r.source === 'estimate') return `Estimate: ${r.band.replace(/_/g, ' ')}.`;
  return `${r.simulated ? 'Simulated bureau' : (r.bureau ?? 'Bureau')}: score ${r.score ?? 'not given'}, ${r.band.replace(/_/g, ' ')}.`;
}

/** Why "Hard check" is off, or null when a live hard-inquiry consent allows it. */
export function hardCheckBlocked(live: LiveConsent | undefined): string | null {
  const status = live?.status ?? 'none';
  if (status === 'granted') return null;
  const why: Record<Exclude<typeof status, 'granted'>, string> = {
    none: 'the customer has not agreed to one',
    refused: 'the customer refused it',
    withdrawn: 'the customer withdrew their consent',
    expired: 'their consent has expired',
    used: 'their consent was used by an earlier hard check',
  };
  return `No hard check: ${why[status]}. Record the customer's answer first, or use the estimate.`;
}

/** Purposes that have at least one record, in the ledger's order of purposes. */
export const purposesWithRecords = (list: ConsentList): ConsentPurpose[] => CONSENT_PURPOSES.filter((p) => list.data.some((c) => c.purpose === p));
