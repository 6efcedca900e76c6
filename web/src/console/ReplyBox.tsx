import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Message, MessageCreate, ReplyCheckResult } from '../../../src/contracts/conversations.ts';
import type { z } from 'zod';
import { api, messageOf } from '../api.ts';
import { findingTitle } from './listening.ts';
import { useSession } from './session.tsx';

type Warning = z.infer<typeof ReplyCheckResult>['findings'][number];

/** How long typing must pause before the draft is checked (check-reply answers in a few ms). */
export const CHECK_DELAY_MS = 350;

/**
 * The reply box. As the agent types, the draft is checked (debounced) against the conversation: a
 * reply that would push after a refusal or ask for something sensitive without consent is named
 * before it is sent, with the customer's words it would go against. The agent still decides.
 */
export function ReplyBox({ conversationId, onSent }: { conversationId: string; onSent: () => Promise<void> | void }) {
  const session = useSession();
  const [text, setText] = useState('');
  const [internal, setInternal] = useState(false);
  const [warnings, setWarnings] = useState<Warning[]>([]);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  /** One key per draft: a double click or a retry stores the reply once. */
  const key = useRef(crypto.randomUUID());

  useEffect(() => {
    if (internal || text.trim().length < 3) {
      setWarnings([]);
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      setChecking(true);
      api(ReplyCheckResult, `/api/v1/conversations/${conversationId}/check-reply`, { method: 'POST', body: { text }, signal: ctl.signal })
        .then((r) => setWarnings(r.findings))
        .catch(() => undefined) // a failed check never blocks writing; the next keystroke tries again
        .finally(() => setChecking(false));
    }, CHECK_DELAY_MS);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [text, internal, conversationId]);

  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    setError('');
    try {
      const body = MessageCreate.parse({ role: 'agent', author: session.agent.id, text, visibility: internal ? 'internal' : 'public' });
      await api(Message, `/api/v1/conversations/${conversationId}/messages`, { method: 'POST', body, headers: { 'Idempotency-Key': key.current } });
      key.current = crypto.randomUUID();
      setText('');
      setWarnings([]);
      await onSent();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="reply" onSubmit={send} aria-labelledby="reply-title">
      <h2 id="reply-title">Reply</h2>
      <label htmlFor="reply-text">{internal ? 'Internal note (the customer does not see it)' : 'Your reply to the customer'}</label>
      <textarea id="reply-text" name="text" rows={5} value={text} onChange={(e) => setText(e.target.value)} aria-describedby="reply-check" />
      <div id="reply-check" role="status" aria-live="polite" className="reply-check" aria-busy={checking}>
        {warnings.length > 0 ? (
          <div className="warning">
            <strong>Before you send this:</strong>
            <ul>
              {warnings.map((w, i) => (
                <li key={i}>
                  <strong>{findingTitle(w.type)}.</strong> {w.evidence}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
      <div className="row">
        <label className="inline">
          <input type="checkbox" checked={internal} onChange={(e) => setInternal(e.target.checked)} /> Internal note
        </label>
        <button type="submit" className="primary" disabled={busy || !text.trim()}>
          {busy ? 'Sending…' : internal ? 'Add note' : 'Send reply'}
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}
