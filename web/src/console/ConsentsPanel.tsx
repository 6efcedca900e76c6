import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { AgentList } from '../../../src/contracts/agents.ts';
import { Consent as ConsentSchema, ConsentList, CreditCheck as CreditCheckSchema, type ConsentCreate, type CreditCheck } from '../../../src/contracts/consents.ts';
import type { Conversation } from '../../../src/contracts/conversations.ts';
import { api, ApiError, messageOf } from '../api.ts';
import { formatDateTime } from '../format.ts';
import {
  CONSENT_PURPOSES,
  creditResultWords,
  hardCheckBlocked,
  liveWords,
  PURPOSE_HINT,
  PURPOSE_WORDS,
  RECORD_WORDS,
  recordedByWords,
  screenEvidenceWords,
  type ConsentPurpose,
} from '../consents/words.ts';
import '../consents/consents.css';

/** A refused call as the API said it: its detail and each field's pointer and detail. */
interface Problem {
  detail: string;
  fields: Array<{ pointer: string; detail: string }>;
}

function problemOf(err: unknown): Problem {
  if (err instanceof ApiError && err.problem)
    return { detail: err.problem.detail, fields: (err.problem.errors ?? []).map((e) => ({ pointer: e.pointer ?? e.parameter ?? '', detail: e.detail })) };
  return { detail: messageOf(err) || 'Not done.', fields: [] };
}

/** The form's field each JSON pointer of a 422 names. */
const FIELD_LABEL: Record<string, string> = {
  '/purpose': 'Purpose',
  '/status': 'Answer',
  '/scope': 'What it covers',
  '/evidence/messageId': 'The customer’s message',
  '/evidence': 'The customer’s message',
  '/expiresAt': 'Expires',
};

