import type { ConversationSummary } from '../../../src/contracts/conversations.ts';
import type { Invoice } from '../../../src/contracts/invoices.ts';
import type { Offer } from '../../../src/contracts/offers.ts';
import type { Cancellation, Notice, Plan, Subscription } from '../../../src/contracts/subscriptions.ts';
import type { Consent } from '../../../src/contracts/consents.ts';
import { formatDate, formatMoney, humanize } from '../format.ts';
import { harmWords, STATUS_WORDS } from '../offers/words.ts';
import { PURPOSE_WORDS, RECORD_WORDS, recordedByWords } from '../consents/words.ts';

/** One step of a customer's journey: when, what kind, one line, and a page to open when there is one. */
export interface TimelineEntry {
  key: string;
  at: string;
  kind: 'Conversation' | 'Subscription' | 'Notice' | 'Invoice' | 'Offer' | 'Consent' | 'Cancellation';
  line: string;
  link: string | null;
}

export interface Journey {
  conversations: ConversationSummary[];
  subscriptions: Subscription[];
  notices: Notice[];
  invoices: Invoice[];
  plans: Plan[];
  offers?: Offer[];
  /** Agents' names by id, for who presented an offer or recorded a consent. */
  agents?: ReadonlyMap<string, string>;
  /** The consent ledger's records (GET /api/v1/customers/:id/consents). */
  consents?: Consent[];
  /** Cancellation attempts (GET /api/v1/cancellations?customerId=); a confirmed one adds its confirmation. */
  cancellations?: Cancellation[];
}

/** "Hard credit check — granted by Robin agent: one hard inquiry for the card; until 20 Dec 2026". */
export function consentLine(c: Consent, agents: ReadonlyMap<string, string> = new Map()): string {
  return `${PURPOSE_WORDS[c.purpose]} — ${RECORD_WORDS[c.status].toLowerCase()} by ${recordedByWords(c.recordedBy, agents)}: ${c.scope}${c.expiresAt ? `; until ${formatDate(c.expiresAt)}` : ''}`;
}

export const CHANNEL_WORDS: Record<string, string> = { portal: 'in the portal', logged_out: 'without signing in', agent: 'through an agent', email: 'by e-mail', api: 'through the API' };
export const ATTEMPT_WORDS: Record<Cancellation['status'], string> = {
  idle: 'not started',
  requested: 'not confirmed yet',
  offered: 'an offer shown, not confirmed yet',
  clarified: 'a clarification shown, not confirmed yet',
  confirmed: 'confirmed',
  effective: 'confirmed and in effect',
  withdrawn: 'withdrawn by the customer',
  reversed: 'reversed by the customer',
};

/** The request: "Asked to cancel BB-0001 in the portal (reason: price) — confirmed". */
export function cancellationLine(c: Cancellation, subscription: string): string {
  const outcome = c.status === 'withdrawn' && c.shownOutcome === 'accepted' ? 'kept: the customer took the offer' : ATTEMPT_WORDS[c.status];
  return `Asked to cancel ${subscription} ${CHANNEL_WORDS[c.channel] ?? `(${c.channel})`}${c.reason ? ` (reason: ${c.reason.replace(/_/g, ' ')})` : ''} — ${outcome}`;
}

/** The confirmation: "Cancellation C-… of BB-0001 confirmed: ends 20 December 2026; refund £0.00". */
export function confirmationLine(c: Cancellation, subscription: string): string {
  const parts = [`Cancellation ${c.reference} of ${subscription} confirmed`];
  if (c.effectiveAt) parts.push(`ends ${formatDate(c.effectiveAt)}`);
  if (c.refund) parts.push(c.refund.amountMinor > 0 ? `refund ${formatMoney(c.refund.amountMinor, c.refund.currency)}` : 'no refund due');
  return `${parts[0]}: ${parts.slice(1).join('; ')}`;
}

