import { useEffect, useState } from 'react';
import type { PortalMe } from '../../../src/contracts/portal.ts';
import { messageOf } from '../api.ts';
import { formatDate, formatDateTime, formatMoney } from '../format.ts';
import { Link, PageHeading, useLocation, useQuery } from '../router.tsx';
import { cancellationApi, type DoneState } from './cancellation.ts';
import { portalPath } from './PortalFrame.tsx';

/** Screen 2 of 2: the confirmation, on screen at once (the e-mail follows). */
export function CancelDonePage({ slug, me }: { slug: string; me: PortalMe | null }) {
  const { state } = useLocation();
  const id = useQuery().get('id') ?? '';
  const handed = (state as DoneState | null)?.confirmation ? (state as DoneState) : null;
  const [done, setDone] = useState<DoneState | null>(handed);
  const [error, setError] = useState('');

  useEffect(() => {
    if (done || !id) return;
    // Opened again later (a reload, a bookmark): read the cancellation itself.
    cancellationApi(slug)
      .get(id)
      .then((c) => {
        if (!c.effectiveAt || !c.refund) return setError('This cancellation is not confirmed.');
        setDone({ confirmation: { reference: c.reference, effectiveAt: c.effectiveAt, refund: c.refund, noChargesAfter: c.effectiveAt, cancellation: c }, subscription: '' });
      })
      .catch((err: unknown) => setError(messageOf(err)));
  }, [slug, id, done]);

  if (error)
    return (
      <>
        <PageHeading title="Cancellation · Customer portal">Cancellation</PageHeading>
        <p role="alert" className="error">
          {error}
        </p>
      </>
    );
  if (!done) return <p role="status">Loading…</p>;
  const c = done.confirmation;
  const email = me?.emails[0];
  return (
    <>
      <PageHeading title="Cancelled · Customer portal">Your subscription is cancelled</PageHeading>
      <dl className="facts confirmation">
        <dt>Reference</dt>
        <dd>{c.reference}</dd>
        {done.subscription && (
          <>
            <dt>Subscription</dt>
            <dd>{done.subscription}</dd>
          </>
        )}
        <dt>Ends</dt>
        <dd>
          <time dateTime={c.effectiveAt}>{formatDateTime(c.effectiveAt)}</time>
        </dd>
        <dt>Charges</dt>
        <dd>
          No charges after <time dateTime={c.noChargesAfter}>{formatDate(c.noChargesAfter)}</time>
        </dd>
        <dt>Refund</dt>
        <dd>{c.refund.amountMinor > 0 ? `${formatMoney(c.refund.amountMinor, c.refund.currency)} to the way you paid` : 'None'}</dd>
      </dl>
      <p role="status">A confirmation e-mail is on its way{email ? ` to ${email}` : ''}.</p>
      <p>
        <Link to={portalPath(slug, '/subscriptions')}>My subscriptions</Link>
      </p>
    </>
  );
}
