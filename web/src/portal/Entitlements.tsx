import { useEffect, useState } from 'react';
import { EntitlementsSchema } from '../../../src/contracts/charter.ts';
import { api, isStatus, messageOf } from '../api.ts';
import { EntitlementsView, type Entitlements } from '../console/EntitlementsPanel.tsx';
import { Link, PageHeading } from '../router.tsx';
import { portalApi } from './PortalFrame.tsx';
import '../console/customer.css';

/**
 * What the signed-in customer is entitled to under the company's published charter, and why — in the
 * same words the agent sees (GET /api/v1/portal/:slug/entitlements).
 */
export function PortalEntitlementsPage({ slug }: { slug: string }) {
  const [data, setData] = useState<Entitlements | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    const ctl = new AbortController();
    api(EntitlementsSchema, portalApi(slug, '/entitlements'), { signal: ctl.signal })
      .then(setData)
      .catch((err: unknown) => {
        const message = isStatus(err, 404) ? 'The company has not published a service charter yet, so there is nothing to show.' : messageOf(err);
        if (message) setError(message);
      });
    return () => ctl.abort();
  }, [slug]);
  return (
    <>
      <PageHeading title="What I am entitled to · Customer portal">What you are entitled to</PageHeading>
      <section className="entitlements" aria-labelledby="portal-entitlements-title">
        <h2 id="portal-entitlements-title" className="visually-hidden">
          Your entitlements
        </h2>
        <p>
          Every customer gets the minimum in the <Link to={`/charter/${encodeURIComponent(slug)}`}>published service charter</Link>; some earn more. This is
          what applies to you today, and why.
        </p>
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : !data ? (
          <p role="status">Loading…</p>
        ) : (
          <EntitlementsView data={data} />
        )}
      </section>
    </>
  );
}
