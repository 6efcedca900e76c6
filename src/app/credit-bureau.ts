/**
 * The credit-bureau port: what Fairdesk asks of a credit reference agency. Fairdesk ships one
 * implementation, a simulation (deterministic, labelled `simulated: true`, asks nobody); an adapter
 * for a real bureau implements the same interface and replaces `creditBureau` below (docs/consents.md).
 *
 * The port is called outside any database transaction: `runCreditCheck` first records the inquiry
 * as pending (with the consent it relies on), then asks the bureau, then records the answer — so no
 * bureau call ever happens without its record, and a slow bureau holds no lock.
 */
import { createHash } from 'node:crypto';

/** Whom the bureau is asked about. A real adapter would add what the bureau needs to match a person. */
export interface BureauSubject {
  tenantId: string;
  customerId: string;
  name: string;
  /** Our id for this inquiry: the bureau's idempotency key, so a retry is never a second inquiry. */
  inquiryId: string;
}

export interface BureauResult {
  bureau: string;
  /** True for the built-in simulation: no bureau was asked. */
  simulated: boolean;
  /** The bureau's reference for this inquiry. */
  reference: string;
  /** 300–850. */
  score: number;
  band: 'poor' | 'fair' | 'good' | 'very_good' | 'excellent';
}

export interface CreditBureau {
  readonly name: string;
  /** A hard inquiry: it shows on the customer's credit file. Only ever called on a live, unused consent. */
  hardInquiry(subject: BureauSubject): Promise<BureauResult>;
  /** A soft inquiry: visible to the customer only, no effect on their score. Only on a live consent. */
  softInquiry(subject: BureauSubject): Promise<BureauResult>;
}

export function bandOf(score: number): BureauResult['band'] {
  return score < 580 ? 'poor' : score < 670 ? 'fair' : score < 740 ? 'good' : score < 800 ? 'very_good' : 'excellent';
}

/** The same customer always gets the same score: 300 + (first 4 bytes of SHA-256(tenant:customer)) mod 551. */
function simulate(subject: BureauSubject, kind: 'hard' | 'soft'): BureauResult {
  const digest = createHash('sha256').update(`${subject.tenantId}:${subject.customerId}`).digest();
  const score = 300 + (digest.readUInt32BE(0) % 551);
  return { bureau: 'simulated', simulated: true, reference: `SIM-${kind.toUpperCase()}-${subject.inquiryId.slice(-12)}`, score, band: bandOf(score) };
}

/** The default bureau: asks nobody, answers at once, says so. */
export const simulatedBureau: CreditBureau = {
  name: 'simulated',
  hardInquiry: async (subject) => simulate(subject, 'hard'),
  softInquiry: async (subject) => simulate(subject, 'soft'),
};

/** The bureau this installation asks (the simulation; the one seam to replace with a real adapter). */
export const creditBureau: CreditBureau = simulatedBureau;
