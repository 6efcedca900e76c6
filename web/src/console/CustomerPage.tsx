import { useEffect, useState } from 'react';
import type { z } from 'zod';
import { ConversationList } from '../../../src/contracts/conversations.ts';
import { Customer as CustomerSchema, type Customer } from '../../../src/contracts/customers.ts';
import { InvoiceList } from '../../../src/contracts/invoices.ts';
import { AgentList } from '../../../src/contracts/agents.ts';
import { OfferList } from '../../../src/contracts/offers.ts';
import { CancellationList, NoticeList, PlanList, SubscriptionList } from '../../../src/contracts/subscriptions.ts';
import { ConsentList } from '../../../src/contracts/consents.ts';
import { api, messageOf } from '../api.ts';
import { formatDate, formatDateTime } from '../format.ts';
import { Link, PageHeading } from '../router.tsx';
import { EntitlementsPanel } from './EntitlementsPanel.tsx';
import { buildTimeline, type TimelineEntry } from './timeline.ts';
import './customer.css';
import { ReadsSection } from '../compliance/ReadsSection.tsx';
import { useSession } from './session.tsx';
import { ROLE_PERMISSIONS } from '../../../src/domain/policy.ts';

/** At most this many pages of 200 per list: a timeline of thousands is not read, and the page says so. */
const MAX_PAGES = 5;

type Listed<T> = { data: T[]; nextCursor: string | null };

/** Every item of a `{data, nextCursor}` list (up to MAX_PAGES pages); `more` when the list went on. */
async function all<S extends z.ZodType<Listed<unknown>>>(schema: S, path: string, signal: AbortSignal): Promise<{ items: z.infer<S>['data']; more: boolean }> {
  const items: z.infer<S>['data'] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const res: Listed<unknown> = await api(schema, `${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { signal });
    items.push(...res.data);
    cursor = res.nextCursor;
    if (!cursor) return { items, more: false };
  }
  return { items, more: true };
}

/** The customer view: their details, entitlements, and the timeline of their journey, newest first. */
export function CustomerPage({ id }: { id: string }) {
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [timeline, setTimeline] = useState<{ entries: TimelineEntry[]; more: boolean } | null>(null);
  const [error, setError] = useState('');
  // "Who read this record" is for those who hold audit:read (compliance, admins).
  const canAudit = ROLE_PERMISSIONS[useSession().agent.role].includes('audit:read');

  useEffect(() => {
    const ctl = new AbortController();
    const signal = ctl.signal;
    const enc = encodeURIComponent(id);
    (async () => {
      const c = await api(CustomerSchema, `/api/v1/customers/${enc}`, { signal });
      setCustomer(c);
      const [conversations, subscriptions, invoices, plans, offers, agents, consents, cancellations] = await Promise.all([
        all(ConversationList, `/api/v1/conversations?customerId=${enc}`, signal),
        all(SubscriptionList, `/api/v1/subscriptions?customerId=${enc}`, signal),
        all(InvoiceList, `/api/v1/customers/${enc}/invoices`, signal),
        api(PlanList, '/api/v1/plans?limit=200', { signal }),
        all(OfferList, `/api/v1/offers?customerId=${enc}`, signal),
        all(AgentList, '/api/v1/agents', signal),
        api(ConsentList, `/api/v1/customers/${enc}/consents`, { signal }),
        all(CancellationList, `/api/v1/cancellations?customerId=${enc}`, signal),
      ]);
      const notices = await Promise.all(subscriptions.items.map((s) => all(NoticeList, `/api/v1/subscriptions/${encodeURIComponent(s.id)}/notices`, signal)));
      setTimeline({
        entries: buildTimeline({
          conversations: conversations.items,
          subscriptions: subscriptions.items,
          notices: notices.flatMap((n) => n.items),
          invoices: invoices.items,
          plans: plans.data,
          offers: offers.items,
          agents: new Map(agents.items.map((a) => [a.id, a.name])),
          consents: consents.data,
          cancellations: cancellations.items,
        }),
        more: [conversations, subscriptions, invoices, offers, cancellations, ...notices].some((l) => l.more),
      });
    })().catch((err: unknown) => {
      const message = messageOf(err);
      if (message) setError(message);
    });
    return () => ctl.abort();
  }, [id]);

  if (error)
    return (
      <>
        <PageHeading title="Customer · Fairdesk">Customer</PageHeading>
        <p role="alert" className="error">
          {error}
        </p>
        <Link to="/inbox">Back to the inbox</Link>
      </>
    );
  if (!customer) return <p role="status">Loading…</p>;

  return (
    <div className="customer">
      <div className="customer-head">
        <Link to="/inbox" className="back">
          ← Inbox
        </Link>
        <PageHeading title={`${customer.name} · Fairdesk`}>{customer.name}</PageHeading>
      </div>
      <section className="customer-details" aria-labelledby="details-title">
        <h2 id="details-title">Details</h2>
        <dl>
          <dt>E-mail</dt>
          <dd>{customer.emails.length ? customer.emails.join(', ') : 'none on file'}</dd>
          <dt>Phone</dt>
          <dd>{customer.phones.length ? customer.phones.join(', ') : 'none on file'}</dd>
          <dt>Customer since</dt>
          <dd>{customer.customerSince ? formatDate(`${customer.customerSince}T00:00:00Z`) : 'not known'}</dd>
          <dt>Time zone</dt>
          <dd>{customer.timeZone ?? 'not set'}</dd>
          {customer.externalId ? (
            <>
              <dt>External id</dt>
              <dd>{customer.externalId}</dd>
            </>
          ) : null}
          <dt>In Fairdesk since</dt>
          <dd>{formatDateTime(customer.createdAt)}</dd>
          {customer.closedAt ? (
            <>
              <dt>Account closed</dt>
              <dd>{formatDateTime(customer.closedAt)}</dd>
            </>
          ) : null}
        </dl>
      </section>
      <EntitlementsPanel customerId={customer.id} />
      <section className="timeline" aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline</h2>
        {!timeline ? (
          <p role="status">Loading the timeline…</p>
        ) : timeline.entries.length === 0 ? (
          <p className="muted">Nothing yet: no conversations, subscriptions, notices, invoices, offers, consents or cancellations.</p>
        ) : (
          <>
            <p className="muted">Newest first: conversations, subscriptions, notices, invoices, offers, consents, and cancellations with their confirmations.</p>
            <ol className="timeline-list" aria-label="Timeline, newest first">
              {timeline.entries.map((e) => (
                <li key={e.key} className={`timeline-entry kind-${e.kind.toLowerCase()}`}>
                  <time dateTime={e.at}>{formatDateTime(e.at)}</time>
                  <span className="badge">{e.kind}</span>
                  <span className="timeline-line">{e.link ? <Link to={e.link}>{e.line}</Link> : e.line}</span>
                </li>
              ))}
            </ol>
            {timeline.more ? <p className="muted">Only the most recent entries are shown.</p> : null}
          </>
        )}
      </section>
      {canAudit && <ReadsSection customerId={customer.id} />}
    </div>
  );
}
