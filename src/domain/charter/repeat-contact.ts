/**
 * Never dump a customer. Frequent contact is failure demand: reaching the charter's repeat-contact
 * rule opens a root-cause case. Closing an account needs a reason from a fixed list, and contact
 * volume is not on it.
 */

/**
 * Whether a customer has reached the repeat-contact rule at `now`: at least `conversations`
 * conversations opened in the `days` × 24 hours up to and including `now` (the one just opened
 * counts; future times do not).
 * @example isRepeatContact({ conversations: 3, days: 14 }, [d1, d2, d3], now)
 */
export function isRepeatContact(rule: { conversations: number; days: number }, customerConversationOpenTimes: readonly Date[], now: Date): boolean {
  const end = now.getTime();
  const start = end - rule.days * 86_400_000;
  let count = 0;
  for (const t of customerConversationOpenTimes) {
    const ms = t.getTime();
    if (ms > start && ms <= end) count += 1;
  }
  return count >= rule.conversations;
}

/** The only reasons an account may be closed. Contacting us — however often — is not one of them. */
export const CLOSURE_REASONS = [
  'customer_request',
  'fraud',
  'abuse_of_staff',
  'non_payment',
  'deceased',
  'duplicate_account',
  'legal_requirement',
] as const;
export type ClosureReason = (typeof CLOSURE_REASONS)[number];

/** Whether `reason` is on the fixed list; anything else (e.g. "too_many_contacts") is refused. */
export function closureAllowed(reason: string): reason is ClosureReason {
  return (CLOSURE_REASONS as readonly string[]).includes(reason);
}
