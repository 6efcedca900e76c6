import { useEffect, useState, type ReactNode } from 'react';
import { z } from 'zod';
import { SessionInfo } from '../../../src/contracts/auth.ts';
import { api, isStatus, messageOf } from '../api.ts';
import { Link, navigate, useLocation } from '../router.tsx';
import { SessionContext, type Session } from './session.tsx';
import { canReadReports } from '../reports/ReportFrame.tsx';
import { ROLE_PERMISSIONS, type Permission } from '../../../src/domain/policy.ts';

/** Leads, compliance and admins review offers (`offers:review`); the decisions page is in their navigation. */
const canReviewOffers = (session: Session | null): boolean => !!session && ROLE_PERMISSIONS[session.agent.role].includes('offers:review');

/**
 * The compliance pages, each in the navigation of those whose role holds its permission (the API
 * decides again): the audit log and what hangs off it for `audit:read` (compliance, admin); the
 * tenant's consent ledger for `consents:review` and the cancellations for `reports:read` (leads too:
 * it is the flow-health report's detail).
 */
const COMPLIANCE_PAGES: ReadonlyArray<{ path: string; name: string; permission: Permission }> = [
  { path: '/audit', name: 'Audit log', permission: 'audit:read' },
  { path: '/exceptions', name: 'Exceptions', permission: 'audit:read' },
  { path: '/charter-versions', name: 'Charter versions', permission: 'audit:read' },
  { path: '/consents', name: 'Consents', permission: 'consents:review' },
  { path: '/cancellations', name: 'Cancellations', permission: 'reports:read' },
];
const holds = (session: Session | null, permission: Permission): boolean => !!session && ROLE_PERMISSIONS[session.agent.role].includes(permission);

/** The console's frame: skip link, header with navigation and the signed-in agent, then the page. */
export function ConsoleFrame({ children }: { children: ReactNode }) {
  const { pathname, search } = useLocation();
  const [session, setSession] = useState<Session | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    const ctl = new AbortController();
    api(SessionInfo, '/api/v1/auth/session', { signal: ctl.signal })
      .then(setSession)
      .catch((err: unknown) => {
        if (isStatus(err, 401)) navigate(`/sign-in?next=${encodeURIComponent(pathname + search)}`, { replace: true });
        else setError(messageOf(err));
      });
    return () => ctl.abort();
    // The session is read once per frame; pages inside navigate without reloading it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const signOut = async () => {
    await api(z.object({ ended: z.number() }), '/api/v1/auth/sign-out', { method: 'POST' }).catch(() => undefined);
    navigate('/sign-in', { replace: true });
  };

  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Fairdesk</span>
        <nav aria-label="Console">
          <Link to="/inbox" aria-current={pathname.startsWith('/inbox') ? 'page' : undefined}>
            Inbox
          </Link>
          {canReadReports(session) && (
            <Link to="/reports/parity" aria-current={pathname.startsWith('/reports') ? 'page' : undefined}>
              Reports
            </Link>
          )}
          {canReviewOffers(session) && (
            <Link to="/offers" aria-current={pathname === '/offers' ? 'page' : undefined}>
              Offer decisions
            </Link>
          )}
          {COMPLIANCE_PAGES.filter((p) => holds(session, p.permission)).map((p) => (
            <Link key={p.path} to={p.path} aria-current={pathname === p.path ? 'page' : undefined}>
              {p.name}
            </Link>
          ))}
        </nav>
        {session && (
          <div className="who">
            <span>
              {session.agent.name} <span className="muted">({session.agent.role})</span>
            </span>
            <button type="button" onClick={signOut}>
              Sign out
            </button>
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : session ? (
          <SessionContext.Provider value={session}>{children}</SessionContext.Provider>
        ) : (
          <p role="status">Loading…</p>
        )}
      </main>
    </>
  );
}
