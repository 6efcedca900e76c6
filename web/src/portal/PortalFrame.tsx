import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { z } from 'zod';
import { PublicCharter } from '../../../src/contracts/charter.ts';
import { MagicLinkRequest, PortalMe, type PortalMe as Me } from '../../../src/contracts/portal.ts';
import { api, isStatus, messageOf } from '../api.ts';
import { Link, navigate, PageHeading, useLocation } from '../router.tsx';

export const portalPath = (slug: string, rest = '') => `/portal/${encodeURIComponent(slug)}${rest}`;
export const portalApi = (slug: string, rest = '') => `/api/v1/portal/${encodeURIComponent(slug)}${rest}`;

/**
 * The customer portal's frame. "Cancel subscription" is in the header of every portal page, signed
 * in or not (signed out it opens the form that needs no sign-in). A page that needs a session shows
 * the sign-in form when there is none.
 */
export function PortalFrame({ slug, page, allowSignedOut = false }: { slug: string; page: (me: Me | null) => ReactNode; allowSignedOut?: boolean }) {
  const { pathname } = useLocation();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [company, setCompany] = useState(slug);
  const [error, setError] = useState('');

  useEffect(() => {
    const ctl = new AbortController();
    api(PortalMe, portalApi(slug, '/me'), { signal: ctl.signal })
      .then(setMe)
      .catch((err: unknown) => (isStatus(err, 401) ? setMe(null) : setError(messageOf(err))));
    api(PublicCharter, `/api/v1/public/${encodeURIComponent(slug)}/charter`, { signal: ctl.signal })
      .then((c) => setCompany(c.tenant.name))
      .catch(() => undefined);
    return () => ctl.abort();
  }, [slug]);

  const signOut = async () => {
    await api(z.object({ ended: z.number() }), portalApi(slug, '/sign-out'), { method: 'POST' }).catch(() => undefined);
    setMe(null);
    navigate(portalPath(slug), { replace: true });
  };
  const current = (path: string) => (pathname === path ? ('page' as const) : undefined);

  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar portal">
        <span className="brand">{company}</span>
        <nav aria-label="Portal">
          {me && (
            <>
              <Link to={portalPath(slug)} aria-current={current(portalPath(slug))}>
                My requests
              </Link>
              <Link to={portalPath(slug, '/subscriptions')} aria-current={current(portalPath(slug, '/subscriptions'))}>
                My subscriptions
              </Link>
              <Link to={portalPath(slug, '/consents')} aria-current={current(portalPath(slug, '/consents'))}>
                My consents
              </Link>
              <Link to={portalPath(slug, '/entitlements')} aria-current={current(portalPath(slug, '/entitlements'))}>
                My entitlements
              </Link>
            </>
          )}
          <Link to={portalPath(slug, '/cancel')} aria-current={current(portalPath(slug, '/cancel'))} className="cancel-link">
            Cancel subscription
          </Link>
        </nav>
        {me && (
          <div className="who">
            <span>{me.name}</span>
            <button type="button" onClick={signOut}>
              Sign out
            </button>
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1} className="portal-main">
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : me === undefined ? (
          <p role="status">Loading…</p>
        ) : me || allowSignedOut ? (
          page(me)
        ) : (
          <PortalSignIn slug={slug} />
        )}
      </main>
      <footer className="portal-footer">
        <Link to={`/charter/${encodeURIComponent(slug)}`}>Our service charter</Link>
      </footer>
    </>
  );
}

/** Signing in to the portal: a single-use link is e-mailed (no password anywhere in the portal). */
function PortalSignIn({ slug }: { slug: string }) {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState('');
  const [error, setError] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    const body = MagicLinkRequest.safeParse({ email: email.trim() });
    if (!body.success) return setError('Enter your e-mail address, for example name@example.com.');
    try {
      const answer = await api(z.object({ message: z.string() }), portalApi(slug, '/magic-links'), { method: 'POST', body: body.data });
      setSent(answer.message);
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <div className="narrow">
      <PageHeading title="Sign in · Customer portal">Sign in to the customer portal</PageHeading>
      <p>We e-mail you a link that signs you in. It works once, for 15 minutes.</p>
      <form onSubmit={submit} className="stack" noValidate>
        <label>
          E-mail
          <input type="email" name="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" className="primary">
          E-mail me a sign-in link
        </button>
      </form>
      {sent && (
        <p role="status" className="notice">
          {sent}
        </p>
      )}
      <p>
        To cancel a subscription without signing in, use <Link to={portalPath(slug, '/cancel')}>the cancellation form</Link>.
      </p>
    </div>
  );
}
