import { AUDIT_ACTION_FAMILIES } from '../../../src/contracts/audit.ts';

const FAMILY_WORDS: Record<(typeof AUDIT_ACTION_FAMILIES)[number], string> = {
  'exception.': 'Exceptions',
  'closure.': 'Account closures',
  'cancellation.': 'Cancellations',
  'offer.': 'Offers',
  'consent.': 'Consents',
  'customer.': 'Customers',
  'charter.': 'Charter',
  'agent.': 'Agents',
  'api_token.': 'API tokens',
};

/** The action families offered by the audit log's filter, in words. */
export const ACTION_FAMILIES: ReadonlyArray<{ value: string; label: string }> = AUDIT_ACTION_FAMILIES.map((value) => ({ value, label: FAMILY_WORDS[value] }));

/** Entity types the filter offers (the log's own names, in words). */
export const ENTITY_TYPES: ReadonlyArray<{ value: string; label: string }> = [
  { value: 'customer', label: 'Customer' },
  { value: 'conversation', label: 'Conversation' },
  { value: 'charter_exception', label: 'Exception' },
  { value: 'customer_closure', label: 'Account closure' },
  { value: 'cancellation', label: 'Cancellation' },
  { value: 'cancel_request', label: 'Cancel request' },
  { value: 'offer', label: 'Offer' },
  { value: 'consent', label: 'Consent' },
  { value: 'credit_inquiry', label: 'Credit check' },
  { value: 'charter_version', label: 'Charter version' },
  { value: 'subscription', label: 'Subscription' },
  { value: 'agent', label: 'Agent' },
  { value: 'api_token', label: 'API token' },
];

export function entityTypeWords(type: string): string {
  return ENTITY_TYPES.find((t) => t.value === type)?.label ?? type.replace(/_/g, ' ');
}

/**
 * The page that shows an audit entry's record, when there is one: customers and conversations have
 * their own page; an exception opens on the exceptions page, a charter version on the versions page,
 * an offer among the offer decisions.
 */
export function entityLink(entityType: string, entityId: string): { to: string; label: string } | null {
  const enc = encodeURIComponent(entityId);
  switch (entityType) {
    case 'customer':
      return { to: `/customers/${enc}`, label: 'Open customer' };
    case 'conversation':
      return { to: `/inbox/${enc}`, label: 'Open conversation' };
    case 'charter_exception':
      return { to: `/exceptions?focus=${enc}`, label: 'Open exception' };
    case 'charter_version':
      return { to: `/charter-versions?b=${enc}`, label: 'Open version' };
    case 'offer':
      return { to: '/offers', label: 'Offer decisions' };
    default:
      return null;
  }
}

/** `2026-11-22` → the ISO instant at 00:00 UTC; the day after for an inclusive end. Null when malformed. */
export function dayStart(day: string, plusDays = 0): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(t) ? null : new Date(t + plusDays * 86_400_000).toISOString();
}
