import type { ConversationSummary } from '../../../src/contracts/conversations.ts';
import type { Invoice } from '../../../src/contracts/invoices.ts';
import type { Notice, Plan, Subscription } from '../../../src/contracts/subscriptions.ts';
import { formatMoney, humanize } from '../format.ts';

/** One step of a customer's journey: when, what kind, one line, and a page to open when there is one. */
export interface TimelineEntry {
  key: string;
  at: string;
  kind: 'Conversation' | 'Subscription' | 'Notice' | 'Invoice';
  line: string;
  link: string | null;
}

export interface Journey {
  conversations: ConversationSummary[];
  subscriptions: Subscription[];
  notices: Notice[];
  invoices: Invoice[];
  plans: Plan[];
}

const NOTICE_KIND: Record<Notice['kind'], string> = {
  price_change: 'price change',
  terms_change: 'change of terms',
  annual_reminder: 'annual reminder',
  trial_reminder: 'end of trial',
};

/** The journey as one list, newest first (ties keep conversations, subscriptions, notices, invoices in that order). */
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
  ];
  return entries
    .map((e, i) => ({ e, i, t: Date.parse(e.at) }))
    .sort((a, b) => b.t - a.t || a.i - b.i)
    .map((x) => x.e);
}
