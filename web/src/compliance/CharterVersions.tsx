import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { CharterVersionList, type CharterVersion } from '../../../src/contracts/charter.ts';
import { api, messageOf } from '../api.ts';
import { formatDateTime } from '../format.ts';
import { navigate, PageHeading, useLocation, useQuery } from '../router.tsx';
import { diffStats, lineDiff, withContext } from './diff.ts';
import './compliance.css';

/**
 * Charter versions (GET /api/v1/charter/versions): pick two and read what changed, line by line in
 * their YAML source (added lines green with "+", removed red with "−"), beside each version's change
 * note and dates. `?a=&b=` in the address; by default the latest against the one before it.
 */
export function CharterVersionsPage() {
  const query = useQuery();
  const { pathname } = useLocation();
  const [versions, setVersions] = useState<CharterVersion[] | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    const ctl = new AbortController();
    api(CharterVersionList, '/api/v1/charter/versions?limit=200', { signal: ctl.signal })
      .then((l) => setVersions(l.data))
      .catch((err: unknown) => {
        const m = messageOf(err);
        if (m) setError(m);
      });
    return () => ctl.abort();
  }, []);

  const byNumber = useMemo(() => new Map((versions ?? []).map((v) => [v.version, v])), [versions]);
  const latest = versions?.[0]?.version;
  const bWanted = Number(query.get('b') ?? latest);
  const b = byNumber.get(bWanted) ?? versions?.[0];
  const aWanted = Number(query.get('a') ?? (b ? b.version - 1 : NaN));
  const a = byNumber.get(aWanted) ?? (versions ?? []).find((v) => b && v.version < b.version) ?? null;
  const lines = useMemo(() => (a && b ? lineDiff(a.source, b.source) : []), [a, b]);
  const stats = diffStats(lines);

  const apply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    navigate(`${pathname}?a=${String(data.get('a') ?? '')}&b=${String(data.get('b') ?? '')}`);
  };

  return (
    <div className="compliance">
      <PageHeading title="Charter versions · Fairdesk">Charter versions</PageHeading>
      <p className="report-intro">Every published version of the service charter. Versions never change once published; compare any two to read what changed.</p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!versions ? (
        !error && <p role="status">Loading…</p>
      ) : versions.length === 0 ? (
        <p role="status">No charter has been published yet.</p>
      ) : (
        <>
          <form className="version-pick" onSubmit={apply} aria-label="Versions to compare" key={`${a?.version}-${b?.version}`}>
            <label>
              Older version
              <select name="a" defaultValue={a?.version ?? ''}>
                {versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    {label(v)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Newer version
              <select name="b" defaultValue={b?.version ?? ''}>
                {versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    {label(v)}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit">Compare</button>
          </form>
          <div className="version-meta">
            {[a, b].map((v, k) =>
              v ? (
                <section key={k} aria-label={`Version ${v.version}`}>
                  <h2>
                    {k === 0 ? 'Older' : 'Newer'}: version {v.version}
                  </h2>
                  <p>
                    In effect from <time dateTime={v.effectiveAt}>{formatDateTime(v.effectiveAt)}</time>; published <time dateTime={v.publishedAt}>{formatDateTime(v.publishedAt)}</time>
                  </p>
                  <p>Change note: {v.changeNote ?? <span className="muted">none given</span>}</p>
                </section>
              ) : (
                <section key={k}>
                  <h2>Older: none</h2>
                  <p>Version {b?.version} is the first version; nothing to compare it with.</p>
                </section>
              ),
            )}
          </div>
          {a && b && (
            <section aria-labelledby="diff-title">
              <h2 id="diff-title">
                What changed from version {a.version} to version {b.version}
              </h2>
              <p role="status">
                {stats.added === 0 && stats.removed === 0
                  ? 'The two versions have the same text.'
                  : `${stats.added} ${stats.added === 1 ? 'line' : 'lines'} added (+), ${stats.removed} removed (−).`}
              </p>
              <ol className="diff" aria-label={`Line differences, version ${a.version} to ${b.version}`}>
                {withContext(lines).map((l, k) =>
                  'skipped' in l ? (
                    <li key={k} className="skipped">
                      … {l.skipped} unchanged {l.skipped === 1 ? 'line' : 'lines'}
                    </li>
                  ) : (
                    <li key={k} className={l.kind}>
                      <span className="num" aria-hidden="true">
                        {l.oldLine ?? ''}
                      </span>
                      <span className="num" aria-hidden="true">
                        {l.newLine ?? ''}
                      </span>
                      <span className="sign">
                        {l.kind === 'added' ? '+' : l.kind === 'removed' ? '−' : ' '}
                        <span className="visually-hidden">{l.kind === 'added' ? ' added:' : l.kind === 'removed' ? ' removed:' : ''}</span>
                      </span>
                      <span className="text">{l.text || ' '}</span>
                    </li>
                  ),
                )}
              </ol>
            </section>
          )}
        </>
      )}
    </div>
  );
}

function label(v: CharterVersion): string {
  return `Version ${v.version} — from ${v.effectiveAt.slice(0, 10)}${v.changeNote ? ` — ${v.changeNote.slice(0, 60)}` : ''}`;
}
