import { useEffect, useState } from 'react';
import { AuditList, AuditVerification, type AuditEntry } from '../../../src/contracts/audit.ts';
import { api, messageOf } from '../api.ts';
import { formatDateTime } from '../format.ts';
import { Link, PageHeading } from '../router.tsx';
import { DateRangeFields, FilterBar, LinkedIdField, PagedListView, useFilters } from '../lists/FilterBar.tsx';
import { usePagedList } from '../lists/usePagedList.ts';
import { useAgentNames } from '../lists/agents.ts';
import { ACTION_FAMILIES, dayStart, ENTITY_TYPES, entityLink, entityTypeWords } from './words.ts';
import './compliance.css';

/** Entries per page ("More" loads the next). */
const PAGE = 50;
const FILTERS = ['action', 'entityType', 'entityId', 'actor', 'from', 'to'] as const;

/**
 * The audit log (GET /api/v1/audit), newest first, for compliance officers and admins: who did what
 * to which record, and the names of the fields changed (the log never holds values). Filters live in
 * the address (`?action=exception.&from=2026-11-01`); "More" follows the cursor. The chain's status
 * comes from GET /api/v1/audit/verify.
 */
export function AuditLogPage() {
  const { filter, key } = useFilters(FILTERS);
  // Keyed as the log names them: `agent:<id>`.
  const byId = useAgentNames();
  const agents = new Map([...byId].map(([id, name]) => [`agent:${id}`, name]));

  const list = usePagedList(
    AuditList,
    (after) => {
      const q = new URLSearchParams({ limit: String(PAGE) });
      if (filter.action) q.set('action', filter.action);
      if (filter.entityType) q.set('entityType', filter.entityType);
      if (filter.entityId) q.set('entityId', filter.entityId);
      if (filter.actor) q.set('actor', filter.actor);
      // Whole days in UTC, both included: the API's `to` is exclusive.
      const from = dayStart(filter.from);
      const to = dayStart(filter.to, 1);
      if (from) q.set('from', from);
      if (to) q.set('to', to);
      if (after) q.set('cursor', after);
      return `/api/v1/audit?${q}`;
    },
    key,
  );

  const who = (e: AuditEntry) => e.actorName ?? agents.get(e.actor) ?? actorWords(e.actor);
  const actorOptions = [...agents].concat(filter.actor && !agents.has(filter.actor) ? [[filter.actor, filter.actor]] : []);

  return (
    <div className="compliance">
      <PageHeading title="Audit log · Fairdesk">Audit log</PageHeading>
      <p className="report-intro">
        Every change, newest first: who made it, what it was, on which record, and the names of the fields it changed. The log holds no values, so it never holds
        personal data.
      </p>
      <ChainStatus />
      <FilterBar names={FILTERS} label="Filter the audit log" filterKey={key}>
        <label>
          What
          <select name="action" defaultValue={filter.action}>
            <option value="">everything</option>
            {ACTION_FAMILIES.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label} ({f.value}…)
              </option>
            ))}
            {filter.action && !ACTION_FAMILIES.some((f) => f.value === filter.action) && <option value={filter.action}>{filter.action}</option>}
          </select>
        </label>
        <label>
          Record type
          <select name="entityType" defaultValue={filter.entityType}>
            <option value="">any</option>
            {ENTITY_TYPES.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Who
          <select name="actor" defaultValue={filter.actor}>
            <option value="">anyone</option>
            {actorOptions.map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
            <option value="system">Fairdesk (system)</option>
            <option value="cli">Command line</option>
          </select>
        </label>
        <DateRangeFields from={filter.from} to={filter.to} />
        <LinkedIdField label="Record id" name="entityId" value={filter.entityId} />
      </FilterBar>
      <PagedListView list={list} noun={['entry', 'entries']}>
        {(entries) => (
          <div className="table-scroll">
            <table className="audit-table">
              <caption className="visually-hidden">Audit log entries, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                  <th scope="col">Record</th>
                  <th scope="col">Fields changed</th>
                  <th scope="col">Seq</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => {
                  const link = entityLink(e.entityType, e.entityId);
                  return (
                    <tr key={e.id}>
                      <td data-label="When">
                        <time dateTime={e.at}>{formatDateTime(e.at)}</time>
                      </td>
                      <td data-label="Who">{who(e)}</td>
                      <td data-label="What">
                        <code>{e.action}</code>
                      </td>
                      <td data-label="Record">
                        {entityTypeWords(e.entityType)} <span className="muted mono">{e.entityId.length > 8 ? `…${e.entityId.slice(-8)}` : e.entityId}</span>
                        {link && (
                          <>
                            {' '}
                            <Link to={link.to}>{link.label}</Link>
                          </>
                        )}{' '}
                        <Link to={`/audit?entityId=${encodeURIComponent(e.entityId)}`} aria-label={`All entries of this ${entityTypeWords(e.entityType).toLowerCase()}`}>
                          history
                        </Link>
                      </td>
                      <td data-label="Fields changed">{e.fields.length > 0 ? e.fields.join(', ') : <span className="muted">—</span>}</td>
                      <td data-label="Seq" className="seq">
                        <span title={`hash ${e.hash}`}>{e.seq}</span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </PagedListView>
    </div>
  );
}

/** `token:…`, `system`, `cli` in words; an agent not found keeps its id's tail. */
function actorWords(actor: string): string {
  if (actor === 'system') return 'Fairdesk (system)';
  if (actor === 'cli') return 'Command line';
  if (actor.startsWith('token:')) return `API token …${actor.slice(-6)}`;
  if (actor.startsWith('agent:')) return `Agent …${actor.slice(-6)}`;
  if (actor.startsWith('customer:')) return 'The customer';
  return actor;
}

/** The chain's verdict as a badge: intact (with the rows checked) or the first broken link. */
function ChainStatus() {
  const [verdict, setVerdict] = useState<AuditVerification | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    const ctl = new AbortController();
    api(AuditVerification, '/api/v1/audit/verify', { signal: ctl.signal }).then(setVerdict, (err: unknown) => setError(messageOf(err)));
    return () => ctl.abort();
  }, []);
  if (error) return <p className="chain-status unknown">Chain not checked: {error}</p>;
  if (!verdict) return <p className="chain-status unknown">Checking the chain…</p>;
  return verdict.ok ? (
    <p className="chain-status ok" role="status">
      <strong>✓ Chain intact</strong>: {verdict.checked} entries checked against their hashes
      {verdict.lastCheckpoint ? `, signed checkpoint at entry ${verdict.lastCheckpoint.seq} (${formatDateTime(verdict.lastCheckpoint.signedAt)})` : ', no signed checkpoint yet'}.
    </p>
  ) : (
    <p className="chain-status broken" role="alert">
      <strong>✗ Chain broken</strong> at entry {verdict.firstBroken?.seq}: {verdict.firstBroken?.reason}.
    </p>
  );
}
