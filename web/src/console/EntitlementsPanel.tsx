import { useEffect, useState } from 'react';
import type { z } from 'zod';
import { CharterVersionList, EntitlementsSchema } from '../../../src/contracts/charter.ts';
import { api, isStatus, messageOf } from '../api.ts';
import { humanize } from '../format.ts';
import './customer.css';

export type Entitlements = z.infer<typeof EntitlementsSchema>;

/** Business minutes for people: 90 → "1 h 30 min". */
export function businessMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ') || '0 min';
}

const NO_CHARTER = 'No charter is in effect yet, so there are no entitlements to show.';

const anyOr = (value: string, all: string) => (value === '*' ? all : humanize(value));

/**
 * What the customer is entitled to under the charter in effect, and why (GET
 * /api/v1/customers/:id/entitlements): the tier or the minimum, the response and resolution
 * targets, a callback, a named team, extras, and each reason in the charter's own words.
 */
export function EntitlementsPanel({ customerId }: { customerId: string }) {
  const [data, setData] = useState<Entitlements | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    const ctl = new AbortController();
    (async () => {
      // A tenant may not have published a charter yet: ask first rather than meet a 404.
      const versions = await api(CharterVersionList, '/api/v1/charter/versions?limit=1', { signal: ctl.signal });
      if (versions.data.length === 0) return setError(NO_CHARTER);
      setData(await api(EntitlementsSchema, `/api/v1/customers/${encodeURIComponent(customerId)}/entitlements`, { signal: ctl.signal }));
    })().catch((err: unknown) => {
      // 404 for a charter that is published but not yet in effect.
      const message = isStatus(err, 404) ? NO_CHARTER : messageOf(err);
      if (message) setError(message);
    });
    return () => ctl.abort();
  }, [customerId]);

  return (
    <section className="entitlements" aria-labelledby="entitlements-title">
      <h2 id="entitlements-title">Entitlements</h2>
      {error ? <p className="muted">{error}</p> : !data ? <p role="status">Loading…</p> : <EntitlementsView data={data} />}
    </section>
  );
}

/** The entitlements and their reasons, as the agent and (in the portal) the customer see them. */
export function EntitlementsView({ data }: { data: Entitlements }) {
  return (
    <>
      <p>
        {data.tier ? (
          <>
            Tier: <strong>{data.tier.name}</strong>
          </>
        ) : (
          <strong>The minimum for every customer</strong>
        )}{' '}
        <span className="muted">(charter version {data.charterVersion})</span>
      </p>
      <h3>Why</h3>
      <ul className="reasons">
        {data.reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
      <h3>What it gives</h3>
      <ul className="gives">
        <li>{data.entitlements.callback ? 'A callback on request' : 'No callback'}</li>
        {data.entitlements.namedTeam ? <li>Named team: {data.entitlements.namedTeam}</li> : null}
        {data.entitlements.extras.map((x) => (
          <li key={x}>{x}</li>
        ))}
      </ul>
      <details className="targets">
        <summary>Response and resolution targets ({data.entitlements.targets.length})</summary>
        <table>
          <caption>Targets in business time, per channel and severity</caption>
          <thead>
            <tr>
              <th scope="col">Channel</th>
              <th scope="col">Severity</th>
              <th scope="col">First reply</th>
              <th scope="col">Resolved</th>
            </tr>
          </thead>
          <tbody>
            {data.entitlements.targets.map((t) => (
              <tr key={`${t.channel}/${t.severity}`}>
                <td>{anyOr(t.channel, 'Any')}</td>
                <td>{anyOr(t.severity, 'Any')}</td>
                <td>{businessMinutes(t.firstResponseMinutes)}</td>
                <td>{businessMinutes(t.resolutionMinutes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}
