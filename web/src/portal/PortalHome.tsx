import { useEffect, useState, type FormEvent } from 'react';
import { PortalConversation, PortalConversationCreate, PortalConversationList, type PortalConversation as Conv, type PortalMe } from '../../../src/contracts/portal.ts';
import { api, messageOf } from '../api.ts';
import { formatDateTime, humanize } from '../format.ts';
import { Link, navigate, PageHeading } from '../router.tsx';
import { portalApi, portalPath } from './PortalFrame.tsx';

/** The signed-in customer's requests, and a form to start a new one. */
export function PortalHome({ slug, me }: { slug: string; me: PortalMe | null }) {
  const [rows, setRows] = useState<Conv[] | null>(null);
  const [error, setError] = useState('');
  const [subject, setSubject] = useState('');
  const [text, setText] = useState('');
  const [formError, setFormError] = useState('');

  useEffect(() => {
    const ctl = new AbortController();
    api(PortalConversationList, portalApi(slug, '/conversations'), { signal: ctl.signal })
      .then((r) => setRows(r.data))
      .catch((err: unknown) => setError(messageOf(err)));
    return () => ctl.abort();
  }, [slug]);

  const start = async (e: FormEvent) => {
    e.preventDefault();
    setFormError('');
    const body = PortalConversationCreate.safeParse({ subject, text });
    if (!body.success) return setFormError('Write a subject and your message.');
    try {
      const created = await api(PortalConversation, portalApi(slug, '/conversations'), { method: 'POST', body: body.data });
      navigate(portalPath(slug, `/conversations/${created.id}`));
    } catch (err) {
      setFormError(messageOf(err));
    }
  };

  return (
    <>
      <PageHeading title="My requests · Customer portal">{me ? `Hello, ${me.name}` : 'My requests'}</PageHeading>
      <section aria-labelledby="requests-title">
        <h2 id="requests-title">My requests</h2>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {rows === null && !error && <p role="status">Loading…</p>}
        {rows && rows.length === 0 && <p>You have no requests yet.</p>}
        {rows && rows.length > 0 && (
          <ul className="inbox">
            {rows.map((c) => (
              <li key={c.id}>
                <Link to={portalPath(slug, `/conversations/${c.id}`)} className="subject">
                  {c.subject}
                </Link>
                <div className="meta">
                  <span className="badge">{humanize(c.status)}</span>
                  <span>Started {formatDateTime(c.createdAt)}</span>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="start-title">
        <h2 id="start-title">Start a request</h2>
        <form onSubmit={start} className="stack" noValidate>
          <label>
            Subject
            <input name="subject" value={subject} onChange={(e) => setSubject(e.target.value)} maxLength={500} required />
          </label>
          <label>
            Your message
            <textarea name="text" rows={5} value={text} onChange={(e) => setText(e.target.value)} required />
          </label>
          {formError && (
            <p role="alert" className="error">
              {formError}
            </p>
          )}
          <button type="submit" className="primary">
            Send request
          </button>
        </form>
      </section>
    </>
  );
}
