import { useEffect, useRef, useState } from 'react';
import { AgentList } from '../../../src/contracts/agents.ts';
import { ExceptionList } from '../../../src/contracts/exceptions.ts';
import { api } from '../api.ts';
import { formatDateTime } from '../format.ts';
import { Link, PageHeading, useQuery } from '../router.tsx';
import { FilterBar, PagedListView, useFilters } from '../lists/FilterBar.tsx';
import { usePagedList } from '../lists/usePagedList.ts';
import './compliance.css';

const PAGE = 50;
const FILTERS = ['active'] as const;

/**
 * Exceptions to the charter (GET /api/v1/exceptions), newest first: what the customer gets, why,
 * who granted and who approved it, until when; each links to its customer and its audit entries.
 * `?active=true|false` filters; `?focus=<id>` marks one (the audit log links here).
 */
export function ExceptionsPage() {
  const query = useQuery();
  const focus = query.get('focus') ?? '';
  const { filter, key } = useFilters(FILTERS);
  const [agents, setAgents] = useState<Map<string, string>>(new Map());
  const focused = useRef<HTMLLIElement>(null);

  useEffect(() => {
    const ctl = new AbortController();
    api(AgentList, '/api/v1/agents?limit=200', { signal: ctl.signal }).then((l) => setAgents(new Map(l.data.map((a) => [a.id, a.name]))), () => undefined);
    return () => ctl.abort();
  }, []);

  const list = usePagedList(
    ExceptionList,
    (after) => {
      const q = new URLSearchParams({ limit: String(PAGE) });
      if (filter.active === 'true' || filter.active === 'false') q.set('active', filter.active);
      if (after) q.set('cursor', after);
      return `/api/v1/exceptions?${q}`;
    },
    key,
  );

  useEffect(() => {
    if (list.items && focus) focused.current?.scrollIntoView({ block: 'center' });
  }, [list.items, focus]);

  const agentName = (id: string) => agents.get(id) ?? `agent …${id.slice(-6)}`;
  const actorName = (actor: string) => (actor.startsWith('agent:') ? agentName(actor.slice(6)) : actor.startsWith('token:') ? `API token …${actor.slice(-6)}` : actor);

  return (
    <div className="compliance">
      <PageHeading title="Exceptions · Fairdesk">Exceptions</PageHeading>
      <p className="report-intro">
        Anything a customer gets beyond the published charter, newest first: what, why, who granted it, who approved it and until when. Each one links to its customer
        and to its entries in the audit log.
      </p>
      <FilterBar names={FILTERS} label="Filter exceptions" filterKey={key}>
        <label>
          Status
          <select name="active" defaultValue={filter.active}>
            <option value="">all</option>
            <option value="true">in force</option>
            <option value="false">expired</option>
          </select>
        </label>
      </FilterBar>
      <PagedListView list={list} noun={['exception', 'exceptions']}>
        {(items) => (
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
        )}
      </PagedListView>
    </div>
  );
}
