import type { ConversationSummary } from '../../../src/contracts/conversations.ts';
import type { Invoice } from '../../../src/contracts/invoices.ts';
import type { Offer } from '../../../src/contracts/offers.ts';
import type { Notice, Plan, Subscription } from '../../../src/contracts/subscriptions.ts';
import { formatMoney, humanize } from '../format.ts';
import { harmWords, STATUS_WORDS } from '../offers/words.ts';

/** One step of a customer's journey: when, what kind, one line, and a page to open when there is one. */
export interface TimelineEntry {
  key: string;
  at: string;
  kind: 'Conversation' | 'Subscription' | 'Notice' | 'Invoice' | 'Offer';
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
  /** Agents' names by id, for who presented an offer. */
  agents?: ReadonlyMap<string, string>;
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

/** The journey as one list, newest first (ties keep conversations, subscriptions, notices, invoices, offers in that order). */
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
  ];
  return entries
    .map((e, i) => ({ e, i, t: Date.parse(e.at) }))
    .sort((a, b) => b.t - a.t || a.i - b.i)
    .map((x) => x.e);
}
