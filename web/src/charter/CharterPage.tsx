import { useEffect, useState, type ReactNode } from 'react';
import { PublicCharter } from '../../../src/contracts/charter.ts';
import type { z } from 'zod';
import { api, isStatus, messageOf } from '../api.ts';
import { formatDate, formatMoney, humanize } from '../format.ts';
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
  atRisk: 'When we treat a request as at risk',
  refunds: 'Refunds',
};
const SKIP = new Set(['name', 'effective', 'changeNote', '$schema', 'defaultSeverity']);

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
          <Section name={k} value={doc[k]} />
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

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const any = (v: unknown): string => (v === '*' ? 'any' : str(v));

/** "2bd4h" → "2 business days 4 hours", "10m" → "10 minutes" (business time, as the charter says). */
export function duration(v: unknown): string {
  const text = str(v);
  const parts = [...text.matchAll(/(\d+)\s*(bd|d|h|m)/g)].map(([, n, unit]) => {
    const count = Number(n);
    const word = unit === 'bd' ? 'business day' : unit === 'd' ? 'day' : unit === 'h' ? 'hour' : 'minute';
    return `${count} ${word}${count === 1 ? '' : 's'}`;
  });
  return parts.length > 0 ? parts.join(' ') : text;
}

const DAYS: Array<[string, string]> = [['mon', 'Monday'], ['tue', 'Tuesday'], ['wed', 'Wednesday'], ['thu', 'Thursday'], ['fri', 'Friday'], ['sat', 'Saturday'], ['sun', 'Sunday']];

function Targets({ rows }: { rows: unknown[] }) {
  return (
    <div className="table-scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">Channel</th>
            <th scope="col">Kind of request</th>
            <th scope="col">First answer within</th>
            <th scope="col">Resolved within</th>
          </tr>
        </thead>
        <tbody>
          {rows.filter(isObj).map((r, i) => (
            <tr key={i}>
              <td>{any(r.channel)}</td>
              <td>{any(r.severity)}</td>
              <td>{r.firstResponse === undefined ? '—' : duration(r.firstResponse)}</td>
              <td>{r.resolution === undefined ? '—' : duration(r.resolution)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function criterion(c: unknown): string {
  if (!isObj(c)) return str(c);
  return Object.entries(c)
    .map(([k, v]) => {
      const o = isObj(v) ? v : {};
      if (k === 'tenureYears') return `a customer for at least ${str(o.atLeast)} years`;
      if (k === 'spendLast12Months') return `spent at least ${typeof o.atLeastMinor === 'number' && typeof o.currency === 'string' ? formatMoney(o.atLeastMinor, o.currency) : str(o.atLeastMinor)} in the last 12 months`;
      if (k === 'plan') return `on one of the plans ${arr(o.in).map(str).join(', ')}`;
      return `${humanize(k)}: ${JSON.stringify(v)}`;
    })
    .join('; ');
}

/** The charter's known sections in plain words; anything else through the generic view. */
function Section({ name, value }: { name: string; value: unknown }): ReactNode {
  if (name === 'minimum' && isObj(value)) {
    return (
      <>
        {typeof value.attainment === 'number' && <p>We meet these targets for at least {Math.round(value.attainment * 100)}% of requests, for every customer, whatever they pay. Times are business time.</p>}
        {arr(value.channelsAlwaysOpen).length > 0 && <p>Always open for new requests: {arr(value.channelsAlwaysOpen).map(str).join(', ')}.</p>}
        <Targets rows={arr(value.targets)} />
      </>
    );
  }
  if (name === 'severities' && Array.isArray(value)) {
    return (
      <dl className="facts">
        {value.filter(isObj).map((s) => (
          <div key={str(s.id)} className="fact">
            <dt>{humanize(str(s.id))}</dt>
            <dd>{str(s.description)}</dd>
          </div>
        ))}
      </dl>
    );
  }
  if (name === 'businessHours' && isObj(value)) {
    const weekly = isObj(value.weekly) ? value.weekly : {};
    return (
      <>
        {value.timeZone !== undefined && <p>Times are in {str(value.timeZone)}.</p>}
        <dl className="facts">
          {DAYS.map(([key, day]) => (
            <div key={key} className="fact">
              <dt>{day}</dt>
              <dd>{arr(weekly[key]).length > 0 ? arr(weekly[key]).map(str).join(', ') : 'closed'}</dd>
            </div>
          ))}
        </dl>
        {arr(value.holidays).length > 0 && (
          <>
            <h3>Closed on</h3>
            <ul>
              {arr(value.holidays).filter(isObj).map((h) => (
                <li key={str(h.date)}>
                  <time dateTime={str(h.date)}>{str(h.date)}</time> {str(h.name)}
                </li>
              ))}
            </ul>
          </>
        )}
      </>
    );
  }
  if (name === 'tiers' && Array.isArray(value)) {
    return (
      <>
        <p>Anyone who meets a tier's published criteria gets it. Each tier adds to what every customer gets.</p>
        {value.filter(isObj).map((t) => {
          const c = isObj(t.criteria) ? t.criteria : {};
          const e = isObj(t.entitlements) ? t.entitlements : {};
          const rule = c.all ? { join: 'all of', list: arr(c.all) } : { join: 'any of', list: arr(c.any) };
          return (
            <div key={str(t.id)}>
              <h3>{str(t.name) || humanize(str(t.id))}</h3>
              <p>
                Who: {rule.join} — {rule.list.map(criterion).join(' · ')}
              </p>
              {arr(e.targets).length > 0 && <Targets rows={arr(e.targets)} />}
              <ul>
                {e.callback === true && <li>We call you back.</li>}
                {typeof e.namedTeam === 'string' && <li>A named team: {e.namedTeam}.</li>}
                {arr(e.extras).map((x, i) => (
                  <li key={i}>{str(x)}</li>
                ))}
              </ul>
            </div>
          );
        })}
      </>
    );
  }
  if (name === 'repeatContact' && isObj(value)) {
    return (
      <p>
        If you contact us {str(value.conversations)} times within {str(value.days)} days, we open a case to find and fix the cause. We never close an account because someone
        contacts us.
      </p>
    );
  }
  if (name === 'exceptions' && isObj(value)) {
    return (
      <p>
        Anything beyond this charter for one customer is written down, approved by {arr(value.approverRoles).map(str).join(' or ')}, and lasts at most {str(value.maxDays)} days.
      </p>
    );
  }
  if (name === 'atRisk' && typeof value === 'number') return <p>Once {Math.round(value * 100)}% of a target's time has passed, the request is served first.</p>;
  return <Value value={value} depth={0} />;
}
