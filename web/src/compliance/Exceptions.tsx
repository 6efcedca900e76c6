import { useEffect, useRef, useState, type FormEvent } from 'react';
import { AgentList } from '../../../src/contracts/agents.ts';
import { ExceptionList, type CharterException } from '../../../src/contracts/exceptions.ts';
import { api, messageOf } from '../api.ts';
import { formatDateTime } from '../format.ts';
import { Link, navigate, PageHeading, useLocation, useQuery } from '../router.tsx';
import './compliance.css';

const PAGE = 50;

/**
 * Exceptions to the charter (GET /api/v1/exceptions), newest first: what the customer gets, why,
 * who granted and who approved it, until when; each links to its customer and its audit entries.
 * `?active=true|false` filters; `?focus=<id>` marks one (the audit log links here).
 */
export function ExceptionsPage() {
  const query = useQuery();
  const { pathname } = useLocation();
  const active = query.get('active') ?? '';
  const focus = query.get('focus') ?? '';
  const [agents, setAgents] = useState<Map<string, string>>(new Map());
  const [items, setItems] = useState<CharterException[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState('');
  const focused = useRef<HTMLLIElement>(null);

  useEffect(() => {
    const ctl = new AbortController();
    api(AgentList, '/api/v1/agents?limit=200', { signal: ctl.signal }).then((l) => setAgents(new Map(l.data.map((a) => [a.id, a.name]))), () => undefined);
    return () => ctl.abort();
  }, []);

  const pagePath = (after: string | null) => {
    const q = new URLSearchParams({ limit: String(PAGE) });
    if (active === 'true' || active === 'false') q.set('active', active);
    if (after) q.set('cursor', after);
    return `/api/v1/exceptions?${q}`;
  };

  useEffect(() => {
    const ctl = new AbortController();
    setItems(null);
    setError('');
    api(ExceptionList, pagePath(null), { signal: ctl.signal })
      .then((page) => {
        setItems(page.data);
        setCursor(page.nextCursor);
      })
      .catch((err: unknown) => {
        const m = messageOf(err);
        if (m) setError(m);
      });
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active]);

  useEffect(() => {
    if (items && focus) focused.current?.scrollIntoView({ block: 'center' });
  }, [items, focus]);

  const more = async () => {
    if (!cursor) return;
    try {
      const page = await api(ExceptionList, pagePath(cursor));
      setItems((i) => [...(i ?? []), ...page.data]);
      setCursor(page.nextCursor);
    } catch (err) {
      setError(messageOf(err));
    }
  };

  const apply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const v = String(new FormData(e.currentTarget).get('active') ?? '');
    navigate(`${pathname}${v ? `?active=${v}` : ''}`);
  };

  const agentName = (id: string) => agents.get(id) ?? `agent …${id.slice(-6)}`;
  const actorName = (actor: string) => (actor.startsWith('agent:') ? agentName(actor.slice(6)) : actor.startsWith('token:') ? `API token …${actor.slice(-6)}` : actor);

  return (
    <div className="compliance">
      <PageHeading title="Exceptions · Fairdesk">Exceptions</PageHeading>
      <p className="report-intro">
        Anything a customer gets beyond the published charter, newest first: what, why, who granted it, who approved it and until when. Each one links to its customer
        and to its entries in the audit log.
      </p>
      <form className="filters" onSubmit={apply} aria-label="Filter exceptions" key={active}>
        <label>
          Status
          <select name="active" defaultValue={active}>
            <option value="">all</option>
            <option value="true">in force</option>
            <option value="false">expired</option>
          </select>
        </label>
        <button type="submit">Show</button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!items ? (
        !error && <p role="status">Loading…</p>
      ) : items.length === 0 ? (
        <p role="status">No exception matches.</p>
      ) : (
        <>
          <p role="status" className="muted">
            {items.length} {items.length === 1 ? 'exception' : 'exceptions'} shown{cursor ? ', more to load' : ''}.
          </p>
          <ul className="exception-list" aria-label="Exceptions, newest first">
            {items.map((x) => (
              <li
                key={x.id}
                id={`exception-${x.id}`}
                ref={x.id === focus ? focused : undefined}
                className={`exception-item${x.active ? '' : ' expired'}${x.id === focus ? ' focused' : ''}`}
                aria-current={x.id === focus ? 'true' : undefined}
              >
                <h2>{x.what}</h2>
                <dl>
                  <dt>Status</dt>
                  <dd>{x.active ? 'In force' : 'Expired'}</dd>
                  <dt>Reason</dt>
                  <dd>{x.reason}</dd>
                  <dt>Approved by</dt>
                  <dd>{agentName(x.approverId)}</dd>
                  <dt>Granted by</dt>
                  <dd>
                    {actorName(x.createdBy)}, <time dateTime={x.createdAt}>{formatDateTime(x.createdAt)}</time>
                  </dd>
                  <dt>Expires</dt>
                  <dd>
                    <time dateTime={x.expiresAt}>{formatDateTime(x.expiresAt)}</time>
                  </dd>
                </dl>
                <p>
                  <Link to={`/customers/${x.customerId}`}>Open customer</Link> · <Link to={`/audit?entityId=${x.id}`}>Audit entries</Link>
                </p>
              </li>
            ))}
          </ul>
          {cursor && (
            <button type="button" onClick={more}>
              More
            </button>
          )}
        </>
      )}
    </div>
  );
}
