import { useCallback, useEffect, useState } from 'react';
import { Consent as ConsentSchema, PortalConsentList, type PortalConsentList as List } from '../../../src/contracts/consents.ts';
import { api, isStatus, messageOf } from '../api.ts';
import { formatDate } from '../format.ts';
import { PageHeading } from '../router.tsx';
import { liveWordsForCustomer, PURPOSE_HINT, PURPOSE_WORDS, purposesWithRecords, RECORD_WORDS, recordedByWords, type ConsentPurpose } from '../consents/words.ts';
import { portalApi } from './PortalFrame.tsx';
import '../consents/consents.css';

/**
 * My consents: what the customer agreed to or refused, where each stands, and "Withdraw" for each one
 * in force — confirmed on the same screen, with the exact text the withdrawal records.
 */
export function ConsentsPage({ slug }: { slug: string }) {
  const [list, setList] = useState<List | null>(null);
  const [error, setError] = useState('');
  const [asking, setAsking] = useState<ConsentPurpose | null>(null);
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState('');

  const load = useCallback(async () => {
    try {
      setList(await api(PortalConsentList, portalApi(slug, '/consents')));
      setError('');
    } catch (err) {
      setError(messageOf(err));
    }
  }, [slug]);

  useEffect(() => {
    void load();
  }, [load]);

  const withdraw = async (purpose: ConsentPurpose) => {
    setBusy(true);
    setSaid('');
    try {
      await api(ConsentSchema, portalApi(slug, `/consents/${purpose}/withdraw`), { method: 'POST' });
      setSaid(`Withdrawn: ${PURPOSE_WORDS[purpose]}. We have recorded it.`);
    } catch (err) {
      // 409: it was no longer in force (withdrawn elsewhere, or expired); the list below says how it stands.
      setSaid(isStatus(err, 409) ? `${PURPOSE_WORDS[purpose]} was no longer in force; nothing more to withdraw.` : messageOf(err));
    } finally {
      setAsking(null);
      setBusy(false);
      await load();
    }
  };

  const purposes = list ? purposesWithRecords(list) : [];
  return (
    <>
      <PageHeading title="My consents · Customer portal">My consents</PageHeading>
      <p>What you agreed to or refused, and where it stands now. You can withdraw any consent that is in force.</p>
      <p role="status" className="consent-said">
        {said}
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!list && !error && <p role="status">Loading…</p>}
      {list && purposes.length === 0 && <p>You have not given or refused any consent.</p>}
      {list && purposes.length > 0 && (
        <ul className="consent-cards">
          {purposes.map((p) => {
            const live = list.live[p];
            const records = list.data.filter((c) => c.purpose === p);
            const current = records.find((c) => c.id === live.consentId) ?? records[0]!;
            const inForce = live.status === 'granted';
            return (
              <li key={p} className={`consent-card ${live.status}`}>
                <h2>{PURPOSE_WORDS[p]}</h2>
                <p className="muted">{PURPOSE_HINT[p].charAt(0).toUpperCase() + PURPOSE_HINT[p].slice(1)}.</p>
                <p>
                  <strong>{liveWordsForCustomer(live)}</strong>
                </p>
                <p>What it covers: {current.scope}</p>
                {inForce &&
                  (asking === p ? (
                    <div className="consent-confirm" role="group" aria-label={`Withdraw: ${PURPOSE_WORDS[p]}`}>
                      <p>{list.withdrawal.texts[p]}</p>
                      <div className="credit-actions">
                        <button type="button" className="primary" disabled={busy} onClick={() => withdraw(p)}>
                          Yes, withdraw
                        </button>
                        <button type="button" className="secondary" disabled={busy} onClick={() => setAsking(null)}>
                          Keep it
                        </button>
                      </div>
                    </div>
                  ) : (
                    <button type="button" className="secondary" onClick={() => setAsking(p)} aria-label={`Withdraw: ${PURPOSE_WORDS[p]}`}>
                      Withdraw
                    </button>
                  ))}
                <details>
                  <summary>History ({records.length})</summary>
                  <ol className="consent-records">
                    {records.map((c) => (
                      <li key={c.id} className="consent-record">
                        {RECORD_WORDS[c.status]} on {formatDate(c.at)} by {recordedByWords(c.recordedBy)}
                        {c.expiresAt ? `, until ${formatDate(c.expiresAt)}` : ''}
                      </li>
                    ))}
                  </ol>
                </details>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
