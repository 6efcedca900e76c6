import { useCallback, useEffect, useId, useState } from 'react';
import { CustomerOffers as CustomerOffersSchema, Offer as OfferSchema, OfferList, type CustomerOffers, type Offer } from '../../../src/contracts/offers.ts';
import { ROLE_PERMISSIONS } from '../../../src/domain/policy.ts';
import { api, ApiError, messageOf } from '../api.ts';
import { formatDateTime, formatMoney } from '../format.ts';
import { gateDetail, GATE_SHORT, needsOf, needWords, reasonsByGate, robustnessWords, STATUS_WORDS, termLine } from '../offers/words.ts';
import { useSession } from './session.tsx';
import '../offers/offers.css';

type Eligible = CustomerOffers['eligible'][number];

/** What went wrong with a call, as the API said it: the problem's detail and each field's detail (naming the gate). */
export interface Refusal {
  detail: string;
  errors: string[];
}

function refusalOf(err: unknown): Refusal {
  if (err instanceof ApiError && err.problem) return { detail: err.problem.detail, errors: (err.problem.errors ?? []).map((e) => gateDetail(e.detail)) };
  return { detail: messageOf(err) || 'Not done.', errors: [] };
}

export function RefusalAlert({ refusal }: { refusal: Refusal }) {
  return (
    <div className="offer-refusal" role="alert">
      <p>
        <strong>Not allowed:</strong> {refusal.detail}
      </p>
      {refusal.errors.length > 0 && (
        <ul>
          {refusal.errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

const OPEN: ReadonlyArray<Offer['status']> = ['presented', 'awaiting_extra_care'];

/**
 * The offers panel beside a conversation (GET /api/v1/customers/:id/offers): what may be offered to
 * this customer with its value to them, and what may not and why. Presenting runs the gates again on
 * the server; the offers made in this conversation follow, with the customer's answer.
 */
export function OffersPanel({ customerId, conversationId }: { customerId: string; conversationId: string }) {
  const session = useSession();
  const canReview = ROLE_PERMISSIONS[session.agent.role].includes('offers:review');
  const [need, setNeed] = useState('');
  const [needs, setNeeds] = useState<string[]>([]);
  const [offers, setOffers] = useState<CustomerOffers | null>(null);
  const [made, setMade] = useState<Offer[]>([]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  /** The last refusal, by product (presenting) or by offer (answering). */
  const [refusals, setRefusals] = useState<Record<string, Refusal>>({});
  const [said, setSaid] = useState('');
  const selectId = useId();

  const load = useCallback(
    async (signal?: AbortSignal) => {
      const enc = encodeURIComponent(customerId);
      const q = new URLSearchParams({ conversationId });
      if (need) q.set('statedNeed', need);
      const opts = signal ? { signal } : {};
      try {
        const [eligibility, list] = await Promise.all([
          api(CustomerOffersSchema, `/api/v1/customers/${enc}/offers?${q}`, opts),
          api(OfferList, `/api/v1/offers?customerId=${enc}&limit=100`, opts),
        ]);
        setOffers(eligibility);
        // The select keeps every need it has seen, so choosing one never removes the others.
        setNeeds((before) => [...new Set([...before, ...needsOf(eligibility)])]);
        setMade(list.data.filter((o) => o.conversationId === conversationId));
        setError('');
      } catch (err) {
        const message = messageOf(err);
        if (message) setError(message);
      }
    },
    [customerId, conversationId, need],
  );

  useEffect(() => {
    const ctl = new AbortController();
    void load(ctl.signal);
    return () => ctl.abort();
  }, [load]);

  const act = async (key: string, path: string, body: unknown, done: (o: Offer) => string) => {
    setBusy(true);
    setSaid('');
    setRefusals(({ [key]: _, ...rest }) => rest);
    try {
      const offer = await api(OfferSchema, path, { method: 'POST', ...(body === undefined ? {} : { body }) });
      setSaid(done(offer));
      await load();
    } catch (err) {
      setRefusals((r) => ({ ...r, [key]: refusalOf(err) }));
    } finally {
      setBusy(false);
    }
  };

  const present = (p: Eligible) =>
    act(p.productId, '/api/v1/offers', { customerId, productId: p.productId, conversationId, ...(need ? { statedNeed: need } : {}) }, (o) => `${o.productName}: ${STATUS_WORDS[o.status].toLowerCase()}.`);
  const answer = (o: Offer, path: string, words: string) => act(o.id, `/api/v1/offers/${encodeURIComponent(o.id)}/${path}`, undefined, (x) => `${x.productName}: ${words}.`);

  const open = new Map(made.filter((o) => OPEN.includes(o.status)).map((o) => [o.productId, o]));

  return (
    <section className="offers-panel" aria-labelledby="offers-title">
      <h2 id="offers-title">Offers</h2>
      <label htmlFor={selectId}>Need the customer stated</label>
      <select id={selectId} value={need} onChange={(e) => setNeed(e.target.value)}>
        <option value="">none stated</option>
        {needs.map((n) => (
          <option key={n} value={n}>
            {needWords(n)}
          </option>
        ))}
      </select>
      <p className="hint offers-hint">Only what the customer said they need. An offer they did not ask for is refused.</p>
      <p role="status" className="offers-said">
        {said}
      </p>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : !offers ? (
        <p role="status">Loading…</p>
      ) : (
        <>
          <h3>Suitable ({offers.eligible.length})</h3>
          {offers.eligible.length === 0 ? (
            <p className="muted">{need ? 'Nothing is suitable for this customer with that need.' : 'Nothing is suitable without a need the customer stated.'}</p>
          ) : (
            <ul className="offer-list" aria-label="Suitable offers">
              {offers.eligible.map((p) => {
                const current = open.get(p.productId);
                return (
                  <li key={p.productId} className="offer-card">
                    <h4>
                      {p.productName} {p.extraCare && <span className="badge warn">Extra care</span>}
                    </h4>
                    <p className="offer-value">
                      Worth <strong>{formatMoney(p.value, p.currency)}</strong> a year to the customer
                    </p>
                    <p className="muted">{robustnessWords(p.robustness)}</p>
                    {p.extraCare && <p className="muted">Customer flagged as needing extra care: a lead reviews the offer, the key facts are read with them, and the decision waits 24 hours.</p>}
                    <details>
                      <summary>How the value is worked out ({p.terms.length} terms)</summary>
                      <ul className="terms">
                        {p.terms.map((t, i) => (
                          <li key={i}>{termLine(t, p.currency)}</li>
                        ))}
                      </ul>
                    </details>
                    <details>
                      <summary>Key-facts card</summary>
                      <p className="key-facts">{p.keyFacts}</p>
                    </details>
                    {current ? (
                      <p className="muted">Presented in this conversation: {STATUS_WORDS[current.status].toLowerCase()} (below).</p>
                    ) : (
                      <button type="button" className="primary" disabled={busy} onClick={() => present(p)} aria-label={`Present offer: ${p.productName}`}>
                        Present offer
                      </button>
                    )}
                    {refusals[p.productId] && <RefusalAlert refusal={refusals[p.productId]!} />}
                  </li>
                );
              })}
            </ul>
          )}
          {made.length > 0 && (
            <>
              <h3>Offers in this conversation ({made.length})</h3>
              <ul className="offer-list" aria-label="Offers in this conversation">
                {made.map((o) => (
                  <MadeOffer key={o.id} offer={o} busy={busy} canReview={canReview} refusal={refusals[o.id]} answer={answer} />
                ))}
              </ul>
            </>
          )}
          <details className="offers-blocked">
            <summary>Not suitable ({offers.blocked.length})</summary>
            {offers.blocked.length === 0 ? (
              <p className="muted">Every product is suitable.</p>
            ) : (
              <ul className="offer-list" aria-label="Not suitable">
                {offers.blocked.map((b) => (
                  <li key={b.productId} className="offer-card blocked">
                    <h4>{b.productName}</h4>
                    <ul className="gate-reasons">
                      {reasonsByGate(b).map((g) => (
                        <li key={g.gate}>
                          <strong>{GATE_SHORT[g.gate]}</strong>: {g.reasons.join('; ')}
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            )}
          </details>
        </>
      )}
    </section>
  );
}

function MadeOffer({
  offer: o,
  busy,
  canReview,
  refusal,
  answer,
}: {
  offer: Offer;
  busy: boolean;
  canReview: boolean;
  refusal: Refusal | undefined;
  answer: (o: Offer, path: string, words: string) => Promise<void>;
}) {
  const care = o.extraCare;
  return (
    <li className="offer-card">
      <h4>{o.productName}</h4>
      <p>
        Status: <strong className="offer-status">{STATUS_WORDS[o.status]}</strong>
        {o.statedNeed ? ` — need stated: ${needWords(o.statedNeed)}` : ''}
      </p>
      {o.value && (
        <p className="muted">
          Worth {formatMoney(o.value.yearlyMinor, o.value.currency)} a year to the customer; presented {formatDateTime(o.presentedAt)}
          {o.decidedAt ? `, answered ${formatDateTime(o.decidedAt)}` : ''}
        </p>
      )}
      {o.status === 'awaiting_extra_care' && (
        <ol className="care-steps" aria-label={`Extra-care steps: ${o.productName}`}>
          <li>
            {care.keyFactsReadAt ? (
              `Key facts read with the customer (${formatDateTime(care.keyFactsReadAt)})`
            ) : (
              <>
                Key facts not yet read with the customer.{' '}
                <button type="button" disabled={busy} onClick={() => answer(o, 'key-facts-read', 'key facts recorded as read')}>
                  Key facts read
                </button>
              </>
            )}
          </li>
          <li>
            {care.leadReviewedAt ? (
              `Reviewed by a lead (${formatDateTime(care.leadReviewedAt)})`
            ) : (
              <>
                Lead review pending.
                {canReview && (
                  <>
                    {' '}
                    <button type="button" disabled={busy} onClick={() => answer(o, 'review', 'reviewed by a lead')}>
                      Review as lead
                    </button>
                  </>
                )}
              </>
            )}
          </li>
          <li>{care.decisionNotBefore ? `Decision not before ${formatDateTime(care.decisionNotBefore)}` : 'The decision waits 24 hours after the offer.'}</li>
        </ol>
      )}
      {OPEN.includes(o.status) && (
        <div className="offer-actions">
          <button type="button" disabled={busy} onClick={() => answer(o, 'accept', 'accepted')}>
            Customer accepts
          </button>
          <button type="button" disabled={busy} onClick={() => answer(o, 'decline', 'declined')}>
            Customer declines
          </button>
        </div>
      )}
      {refusal && <RefusalAlert refusal={refusal} />}
    </li>
  );
}
