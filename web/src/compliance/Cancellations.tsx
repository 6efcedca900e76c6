import { useState } from 'react';
import { CancellationConfirmationRecord, CancellationList, type CancellationListItem } from '../../../src/contracts/subscriptions.ts';
import { api, messageOf } from '../api.ts';
import { ATTEMPT_WORDS, CHANNEL_WORDS } from '../console/timeline.ts';
import { formatDateTime, formatMoney } from '../format.ts';
import { DateRangeFields, FilterBar, PagedListView, useFilters } from '../lists/FilterBar.tsx';
import { usePagedList } from '../lists/usePagedList.ts';
import { Link, PageHeading } from '../router.tsx';
import { dayStart } from './words.ts';
import './compliance.css';

const PAGE = 50;
const FILTERS = ['status', 'from', 'to'] as const;
const STATUSES = ['requested', 'offered', 'clarified', 'confirmed', 'effective', 'withdrawn', 'reversed'] as const;
const EMAIL_WORDS = { pending: 'Queued, not sent yet', sent: '✓ Sent', failed: '✗ Failed' } as const;
const OUTCOME_WORDS = { pending: 'no answer yet', declined: 'declined', accepted: 'accepted' } as const;

/** What was shown besides "Cancel now", and what became of it: "Offer: Basic at £9.99 — declined". */
function shownWords(c: CancellationListItem): string {
  const outcome = c.shownOutcome ? OUTCOME_WORDS[c.shownOutcome] : 'no answer yet';
  if (c.offer) return `Offer: ${c.offer.planName} — ${outcome}`;
  if (c.clarification) return `Clarification: ${c.clarification.headline} — ${outcome}`;
  return 'Nothing';
}

/**
 * Cancellations with their confirmations (GET /api/v1/cancellations), newest first, for compliance:
 * each attempt with its customer, subscription, status, dates, the steps the customer took, what was
 * shown and its outcome, the refund and the confirmation e-mail's delivery. Opening one shows the
 * confirmation e-mail as the customer received it (GET /api/v1/cancellations/:id/confirmation).
 */
export function CancellationsPage() {
  const { filter, key } = useFilters(FILTERS);
  const list = usePagedList(
    CancellationList,
    (after) => {
      const q = new URLSearchParams({ limit: String(PAGE) });
      if (filter.status) q.set('status', filter.status);
      // Whole days in UTC, both included: the API's `to` is exclusive.
      const from = dayStart(filter.from);
      const to = dayStart(filter.to, 1);
      if (from) q.set('from', from);
      if (to) q.set('to', to);
      if (after) q.set('cursor', after);
      return `/api/v1/cancellations?${q}`;
    },
    key,
  );

  return (
    <div className="compliance">
      <PageHeading title="Cancellations · Fairdesk">Cancellations</PageHeading>
      <p className="report-intro">
        Every request to cancel, newest first (by when it was asked): who, which subscription, where it stands, how many steps the customer took, what was shown
        besides “Cancel now” and what became of it, the refund, and whether the confirmation e-mail went out. Open a confirmed one to read its e-mail as the customer
        received it.
      </p>
      <FilterBar names={FILTERS} label="Filter cancellations" filterKey={key}>
        <label>
          Status
          <select name="status" defaultValue={filter.status}>
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {ATTEMPT_WORDS[s]}
              </option>
            ))}
          </select>
        </label>
        <DateRangeFields from={filter.from} to={filter.to} labels={['Asked from', 'Asked to']} />
      </FilterBar>
      <PagedListView list={list} noun={['cancellation', 'cancellations']}>
        {(items) => (
          <ul className="record-list" aria-label="Cancellations, newest first">
            {items.map((c) => (
              <CancellationItem key={c.id} c={c} />
            ))}
          </ul>
        )}
      </PagedListView>
    </div>
  );
}

