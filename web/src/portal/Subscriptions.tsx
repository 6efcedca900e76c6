import { useEffect, useState } from 'react';
import { isStatus, messageOf } from '../api.ts';
import { formatDate, formatMoney, humanize } from '../format.ts';
import { Link, PageHeading } from '../router.tsx';
import { cancellationApi, type PortalSubscription } from './cancellation.ts';
import { portalPath } from './PortalFrame.tsx';

/** The customer's subscriptions, each with its own way to cancel. */
export function SubscriptionsPage({ slug }: { slug: string }) {
  const [subs, setSubs] = useState<PortalSubscription[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    cancellationApi(slug)
      .subscriptions()
      .then((r) => setSubs(r.data))
      .catch((err: unknown) => setError(isStatus(err, 404) ? 'Subscriptions cannot be shown here yet.' : messageOf(err)));
  }, [slug]);
  return (
    <>
      <PageHeading title="My subscriptions · Customer portal">My subscriptions</PageHeading>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {subs === null && !error && <p role="status">Loading…</p>}
      {subs && subs.length === 0 && <p>You have no subscriptions.</p>}
      {subs && subs.length > 0 && (
        <ul className="cards">
          {subs.map((s) => {
            return (
              <li key={s.id} className="card">
                <h2>
                  {s.planName} <span className="muted">({s.reference})</span>
                </h2>
                <dl className="facts">
                  <dt>Status</dt>
                  <dd>{s.openCancellation && ['confirmed', 'effective'].includes(s.openCancellation.status) && s.openCancellation.effectiveAt ? `Cancelled; ends ${formatDate(s.openCancellation.effectiveAt)}` : humanize(s.status)}</dd>
                  <dt>Price</dt>
                  <dd>
                    {formatMoney(s.priceMinor, s.currency)} per {s.interval}
                  </dd>
                  <dt>Current period ends</dt>
                  <dd>{formatDate(s.currentPeriodEnd)}</dd>
                  {s.renewsAt && (
                    <>
                      <dt>Renews</dt>
                      <dd>{formatDate(s.renewsAt)}</dd>
                    </>
                  )}
                </dl>
                {s.status !== 'cancelled' && !(s.openCancellation && ['confirmed', 'effective'].includes(s.openCancellation.status)) && (
                  <Link to={portalPath(slug, `/cancel?subscription=${encodeURIComponent(s.id)}`)}>Cancel subscription {s.reference}</Link>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
