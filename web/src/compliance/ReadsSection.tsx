import { useEffect, useState } from 'react';
import { z } from 'zod';
import { AgentList } from '../../../src/contracts/agents.ts';
import { api, messageOf } from '../api.ts';
import { formatDateTime, humanize } from '../format.ts';
import { Link } from '../router.tsx';
import './compliance.css';

/** The shape GET /api/v1/customers/:id/reads answers with (declared beside its route). */
const ReadList = z.object({ data: z.array(z.object({ at: z.string(), actor: z.string(), what: z.string() })), nextCursor: z.null() });

/**
 * "Who read this record" on the customer view, for compliance officers and admins (audit:read):
 * every read of the customer's record, conversations, spend or entitlements, newest first, from
 * GET /api/v1/customers/:id/reads (its latest 200).
 */
export function ReadsSection({ customerId }: { customerId: string }) {
  const [reads, setReads] = useState<z.infer<typeof ReadList>['data'] | null>(null);
  const [agents, setAgents] = useState<Map<string, string>>(new Map());
  const [error, setError] = useState('');

  useEffect(() => {
    const ctl = new AbortController();
    api(ReadList, `/api/v1/customers/${encodeURIComponent(customerId)}/reads?limit=200`, { signal: ctl.signal }).then(
      (l) => setReads(l.data),
      (err: unknown) => setError(messageOf(err)),
    );
    api(AgentList, '/api/v1/agents?limit=200', { signal: ctl.signal }).then((l) => setAgents(new Map(l.data.map((a) => [`agent:${a.id}`, a.name]))), () => undefined);
    return () => ctl.abort();
  }, [customerId]);

  const who = (actor: string) => agents.get(actor) ?? (actor.startsWith('token:') ? `API token …${actor.slice(-6)}` : actor);

  return (
    <section className="reads" aria-labelledby="reads-title">
      <h2 id="reads-title">Who read this record</h2>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : !reads ? (
        <p role="status">Loading…</p>
      ) : reads.length === 0 ? (
        <p>Nobody has read this record yet.</p>
      ) : (
        <>
          <p className="muted">
            The latest {reads.length} {reads.length === 1 ? 'read' : 'reads'}, newest first (opening this page counts as one).
          </p>
          <table className="reads-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
              </tr>
            </thead>
            <tbody>
              {reads.map((r, k) => (
                <tr key={k}>
                  <td>
                    <time dateTime={r.at}>{formatDateTime(r.at)}</time>
                  </td>
                  <td>{who(r.actor)}</td>
                  <td>
                    {r.what.startsWith('conversation:') ? <Link to={`/inbox/${r.what.slice('conversation:'.length)}`}>A conversation</Link> : humanize(r.what)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
