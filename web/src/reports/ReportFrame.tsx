import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { z } from 'zod';
import { ROLE_PERMISSIONS } from '../../../src/domain/policy.ts';
import { api, isStatus, messageOf } from '../api.ts';
import { Link, navigate, PageHeading, useLocation, useQuery } from '../router.tsx';
import type { Session } from '../console/session.tsx';
import { apiQuery, dayOf, lastDayOf, pageQuery, rangeFrom, type DayRange } from './range.ts';
import './reports.css';

/** Whether the signed-in agent's role may read reports (the API decides again on every call). */
export const canReadReports = (session: Session | null): boolean => !!session && ROLE_PERMISSIONS[session.agent.role].includes('reports:read');

const REPORTS = [
  { path: '/reports/parity', name: 'Parity' },
  { path: '/reports/listening', name: 'Listening' },
  { path: '/reports/cancellations', name: 'Cancellations' },
  { path: '/reports/incentives', name: 'Incentives' },
  { path: '/reports/sla', name: 'SLA over time' },
  { path: '/reports/repeat-contacts', name: 'Repeat contacts' },
] as const;

export type ReportState<T> = { kind: 'loading' } | { kind: 'forbidden' } | { kind: 'error'; message: string } | { kind: 'ready'; data: T };

/**
 * Loads a report for the period in the address, checked against the API's own schema. `extra`: more
 * query parameters for the API (e.g. `bucket=week`).
 */
export function useReport<S extends z.ZodType>(schema: S, path: string, extra = ''): { state: ReportState<z.infer<S>>; range: DayRange } {
  const range = rangeFrom(useQuery());
  const base = apiQuery(range);
  const query = extra ? (base ? `${base}&${extra}` : `?${extra}`) : base;
  const [state, setState] = useState<ReportState<z.infer<S>>>({ kind: 'loading' });
  useEffect(() => {
    const ctl = new AbortController();
    setState({ kind: 'loading' });
    api(schema, `${path}${query}`, { signal: ctl.signal })
      .then((data) => setState({ kind: 'ready', data }))
      .catch((err: unknown) => {
        if (ctl.signal.aborted) return;
        setState(isStatus(err, 403) ? { kind: 'forbidden' } : { kind: 'error', message: messageOf(err) });
      });
    return () => ctl.abort();
  }, [schema, path, query]);
  return { state, range };
}

/** The period form: two dates (UTC, both included); applying it puts them in the address. */
function DateRangeForm({ range, shown, defaultPeriod }: { range: DayRange; shown: { from: string; to: string } | null; defaultPeriod: string }) {
  const { pathname, search } = useLocation();
  const [from, setFrom] = useState(range.from || (shown ? dayOf(shown.from) : ''));
  const [to, setTo] = useState(range.to || (shown ? lastDayOf(shown.to) : ''));
  // The first answer fills the fields with the period the API chose (its default: the last 90 days).
  useEffect(() => {
    if (shown && !range.from && !from) setFrom(dayOf(shown.from));
    if (shown && !range.to && !to) setTo(lastDayOf(shown.to));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shown]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // Other parameters of the page (e.g. `bucket`) are kept.
    const rest = new URLSearchParams(search);
    rest.delete('from');
    rest.delete('to');
    const days = pageQuery({ from, to });
    const more = rest.toString();
    navigate(`${pathname}${days}${more ? `${days ? '&' : '?'}${more}` : ''}`);
  };
  return (
    <form className="report-range" onSubmit={submit} aria-label="Period">
      <label>
        From <input type="date" name="from" value={from} onChange={(e) => setFrom(e.target.value)} />
      </label>
      <label>
        To <input type="date" name="to" value={to} onChange={(e) => setTo(e.target.value)} />
      </label>
      <button type="submit">Show period</button>
      <span className="hint">Whole days in UTC, both included. Empty: {defaultPeriod}.</span>
    </form>
  );
}

/**
 * The frame of every report page: heading, the reports' own navigation (keeping the period), the
 * period form, then the report — or a clear message when the agent may not read reports (403).
 */
export function ReportFrame<T extends { from: string; to: string }>({
  title,
  intro,
  state,
  range,
  actions,
  controls,
  defaultPeriod = 'the last 90 days',
  children,
}: {
  /** Shown under the period form whatever the state (e.g. the bucket of a series), so a refused request can be changed. */
  controls?: ReactNode;
  title: string;
  /** What the API covers when no period is given, in words. */
  defaultPeriod?: string;
  intro: ReactNode;
  state: ReportState<T>;
  range: DayRange;
  actions?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const { pathname } = useLocation();
  const query = pageQuery(range);
  const shown = state.kind === 'ready' ? { from: state.data.from, to: state.data.to } : null;
  return (
    <div className="report">
      <PageHeading title={`${title} — Fairdesk reports`}>{title}</PageHeading>
      <nav aria-label="Reports" className="report-nav">
        {REPORTS.map((r) => (
          <Link key={r.path} to={`${r.path}${query}`} aria-current={pathname === r.path ? 'page' : undefined}>
            {r.name}
          </Link>
        ))}
      </nav>
      {state.kind === 'forbidden' ? (
        <div className="report-forbidden" role="alert">
          <h2>You cannot open reports</h2>
          <p>Reports are for leads, compliance officers and admins (the “reports:read” permission). Ask an admin of your organisation if you need them.</p>
          <p>
            <Link to="/inbox">Back to the inbox</Link>
          </p>
        </div>
      ) : (
        <>
          <p className="report-intro">{intro}</p>
          {/* Re-created when the address changes, so the fields show the period in the address. */}
          <DateRangeForm key={`${range.from}|${range.to}|${shown ? 'shown' : ''}`} range={range} shown={shown} defaultPeriod={defaultPeriod} />
          {controls}
          {state.kind === 'ready' && (
            <p className="report-period" role="status">
              Period: {dayOf(state.data.from)} to {lastDayOf(state.data.to)} (UTC)
            </p>
          )}
          {state.kind === 'ready' && actions}
          {state.kind === 'loading' && <p role="status">Loading…</p>}
          {state.kind === 'error' && (
            <p role="alert" className="error">
              {state.message}
            </p>
          )}
          {state.kind === 'ready' && children(state.data)}
        </>
      )}
    </div>
  );
}
