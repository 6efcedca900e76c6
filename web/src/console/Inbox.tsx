import { useEffect, useState, type FormEvent } from 'react';
import { ConversationList, ConversationStatus, type ConversationSummary } from '../../../src/contracts/conversations.ts';
import { api, messageOf } from '../api.ts';
import { formatDateTime, humanize } from '../format.ts';
import { Link, navigate, PageHeading, useQuery } from '../router.tsx';

const STATUSES = ConversationStatus.options;

/** The SLA badge: what the clock says in three words at most (due, at risk, breached, met). */
export function SlaBadge({ sla }: { sla: ConversationSummary['sla'] }) {
  if (!sla) return <span className="badge">No SLA</span>;
  switch (sla.state) {
    case 'breached':
      return <span className="badge breached">Breached</span>;
    case 'at_risk':
      return <span className="badge at-risk">At risk</span>;
    case 'met':
      return <span className="badge met">Met</span>;
    case 'on_track':
      return (
        <span className="badge due">
          Due <time dateTime={sla.firstResponseDueAt}>{formatDateTime(sla.firstResponseDueAt)}</time>
        </span>
      );
  }
}

/**
 * The inbox: search and a status filter (kept in the address, so a reload or a shared link shows
 * the same list), conversations in the order the API returns them, each with its SLA badge.
 */
export function InboxPage() {
  const query = useQuery();
  const q = query.get('q') ?? '';
  const status = query.get('status') ?? '';
  const [draft, setDraft] = useState(q);
  const [rows, setRows] = useState<ConversationSummary[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState('');

  const url = (cursor?: string) => {
    const p = new URLSearchParams();
    if (q) p.set('q', q);
    if (status) p.set('status', status);
    p.set('limit', '50');
    if (cursor) p.set('cursor', cursor);
    return `/api/v1/conversations?${p}`;
  };

  useEffect(() => {
    const ctl = new AbortController();
    setRows(null);
    setError('');
    api(ConversationList, url(), { signal: ctl.signal })
      .then((page) => {
        setRows(page.data);
        setNext(page.nextCursor);
      })
      .catch((err: unknown) => setError(messageOf(err)));
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q, status]);

  const go = (changes: Record<string, string>) => {
    const p = new URLSearchParams({ ...(q ? { q } : {}), ...(status ? { status } : {}), ...changes });
    for (const [k, v] of [...p]) if (!v) p.delete(k);
    navigate(`/inbox${p.size ? `?${p}` : ''}`, { replace: true });
  };
  const search = (e: FormEvent) => {
    e.preventDefault();
    go({ q: draft.trim() });
  };
  const more = async () => {
    if (!next) return;
    try {
      const page = await api(ConversationList, url(next));
      setRows((r) => [...(r ?? []), ...page.data]);
      setNext(page.nextCursor);
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <>
      <PageHeading title="Inbox · Fairdesk">Inbox</PageHeading>
      <form role="search" className="filters" onSubmit={search}>
        <label>
          Search
          <input type="search" name="q" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="Subject or words in messages" />
        </label>
        <label>
          Status
          <select name="status" value={status} onChange={(e) => go({ status: e.target.value })}>
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Search</button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {rows === null && !error && <p role="status">Loading…</p>}
      {rows && (
        <>
          <p role="status" className="muted">
            {rows.length === 0 ? 'No conversations match.' : `${rows.length}${next ? '+' : ''} conversation${rows.length === 1 ? '' : 's'}`}
          </p>
          <ul className="inbox" aria-label="Conversations">
            {rows.map((c) => (
              <li key={c.id}>
                <Link to={`/inbox/${c.id}`} className="subject">
                  {c.subject}
                </Link>
                <div className="meta">
                  <SlaBadge sla={c.sla} />
                  <span className="badge">{humanize(c.status)}</span>
                  <span>{humanize(c.channel)}</span>
                  <span>{humanize(c.severity)}</span>
                  {c.listening && <span>Listening {Math.round(c.listening.listeningScore)}/100</span>}
                  {c.listening && c.listening.findings.length > 0 && (
                    <span className="badge warn">
                      {c.listening.findings.length} finding{c.listening.findings.length === 1 ? '' : 's'}
                    </span>
                  )}
                </div>
              </li>
            ))}
          </ul>
          {next && (
            <button type="button" onClick={more}>
              Show more
            </button>
          )}
        </>
      )}
    </>
  );
}