function CancellationItem({ c }: { c: CancellationListItem }) {
  const confirmed = c.confirmedAt !== null;
  return (
    <li className="record-item" id={`cancellation-${c.id}`}>
      <h2>
        {c.reference} <span className="badge">{ATTEMPT_WORDS[c.status]}</span>
      </h2>
      <dl>
        <dt>Customer</dt>
        <dd>
          <Link to={`/customers/${c.customerId}`}>{c.customerName}</Link>
        </dd>
        <dt>Subscription</dt>
        <dd>
          {c.planName} ({c.subscriptionReference})
        </dd>
        <dt>Asked</dt>
        <dd>
          <time dateTime={c.createdAt}>{formatDateTime(c.createdAt)}</time> {CHANNEL_WORDS[c.channel] ?? `(${c.channel})`}
          {c.reason ? `, reason: ${c.reason.replace(/_/g, ' ')}` : ''}
        </dd>
        <dt>Confirmed</dt>
        <dd>{c.confirmedAt ? <time dateTime={c.confirmedAt}>{formatDateTime(c.confirmedAt)}</time> : <span className="muted">—</span>}</dd>
        <dt>Ends</dt>
        <dd>{c.effectiveAt ? <time dateTime={c.effectiveAt}>{formatDateTime(c.effectiveAt)}</time> : <span className="muted">—</span>}</dd>
        <dt>Steps taken</dt>
        <dd>{c.steps}</dd>
        <dt>Shown besides “Cancel now”</dt>
        <dd>{shownWords(c)}</dd>
        <dt>Refund</dt>
        <dd>{c.refund ? (c.refund.amountMinor > 0 ? formatMoney(c.refund.amountMinor, c.refund.currency) : 'None due') : <span className="muted">—</span>}</dd>
        <dt>Confirmation e-mail</dt>
        <dd>
          {c.confirmationEmail ? (
            <span className={`email-state ${c.confirmationEmail.state}`}>
              {EMAIL_WORDS[c.confirmationEmail.state]}
              {c.confirmationEmail.sentAt ? ` ${formatDateTime(c.confirmationEmail.sentAt)}` : ''}
            </span>
          ) : confirmed ? (
            'None: no e-mail address on file'
          ) : (
            <span className="muted">Not confirmed</span>
          )}
        </dd>
      </dl>
      {confirmed && <ConfirmationEmail cancellationId={c.id} reference={c.reference} />}
    </li>
  );
}

/** The confirmation e-mail, fetched when opened (reading it is logged as a read of the customer's record). */
function ConfirmationEmail({ cancellationId, reference }: { cancellationId: string; reference: string }) {
  const [record, setRecord] = useState<CancellationConfirmationRecord | null>(null);
  const [error, setError] = useState('');
  const load = (open: boolean) => {
    if (!open || record) return;
    api(CancellationConfirmationRecord, `/api/v1/cancellations/${cancellationId}/confirmation`).then(setRecord, (err: unknown) => setError(messageOf(err)));
  };
  const email = record?.email;
  return (
    <details className="confirmation" onToggle={(e) => load(e.currentTarget.open)}>
      <summary>Confirmation e-mail of {reference}</summary>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : !record ? (
        <p role="status">Loading…</p>
      ) : !email ? (
        <p>No e-mail was sent: the customer had no e-mail address on file.</p>
      ) : (
        <div className="email" aria-label={`Confirmation e-mail of ${reference}`} role="region">
          <dl>
            <dt>To</dt>
            <dd>{email.to ?? 'erased with the customer’s record'}</dd>
            <dt>Subject</dt>
            <dd>{email.subject}</dd>
            <dt>Delivery</dt>
            <dd>
              {EMAIL_WORDS[email.state]}
              {email.sentAt ? ` ${formatDateTime(email.sentAt)}` : ''}; queued {formatDateTime(email.queuedAt)}; {email.attempts} {email.attempts === 1 ? 'attempt' : 'attempts'}
              {email.lastError ? `; last error: ${email.lastError}` : ''}
            </dd>
          </dl>
          {email.text === null ? <p>The text was erased with the customer’s record.</p> : <pre className="email-text">{email.text}</pre>}
          <p className="muted">A link’s secret is never shown here: it works only for the customer it was sent to.</p>
        </div>
      )}
    </details>
  );
}