function ProblemAlert({ problem, lead = 'Not recorded' }: { problem: Problem; lead?: string }) {
  return (
    <div className="consent-problem" role="alert">
      <p>
        <strong>{lead}:</strong> {problem.detail}
      </p>
      {problem.fields.length > 0 && (
        <ul>
          {problem.fields.map((f, i) => (
            <li key={i}>
              <strong>{FIELD_LABEL[f.pointer] ?? f.pointer}</strong>: {f.detail}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

type Message = Conversation['messages'][number];

const snippet = (text: string) => (text.length > 70 ? `${text.slice(0, 70)}…` : text);

/**
 * The consents panel beside a conversation: where each purpose stands, the history, recording the
 * customer's answer (resting on one of their messages here), and credit checks — the estimate (no
 * consent, no footprint) first; the hard check only on a live consent.
 */
export function ConsentsPanel({ customerId, messages }: { customerId: string; messages: readonly Message[] }) {
  const [ledger, setLedger] = useState<ConsentList | null>(null);
  const [agents, setAgents] = useState<ReadonlyMap<string, string>>(new Map());
  const [error, setError] = useState('');
  const enc = encodeURIComponent(customerId);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setLedger(await api(ConsentList, `/api/v1/customers/${enc}/consents`, signal ? { signal } : {}));
        setError('');
      } catch (err) {
        const message = messageOf(err);
        if (message) setError(message);
      }
    },
    [enc],
  );

  useEffect(() => {
    const ctl = new AbortController();
    void load(ctl.signal);
    // Names for "recorded by"; without them the panel says "an agent".
    api(AgentList, '/api/v1/agents?limit=200', { signal: ctl.signal })
      .then((list) => setAgents(new Map(list.data.map((a) => [a.id, a.name]))))
      .catch(() => undefined);
    return () => ctl.abort();
  }, [load]);

  return (
    <section className="consents-panel" aria-labelledby="consents-title">
      <h2 id="consents-title">Consents</h2>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : !ledger ? (
        <p role="status">Loading…</p>
      ) : (
        <>
          <ul className="consent-live" aria-label="Where each consent stands">
            {CONSENT_PURPOSES.map((p) => {
              const live = ledger.live[p];
              return (
                <li key={p} className={`consent-state ${live.status}`}>
                  <span className="consent-purpose">{PURPOSE_WORDS[p]}</span>
                  <span className="consent-status">{liveWords(live)}</span>
                </li>
              );
            })}
          </ul>
          <details className="consent-history">
            <summary>History ({ledger.data.length})</summary>
            {ledger.data.length === 0 ? (
              <p className="muted">Nothing recorded yet.</p>
            ) : (
              <ol className="consent-records" aria-label="Consent history, newest first">
                {ledger.data.map((c) => {
                  const here = c.evidence.messageId ? messages.find((m) => m.id === c.evidence.messageId) : undefined;
                  return (
                    <li key={c.id} className="consent-record">
                      <p>
                        <strong>
                          {PURPOSE_WORDS[c.purpose]}: {RECORD_WORDS[c.status].toLowerCase()}
                        </strong>
                        {c.live ? <span className="badge">In force</span> : null}
                      </p>
                      <p className="muted">
                        {formatDateTime(c.at)} by {recordedByWords(c.recordedBy, agents)}
                        {c.expiresAt ? `; until ${formatDateTime(c.expiresAt)}` : ''}
                      </p>
                      <p>Scope: {c.scope}</p>
                      <p>
                        Evidence:{' '}
                        {here ? (
                          <a href={`#message-${here.id}`}>the customer’s message “{snippet(here.text)}”</a>
                        ) : c.evidence.messageId ? (
                          'a message of the customer in another conversation'
                        ) : (
                          screenEvidenceWords(c.evidence)
                        )}
                      </p>
                    </li>
                  );
                })}
              </ol>
            )}
          </details>
          <RecordForm customerId={customerId} messages={messages} onDone={() => load()} />
          <CreditChecks customerId={customerId} ledger={ledger} onDone={() => load()} />
        </>
      )}
    </section>
  );
}

/** "Record the customer's answer": purpose, answer, scope, the message it rests on, optional expiry. */
function RecordForm({ customerId, messages, onDone }: { customerId: string; messages: readonly Message[]; onDone: () => Promise<void> }) {
  const ids = useId();
  const customerMessages = messages.filter((m) => m.role === 'customer' && m.visibility === 'public');
  const [purpose, setPurpose] = useState<ConsentPurpose>('hard_credit_inquiry');
  const [status, setStatus] = useState<'granted' | 'refused' | 'withdrawn'>('granted');
  const [scope, setScope] = useState('');
  const [messageId, setMessageId] = useState('');
  const [expires, setExpires] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [said, setSaid] = useState('');
  const [busy, setBusy] = useState(false);

  const fieldError = (...pointers: string[]) =>
    problem?.fields
      .filter((f) => pointers.includes(f.pointer))
      .map((f) => f.detail)
      .join('; ') ?? '';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setSaid('');
    setProblem(null);
    const body: ConsentCreate = {
      purpose,
      status,
      scope: scope.trim(),
      evidence: { messageId },
      // The day chosen is the last day it holds: it ends at the start of the next day (UTC).
      ...(status === 'granted' && expires ? { expiresAt: new Date(Date.parse(`${expires}T00:00:00Z`) + 86_400_000).toISOString() } : {}),
    };
    try {
      const made = await api(ConsentSchema, `/api/v1/customers/${encodeURIComponent(customerId)}/consents`, {
        method: 'POST',
        body,
      });
      setSaid(`Recorded: ${PURPOSE_WORDS[made.purpose]} ${RECORD_WORDS[made.status].toLowerCase()}.`);
      setScope('');
      setExpires('');
      await onDone();
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };

  const field = (name: string, ...pointers: string[]) => {
    const message = fieldError(...pointers);
    return {
      id: `${ids}-${name}`,
      'aria-invalid': message ? true : undefined,
      'aria-describedby': message ? `${ids}-${name}-error` : undefined,
      message: message ? (
        <span id={`${ids}-${name}-error`} className="field-error">
          {message}
        </span>
      ) : null,
    };
  };
  const fPurpose = field('purpose', '/purpose');
  const fScope = field('scope', '/scope');
  const fMessage = field('message', '/evidence/messageId', '/evidence');
  const fExpires = field('expires', '/expiresAt');

  return (
    <form className="consent-form" onSubmit={submit} aria-labelledby={`${ids}-title`} noValidate>
      <h3 id={`${ids}-title`}>Record the customer’s answer</h3>
      <label htmlFor={fPurpose.id}>Purpose</label>
      <select id={fPurpose.id} value={purpose} onChange={(e) => setPurpose(e.target.value as ConsentPurpose)} aria-invalid={fPurpose['aria-invalid']} aria-describedby={fPurpose['aria-describedby']}>
        {CONSENT_PURPOSES.map((p) => (
          <option key={p} value={p}>
            {PURPOSE_WORDS[p]}
          </option>
        ))}
      </select>
      <p className="hint">{PURPOSE_HINT[purpose]}</p>
      {fPurpose.message}
      <fieldset>
        <legend>Answer</legend>
        {(['granted', 'refused', 'withdrawn'] as const).map((s) => (
          <label key={s} className="inline">
            <input type="radio" name={`${ids}-status`} value={s} checked={status === s} onChange={() => setStatus(s)} /> {RECORD_WORDS[s]}
          </label>
        ))}
      </fieldset>
      <label htmlFor={fScope.id}>What it covers</label>
      <input id={fScope.id} type="text" value={scope} onChange={(e) => setScope(e.target.value)} placeholder="one hard inquiry for the card application" aria-invalid={fScope['aria-invalid']} aria-describedby={fScope['aria-describedby']} />
      {fScope.message}
      <label htmlFor={fMessage.id}>The customer’s message it rests on</label>
      <select id={fMessage.id} value={messageId} onChange={(e) => setMessageId(e.target.value)} aria-invalid={fMessage['aria-invalid']} aria-describedby={fMessage['aria-describedby']}>
        <option value="">Choose a message</option>
        {customerMessages.map((m) => (
          <option key={m.id} value={m.id}>
            {formatDateTime(m.createdAt)}: {snippet(m.text)}
          </option>
        ))}
      </select>
      {customerMessages.length === 0 && <p className="hint">The customer has written nothing in this conversation yet.</p>}
      {fMessage.message}
      {status === 'granted' && (
        <>
          <label htmlFor={fExpires.id}>Last day it holds (optional)</label>
          <input id={fExpires.id} type="date" value={expires} onChange={(e) => setExpires(e.target.value)} aria-invalid={fExpires['aria-invalid']} aria-describedby={fExpires['aria-describedby']} />
          <p className="hint">A hard credit check consent holds at most 30 days (30 days when left empty).</p>
          {fExpires.message}
        </>
      )}
      <button type="submit" className="primary" disabled={busy}>
        Record answer
      </button>
      <p role="status" className="consent-said">
        {said}
      </p>
      {problem && <ProblemAlert problem={problem} />}
    </form>
  );
}

/** Credit checks: the estimate is always there; the hard check only with a live consent for it. */
function CreditChecks({ customerId, ledger, onDone }: { customerId: string; ledger: ConsentList; onDone: () => Promise<void> }) {
  const ids = useId();
  const [reason, setReason] = useState('');
  const [result, setResult] = useState<CreditCheck | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const blocked = hardCheckBlocked(ledger.live.hard_credit_inquiry);

  const run = async (kind: 'estimate' | 'hard') => {
    setProblem(null);
    setResult(null);
    if (!reason.trim()) return setProblem({ detail: 'Say why the check is made.', fields: [{ pointer: '/reason', detail: 'must not be empty' }] });
    setBusy(true);
    try {
      setResult(
        await api(CreditCheckSchema, `/api/v1/customers/${encodeURIComponent(customerId)}/credit-checks`, {
          method: 'POST',
          body: { kind, reason: reason.trim() },
          }),
      );
      if (kind === 'hard') await onDone();
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="credit-checks" role="group" aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`}>Credit check</h3>
      <label htmlFor={`${ids}-reason`}>Why (for example: rate for the card application)</label>
      <input id={`${ids}-reason`} type="text" value={reason} onChange={(e) => setReason(e.target.value)} />
      <div className="credit-actions">
        <button type="button" className="primary" disabled={busy} onClick={() => run('estimate')}>
          Estimate (no consent needed, no footprint)
        </button>
        <button type="button" disabled={busy || blocked !== null} onClick={() => run('hard')} aria-describedby={blocked ? `${ids}-blocked` : undefined}>
          Hard check
        </button>
      </div>
      {blocked ? (
        <p id={`${ids}-blocked`} className="hint">
          {blocked}
        </p>
      ) : (
        <p className="hint">A hard check shows on the customer’s credit file and uses their consent.</p>
      )}
      <div role="status" className="credit-result">
        {result?.result && (
          <>
            <p>
              <strong>{creditResultWords(result.result)}</strong> {result.result.statement}
            </p>
            {result.result.factsUsed.length > 0 && (
              <ul aria-label="Facts used">
                {result.result.factsUsed.map((f) => (
                  <li key={f.fact}>{f.value}</li>
                ))}
              </ul>
            )}
          </>
        )}
        {result && !result.result && <p>Check {result.status}.</p>}
      </div>
      {problem && <ProblemAlert problem={problem} lead="Not done" />}
    </div>
  );
}
