import { useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import { z } from 'zod';
import { LoggedOutCancellationCreate, type Cancellation } from '../../../src/contracts/subscriptions.ts';
import type { PortalMe } from '../../../src/contracts/portal.ts';
import { api, isStatus, messageOf } from '../api.ts';
import { formatDate, formatMoney } from '../format.ts';
import { Link, navigate, PageHeading, useQuery } from '../router.tsx';
import { cancellationApi, REASONS, type DoneState, type PortalSubscription, type Reason, type Timing } from './cancellation.ts';
import { portalPath } from './PortalFrame.tsx';

/**
 * Screen 1 of 2 of cancelling. Signed in: what will be cancelled, the optional survey, the timing,
 * and "Cancel now". If the API puts a clarification or an offer in front of the customer, it appears
 * here, beside a "Cancel now" button at least as large as the other choice. Signed out: the form
 * that needs only the e-mail address and the subscription's reference.
 */
export function CancelPage({ slug, me }: { slug: string; me: PortalMe | null }) {
  return me ? <SignedInCancel slug={slug} me={me} /> : <LoggedOutCancel slug={slug} />;
}

/** Attempts not yet confirmed, and attempts in force (nothing left to cancel). */
const OPEN = new Set(['requested', 'offered', 'clarified']);
const IN_FORCE = new Set(['confirmed', 'effective']);

function SignedInCancel({ slug, me }: { slug: string; me: PortalMe }) {
  const query = useQuery();
  const calls = cancellationApi(slug);
  const [subs, setSubs] = useState<PortalSubscription[] | null>(null);
  const [subscriptionId, setSubscriptionId] = useState('');
  const [reason, setReason] = useState<Reason | ''>('');
  const [timing, setTiming] = useState<Timing>('period_end');
  const [attempt, setAttempt] = useState<Cancellation | null>(null);
  const [outcome, setOutcome] = useState<'kept' | 'switched' | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const shownRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    calls
      .subscriptions()
      .then((r) => {
        const live = r.data.filter((s) => s.status !== 'cancelled' && !(s.openCancellation && IN_FORCE.has(s.openCancellation.status)));
        setSubs(live);
        const wanted = query.get('subscription');
        setSubscriptionId(live.find((s) => s.id === wanted)?.id ?? live[0]?.id ?? '');
      })
      .catch((err: unknown) => setError(messageOf(err)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [slug]);

  useEffect(() => {
    if (attempt) shownRef.current?.focus();
  }, [attempt]);

  const sub = subs?.find((s) => s.id === subscriptionId);

  const confirm = async (cancellationId: string) => {
    const confirmation = await calls.confirm(cancellationId);
    const state: DoneState = { confirmation, subscription: sub ? `${sub.planName} (${sub.reference})` : '' };
    navigate(portalPath(slug, `/cancel/done?id=${encodeURIComponent(cancellationId)}`), { state });
  };

  const cancelNow = async (e: FormEvent) => {
    e.preventDefault();
    if (!sub || busy) return;
    setBusy(true);
    setError('');
    try {
      if (attempt) return await confirm(attempt.id);
      // An earlier request that was never confirmed still stands: "Cancel now" confirms it.
      const standing = sub.openCancellation;
      if (standing && OPEN.has(standing.status)) return await confirm(standing.id);
      const requested = await calls.request(sub.id, { timing, ...(reason ? { reason } : {}) });
      if ((requested.clarification || requested.offer) && requested.shownOutcome === 'pending') {
        setAttempt(requested);
        setBusy(false);
        return;
      }
      await confirm(requested.id);
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };

  const keep = async () => {
    if (!attempt || busy) return;
    setBusy(true);
    try {
      if (attempt.offer) await calls.acceptOffer(attempt.id);
      else await calls.withdraw(attempt.id);
      setOutcome(attempt.offer ? 'switched' : 'kept');
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  if (outcome)
    return (
      <>
        <PageHeading title="Subscription kept · Customer portal">{outcome === 'switched' ? `You are now on ${attempt?.offer?.planName ?? 'the new plan'}` : 'Your subscription continues'}</PageHeading>
        <p role="status">{outcome === 'switched' ? 'Nothing was cancelled. The new plan applies from your next bill.' : 'Nothing was cancelled.'}</p>
        <p>
          <Link to={portalPath(slug, '/subscriptions')}>My subscriptions</Link>
        </p>
      </>
    );

  const locked = attempt !== null;
  return (
    <>
      <PageHeading title="Cancel subscription · Customer portal">Cancel subscription</PageHeading>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {subs === null && !error && <p role="status">Loading…</p>}
      {subs && subs.length === 0 && <p>You have no subscription to cancel.</p>}
      {subs && subs.length > 0 && (
        <form onSubmit={cancelNow} className="stack cancel-form">
          <fieldset disabled={locked}>
            <legend>What will be cancelled</legend>
            {subs.length === 1 ? (
              <SubscriptionFacts sub={subs[0]!} />
            ) : (
              subs.map((s) => (
                <label key={s.id} className="choice">
                  <input type="radio" name="subscription" value={s.id} checked={s.id === subscriptionId} onChange={() => setSubscriptionId(s.id)} />
                  <SubscriptionFacts sub={s} />
                </label>
              ))
            )}
          </fieldset>
          <fieldset disabled={locked}>
            <legend>When should it end?</legend>
            <label className="choice">
              <input type="radio" name="timing" value="period_end" checked={timing === 'period_end'} onChange={() => setTiming('period_end')} />
              <span>{sub ? timingText(sub, 'period_end') : 'At the end of the period you have paid for.'}</span>
            </label>
            <label className="choice">
              <input type="radio" name="timing" value="immediate" checked={timing === 'immediate'} onChange={() => setTiming('immediate')} />
              <span>{sub ? timingText(sub, 'immediate') : 'Now, with a refund for the unused days under our published refund policy.'}</span>
            </label>
          </fieldset>
          <fieldset disabled={locked}>
            <legend>Why are you cancelling? (optional)</legend>
            <div className="reasons">
              {REASONS.map((r) => (
                <label key={r.value} className="choice">
                  <input type="radio" name="reason" value={r.value} checked={reason === r.value} onChange={() => setReason(r.value)} />
                  <span>{r.label}</span>
                </label>
              ))}
            </div>
            {reason && (
              <button type="button" className="link" onClick={() => setReason('')}>
                Clear my answer
              </button>
            )}
          </fieldset>
          {attempt && <Shown attempt={attempt} innerRef={shownRef} />}
          <div className={attempt ? 'actions two' : 'actions'}>
            <button type="submit" className="primary big" disabled={busy}>
              {busy ? 'Cancelling…' : 'Cancel now'}
            </button>
            {attempt && (
              <button type="button" className="secondary big" onClick={keep} disabled={busy}>
                {attempt.offer ? `Switch to ${attempt.offer.planName}` : 'Keep my subscription'}
              </button>
            )}
          </div>
          <p className="hint">Signed in as {me.emails[0] ?? me.name}. The confirmation is e-mailed to this address.</p>
        </form>
      )}
    </>
  );
}

function SubscriptionFacts({ sub }: { sub: PortalSubscription }) {
  return (
    <span className="sub-facts">
      <strong>
        {sub.planName} <span className="muted">({sub.reference})</span>
      </strong>
      <span>
        {formatMoney(sub.priceMinor, sub.currency)} per {sub.interval}. The current period ends on {formatDate(sub.currentPeriodEnd)}
        {sub.renewsAt ? `; without cancelling it renews on ${formatDate(sub.renewsAt)}` : ''}.
      </span>
    </span>
  );
}

/** The one clarification or offer of this attempt: facts of the customer's own account. */
function Shown({ attempt, innerRef }: { attempt: Cancellation; innerRef: RefObject<HTMLDivElement | null> }) {
  if (attempt.clarification) {
    const c = attempt.clarification;
    return (
      <div className="shown" tabIndex={-1} ref={innerRef} aria-labelledby="shown-title">
        <h2 id="shown-title">{c.headline}</h2>
        <p>{c.body}</p>
        <dl className="facts">
          <dt>Before</dt>
          <dd>
            {formatMoney(c.facts.oldPriceMinor, c.facts.currency)} per {c.facts.interval}
          </dd>
          <dt>From {formatDate(c.facts.changedAt)}</dt>
          <dd>
            {formatMoney(c.facts.newPriceMinor, c.facts.currency)} per {c.facts.interval}
          </dd>
          <dt>Difference for you per year</dt>
          <dd>{formatMoney(c.facts.yearlyDifferenceMinor, c.facts.currency)}</dd>
        </dl>
      </div>
    );
  }
  const o = attempt.offer!;
  return (
    <div className="shown" tabIndex={-1} ref={innerRef} aria-labelledby="shown-title">
      <h2 id="shown-title">{o.headline}</h2>
      <p>{o.why}</p>
      <dl className="facts">
        <dt>You pay now per year</dt>
        <dd>{formatMoney(o.facts.currentYearlyMinor, o.facts.currency)}</dd>
        <dt>{o.planName} per year</dt>
        <dd>{formatMoney(o.facts.offeredYearlyMinor, o.facts.currency)}</dd>
        {o.facts.featuresNotIncluded.length > 0 && (
          <>
            <dt>Not included</dt>
            <dd>{o.facts.featuresNotIncluded.join(', ')}</dd>
          </>
        )}
      </dl>
    </div>
  );
}

/** For customers who cannot sign in: e-mail and the subscription's reference, then "Cancel now". */
function LoggedOutCancel({ slug }: { slug: string }) {
  const query = useQuery();
  const [email, setEmail] = useState('');
  const [reference, setReference] = useState(query.get('reference') ?? '');
  const [answer, setAnswer] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    const body = LoggedOutCancellationCreate.safeParse({ email: email.trim(), reference: reference.trim() });
    if (!body.success) {
      const field = body.error.issues[0]?.path[0];
      return setError(field === 'email' ? 'Enter the e-mail address of your account, for example name@example.com.' : 'Enter the subscription reference from your bill or welcome e-mail.');
    }
    setBusy(true);
    try {
      // The same answer whether or not the details matched: the e-mail on file is the proof.
      const res = await api(z.object({ message: z.string() }), `/api/v1/public/${encodeURIComponent(slug)}/cancellations`, { method: 'POST', body: body.data });
      setAnswer(res.message);
    } catch (err) {
      setError(isStatus(err, 429) ? 'Too many attempts from here. Try again in a few minutes.' : messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="narrow">
      <PageHeading title="Cancel subscription · Customer portal">Cancel subscription</PageHeading>
      {answer ? (
        <p role="status" className="notice">
          {answer}
        </p>
      ) : (
        <>
          <p>You do not need to sign in. Give the e-mail address of your account and the subscription reference.</p>
          <form onSubmit={submit} className="stack" noValidate>
            <label>
              E-mail address
              <input type="email" name="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
            </label>
            <label>
              Subscription reference
              <input name="reference" value={reference} onChange={(e) => setReference(e.target.value)} required autoCapitalize="characters" />
            </label>
            {error && (
              <p role="alert" className="error">
                {error}
              </p>
            )}
            <div className="actions">
              <button type="submit" className="primary big" disabled={busy}>
                {busy ? 'Cancelling…' : 'Cancel now'}
              </button>
            </div>
          </form>
          <p>
            Or <Link to={portalPath(slug)}>sign in</Link> to see your subscriptions.
          </p>
        </>
      )}
    </div>
  );
}

/** What each timing means for this subscription, in its own figures (computed by the server under the published policy). */
function timingText(sub: PortalSubscription, timing: 'period_end' | 'immediate'): string {
  const outcome = timing === 'period_end' ? sub.ifCancelledNow.periodEnd : sub.ifCancelledNow.immediate;
  const refund = outcome.refundMinor > 0 ? `You get ${formatMoney(outcome.refundMinor, sub.currency)} back.` : 'No refund is due: you keep what you have paid for until then.';
  if (sub.ifCancelledNow.withdrawal) return `${timing === 'period_end' ? 'At once' : 'Now'}: you are within the cooling-off period, so this is a withdrawal. ${refund}`;
  if (timing === 'period_end') return `At the end of the period you have paid for, on ${formatDate(outcome.effectiveAt)}. ${refund}`;
  return `Now, on ${formatDate(outcome.effectiveAt)}. ${outcome.refundMinor > 0 ? `You get ${formatMoney(outcome.refundMinor, sub.currency)} back for the unused days, under our published refund policy.` : 'No refund is due under our published refund policy.'}`;
}
