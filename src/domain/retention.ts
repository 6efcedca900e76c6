/**
 * How long records that protect the customer are kept, whatever else is erased: consents and
 * cancellations at least three years, or one year after the contract ended if that is later.
 * Erasure keeps them by this rule: the consent ledger (`consents`, append-only, with the credit checks that
 * relied on it) and the cancellation records are left whole when a customer's personal data is erased.
 */
export const RETENTION_RULES = {
  consent: { minimumYears: 3, afterContractEndYears: 1 },
  cancellation: { minimumYears: 3, afterContractEndYears: 1 },
} as const;

export type RetainedKind = keyof typeof RETENTION_RULES;

function addYears(date: Date, years: number): Date {
  const d = new Date(date.getTime());
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d;
}

/** The earliest moment a record may be deleted. While the contract runs, never. */
export function keepUntil(kind: RetainedKind, recordedAt: Date, contract: { endedAt: Date | null; active: boolean }): Date | null {
  if (contract.active) return null;
  const rule = RETENTION_RULES[kind];
  const minimum = addYears(recordedAt, rule.minimumYears);
  const afterEnd = contract.endedAt ? addYears(contract.endedAt, rule.afterContractEndYears) : minimum;
  return afterEnd.getTime() > minimum.getTime() ? afterEnd : minimum;
}

export function mayDelete(kind: RetainedKind, recordedAt: Date, contract: { endedAt: Date | null; active: boolean }, now: Date): boolean {
  const until = keepUntil(kind, recordedAt, contract);
  return until !== null && now.getTime() >= until.getTime();
}