/** "Business Rewards Card — declined; worth £25.00 a year; presented by Sam Seller; after the sale: complaint upheld". */
export function offerLine(o: Offer, agents: ReadonlyMap<string, string> = new Map()): string {
  const parts = [`${o.productName} — ${STATUS_WORDS[o.status].toLowerCase()}`];
  if (o.value) parts.push(`worth ${formatMoney(o.value.yearlyMinor, o.value.currency)} a year to the customer`);
  if (o.agentId) parts.push(`presented by ${agents.get(o.agentId) ?? 'an agent'}`);
  else if (o.cancellationId) parts.push('in the cancellation flow');
  if (o.statedNeed) parts.push(`need stated: ${o.statedNeed.replace(/_/g, ' ')}`);
  if (o.harms.length > 0) parts.push(`harm after the sale: ${o.harms.map(harmWords).join(', ')}`);
  return parts.join('; ');
}

const NOTICE_KIND: Record<Notice['kind'], string> = {
  price_change: 'price change',
  terms_change: 'change of terms',
  annual_reminder: 'annual reminder',
  trial_reminder: 'end of trial',
};

/** The journey as one list, newest first (ties keep conversations, subscriptions, notices, invoices, offers, consents, cancellations in that order). */
export function buildTimeline(j: Journey): TimelineEntry[] {
  const planName = new Map(j.plans.map((p) => [p.id, p.name]));
  const reference = new Map(j.subscriptions.map((s) => [s.id, s.reference]));
  const entries: TimelineEntry[] = [
    ...j.conversations.map((c) => ({
      key: `conversation:${c.id}`,
      at: c.createdAt,
      kind: 'Conversation' as const,
      line: `${c.subject} — ${humanize(c.status).toLowerCase()}, ${humanize(c.channel).toLowerCase()}`,
      link: `/inbox/${c.id}`,
    })),
    ...j.subscriptions.map((s) => ({
      key: `subscription:${s.id}`,
      at: s.startedAt,
      kind: 'Subscription' as const,
      line: `Subscribed to ${planName.get(s.planId) ?? 'a plan'} (${s.reference}) — now ${humanize(s.status).toLowerCase()}`,
      link: null,
    })),
    ...j.notices.map((n) => ({
      key: `notice:${n.id}`,
      at: n.sentAt,
      kind: 'Notice' as const,
      line: `Notice of ${NOTICE_KIND[n.kind]} for ${reference.get(n.subscriptionId) ?? 'a subscription'}: ${n.subject}${n.to ? '' : ' (recorded; no e-mail address on file)'}`,
      link: null,
    })),
    ...j.invoices.map((i) => ({
      key: `invoice:${i.id}`,
      at: i.issuedAt,
      kind: 'Invoice' as const,
      line: `${i.number}: ${formatMoney(i.totalMinor, i.currency)}, ${humanize(i.status).toLowerCase()}${i.refundedMinor ? ` (${formatMoney(i.refundedMinor, i.currency)} refunded)` : ''}`,
      link: null,
    })),
    ...(j.offers ?? []).map((o) => ({
      key: `offer:${o.id}`,
      at: o.presentedAt,
      kind: 'Offer' as const,
      line: offerLine(o, j.agents),
      link: o.conversationId ? `/inbox/${o.conversationId}` : null,
    })),
    ...(j.consents ?? []).map((c) => ({
      key: `consent:${c.id}`,
      at: c.at,
      kind: 'Consent' as const,
      line: consentLine(c, j.agents),
      link: null,
    })),
    ...(j.cancellations ?? []).flatMap((c) => {
      const sub = reference.get(c.subscriptionId) ?? 'a subscription';
      const request = { key: `cancellation:${c.id}`, at: c.createdAt, kind: 'Cancellation' as const, line: cancellationLine(c, sub), link: null };
      return c.confirmedAt ? [request, { key: `confirmation:${c.id}`, at: c.confirmedAt, kind: 'Cancellation' as const, line: confirmationLine(c, sub), link: null }] : [request];
    }),
  ];
  return entries
    .map((e, i) => ({ e, i, t: Date.parse(e.at) }))
    .sort((a, b) => b.t - a.t || a.i - b.i)
    .map((x) => x.e);
}
