import { useState, type FormEvent } from 'react';
import { SessionInfo, SignIn } from '../../../src/contracts/auth.ts';
import { api, messageOf } from '../api.ts';
import { navigate, PageHeading, useQuery } from '../router.tsx';

const LAST_TENANT = 'fairdesk.tenant';

/** Agent sign-in: organisation (the tenant's slug), e-mail and password; then back where they were going. */
export function SignInPage() {
  const query = useQuery();
  const [tenant, setTenant] = useState(() => query.get('tenant') ?? localStorage.getItem(LAST_TENANT) ?? '');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await api(SessionInfo, '/api/v1/auth/sign-in', { method: 'POST', body: SignIn.parse({ tenant, email, password }) });
      localStorage.setItem(LAST_TENANT, tenant.trim());
      const next = query.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/inbox', { replace: true });
    } catch (err) {
      setError(err instanceof Error && err.name === 'ZodError' ? 'Fill in the organisation, a valid e-mail address and your password.' : messageOf(err));
      setBusy(false);
    }
  };

  return (
    <main id="main" className="narrow">
      <PageHeading title="Sign in · Fairdesk">Sign in to Fairdesk</PageHeading>
      <form onSubmit={submit} className="stack" noValidate>
        <label>
          Organisation
          <input name="tenant" value={tenant} onChange={(e) => setTenant(e.target.value)} autoComplete="organization" required aria-describedby="tenant-hint" />
        </label>
        <p id="tenant-hint" className="hint">
          The short name of your organisation, as in your invitation (for example <code>demo</code>).
        </p>
        <label>
          E-mail
          <input name="email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
