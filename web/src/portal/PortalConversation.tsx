import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { PortalConversation, PortalMessage, PortalReply, type PortalConversation as Conv } from '../../../src/contracts/portal.ts';
import { api, messageOf } from '../api.ts';
import { formatDateTime, humanize } from '../format.ts';
import { Link, PageHeading } from '../router.tsx';
import { portalApi, portalPath } from './PortalFrame.tsx';

/** One of the customer's requests: what was said, and a form to answer. */
export function PortalConversationPage({ slug, id }: { slug: string; id: string }) {
  const [conversation, setConversation] = useState<Conv | null>(null);
  const [error, setError] = useState('');
  const [text, setText] = useState('');
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    (signal?: AbortSignal) =>
      api(PortalConversation, portalApi(slug, `/conversations/${encodeURIComponent(id)}`), signal ? { signal } : {})
        .then(setConversation)
        .catch((err: unknown) => {
          const m = messageOf(err);
          if (m) setError(m);
        }),
    [slug, id],
  );
  useEffect(() => {
    const ctl = new AbortController();
    void load(ctl.signal);
    return () => ctl.abort();
  }, [load]);

  const answer = async (e: FormEvent) => {
    e.preventDefault();
    const body = PortalReply.safeParse({ text });
    if (!body.success) return setFormError('Write your answer first.');
    setBusy(true);
    setFormError('');
    try {
      await api(PortalMessage, portalApi(slug, `/conversations/${encodeURIComponent(id)}/messages`), { method: 'POST', body: body.data });
      setText('');
      await load();
    } catch (err) {
      setFormError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  if (error)
    return (
      <>
        <PageHeading title="Request · Customer portal">Request</PageHeading>
        <p role="alert" className="error">
          {error}
        </p>
        <Link to={portalPath(slug)}>Back to my requests</Link>
      </>
    );
  if (!conversation) return <p role="status">Loading…</p>;
  return (
    <>
      <Link to={portalPath(slug)} className="back">
        ← My requests
      </Link>
      <PageHeading title={`${conversation.subject} · Customer portal`}>{conversation.subject}</PageHeading>
      <p className="meta">
        <span className="badge">{humanize(conversation.status)}</span>
        <span>Started {formatDateTime(conversation.createdAt)}</span>
      </p>
      <ol className="messages">
        {(conversation.messages ?? []).map((m) => (
          <li key={m.id} className={`message ${m.from === 'you' ? 'customer' : 'agent'}`}>
            <div className="message-head">
              <strong>{m.from === 'you' ? 'You' : 'Us'}</strong>
              <time dateTime={m.createdAt} className="muted">
                {formatDateTime(m.createdAt)}
              </time>
            </div>
            <p className="message-text">{m.text}</p>
          </li>
        ))}
      </ol>
      <form onSubmit={answer} className="stack" noValidate>
        <label>
          Your answer
          <textarea name="text" rows={4} value={text} onChange={(e) => setText(e.target.value)} required />
        </label>
        {formError && (
          <p role="alert" className="error">
            {formError}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Sending…' : 'Send answer'}
        </button>
      </form>
    </>
  );
}
