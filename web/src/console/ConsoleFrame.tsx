import { useEffect, useState, type ReactNode } from 'react';
import { z } from 'zod';
import { SessionInfo } from '../../../src/contracts/auth.ts';
import { api, isStatus, messageOf } from '../api.ts';
import { Link, navigate, useLocation } from '../router.tsx';
import { SessionContext, type Session } from './session.tsx';
import { canReadReports } from '../reports/ReportFrame.tsx';
import { ROLE_PERMISSIONS } from '../../../src/domain/policy.ts';

/** Leads, compliance and admins review offers (`offers:review`); the decisions page is in their navigation. */
const canReviewOffers = (session: Session | null): boolean => !!session && ROLE_PERMISSIONS[session.agent.role].includes('offers:review');

/** Compliance officers and admins read the audit log (`audit:read`); its pages are in their navigation. */
const canReadAudit = (session: Session | null): boolean => !!session && ROLE_PERMISSIONS[session.agent.role].includes('audit:read');
const COMPLIANCE_PAGES = [
  { path: '/audit', name: 'Audit log' },
  { path: '/exceptions', name: 'Exceptions' },
  { path: '/charter-versions', name: 'Charter versions' },
];

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
          {canReadAudit(session) &&
            COMPLIANCE_PAGES.map((p) => (
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
