import { useEffect, useState, type ReactNode } from 'react';
import { PublicCharter } from '../../../src/contracts/charter.ts';
import type { z } from 'zod';
import { api, isStatus, messageOf } from '../api.ts';
import { formatDate, humanize } from '../format.ts';
import { PageHeading } from '../router.tsx';

type Charter = z.infer<typeof PublicCharter>;

/** Top-level sections in reading order, with the titles a customer would use. */
const SECTIONS: Record<string, string> = {
  minimum: 'What every customer gets',
  severities: 'How urgent a request is',
  businessHours: 'When we work',
  tiers: 'Earned tiers and how to reach them',
  exceptions: 'Exceptions',
  exceptionPolicy: 'Exceptions',
  repeatContact: 'When you have to contact us again',
  refunds: 'Refunds',
};
const SKIP = new Set(['name', 'effective', 'changeNote', '$schema']);

/** The public service charter: readable on a phone, printable (see the print styles). */
export function CharterPage({ slug }: { slug: string }) {
  const [charter, setCharter] = useState<Charter | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api(PublicCharter, `/api/v1/public/${encodeURIComponent(slug)}/charter`)
      .then(setCharter)
      .catch((err: unknown) => setError(isStatus(err, 404) ? 'There is no published charter at this address.' : messageOf(err)));
  }, [slug]);

  if (error)
    return (
      <main id="main" className="narrow">
        <PageHeading title="Service charter">Service charter</PageHeading>
        <p role="alert" className="error">
          {error}
        </p>
      </main>
    );
  if (!charter)
    return (
      <main id="main" className="narrow">
        <p role="status">Loading…</p>
      </main>
    );
  const doc = charter.document;
  const title = typeof doc.name === 'string' ? doc.name : `${charter.tenant.name} service charter`;
  const keys = Object.keys(doc).filter((k) => !SKIP.has(k));
  keys.sort((a, b) => order(a) - order(b));
  return (
    <main id="main" className="charter">
      <PageHeading title={title}>{title}</PageHeading>
      <p className="muted">
        {charter.tenant.name} · version {charter.version} · in effect from {formatDate(charter.effectiveAt)}
      </p>
      {typeof doc.changeNote === 'string' && <p className="notice">What changed: {doc.changeNote}</p>}
      {keys.map((k) => (
        <section key={k} aria-labelledby={`s-${k}`}>
          <h2 id={`s-${k}`}>{SECTIONS[k] ?? humanize(k)}</h2>
          <Value value={doc[k]} depth={0} />
        </section>
      ))}
    </main>
  );
}

const order = (key: string) => {
  const i = Object.keys(SECTIONS).indexOf(key);
  return i === -1 ? 100 : i;
};

const isPlain = (v: unknown): v is string | number | boolean | null => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const show = (v: string | number | boolean | null): string => (v === null ? '—' : typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v));

/** Any part of the charter as plain HTML: lists, tables for rows of the same shape, definition lists. */
function Value({ value, depth }: { value: unknown; depth: number }): ReactNode {
  if (isPlain(value)) return <span>{show(value)}</span>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span>none</span>;
    if (value.every(isPlain)) return <span>{value.map((v) => show(v as string)).join(', ')}</span>;
    const rows = value as Array<Record<string, unknown>>;
    const flat = rows.every((r) => r && typeof r === 'object' && !Array.isArray(r) && Object.values(r).every((v) => isPlain(v) || (Array.isArray(v) && v.every(isPlain))));
    if (flat) {
      const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
      return (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c} scope="col">
                    {humanize(c)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>
                  {columns.map((c) => (
                    <td key={c}>{r[c] === undefined ? '' : <Value value={r[c]} depth={depth + 1} />}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    }
    return (
      <ul>
        {value.map((v, i) => (
          <li key={i}>
            <Value value={v} depth={depth + 1} />
          </li>
        ))}
      </ul>
    );
  }
  if (value && typeof value === 'object') {
    return (
      <dl className="facts">
        {Object.entries(value).map(([k, v]) => (
          <div key={k} className="fact">
            <dt>{humanize(k)}</dt>
            <dd>
              <Value value={v} depth={depth + 1} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return null;
}
