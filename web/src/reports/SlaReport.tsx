import type { z } from 'zod';
import { SlaReportSchema } from '../../../src/contracts/reports.ts';
import { navigate, useLocation, useQuery } from '../router.tsx';
import { GroupedBarChart } from './charts/GroupedBarChart.tsx';
import { csvName, DownloadApiCsv } from './DownloadApiCsv.tsx';
import { apiQuery } from './range.ts';
import { ReportFrame, useReport } from './ReportFrame.tsx';

type Sla = z.infer<typeof SlaReportSchema>;
type Bucket = Sla['buckets'][number];
type Unit = Sla['bucket'];

const UNITS: Array<{ value: Unit; label: string }> = [
  { value: 'day', label: 'Day' },
  { value: 'week', label: 'Week' },
  { value: 'month', label: 'Month' },
];

const pct = (v: number) => `${Number.isInteger(v) ? v : v.toFixed(1)}%`;
const orDash = (v: number | null, f: (v: number) => string) => (v === null ? '–' : f(v));
const minutes = (v: number) => `${Math.round(v)} min`;

/** The local date (YYYY-MM-DD) of an instant in a time zone. */
function localDate(iso: string, timeZone: string): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/** A bucket's name in the report's zone: its first day, "week of" its Monday, or its month. */
export function bucketLabel(b: { start: string }, unit: Unit, timeZone = 'UTC'): string {
  const day = localDate(b.start, timeZone);
  if (unit === 'month') return day.slice(0, 7);
  if (unit === 'week') return `Week of ${day}`;
  return day;
}

/** The bucket from the address (`?bucket=day|week|month`), else the API's default, week. */
function useUnit(): Unit {
  const v = useQuery().get('bucket');
  return v === 'day' || v === 'month' ? v : 'week';
}

function UnitChooser({ unit }: { unit: Unit }) {
  const { pathname, search } = useLocation();
  const choose = (value: string) => {
    const q = new URLSearchParams(search);
    if (value === 'week') q.delete('bucket');
    else q.set('bucket', value);
    const s = q.toString();
    navigate(`${pathname}${s ? `?${s}` : ''}`);
  };
  return (
    <p className="report-bucket">
      <label>
        Bucket{' '}
        <select name="bucket" value={unit} onChange={(e) => choose(e.target.value)}>
          {UNITS.map((u) => (
            <option key={u.value} value={u.value}>
              {u.label}
            </option>
          ))}
        </select>
      </label>{' '}
      <span className="hint">Buckets are days, weeks from Monday, or months in the charter's time zone, by when each conversation was opened.</span>
    </p>
  );
}

/** SLA attainment over time: minimum first-response and resolution targets met, per day, week or month. */
export function SlaReportPage() {
  const unit = useUnit();
  const extra = unit === 'week' ? '' : `bucket=${unit}`;
  const { state, range } = useReport(SlaReportSchema, '/api/v1/reports/sla', extra);
  const query = apiQuery(range);
  const csvUrl = `/api/v1/reports/sla${query}${extra ? `${query ? '&' : '?'}${extra}` : ''}`;
  return (
    <ReportFrame
      title="SLA attainment over time"
      intro="How often the charter's minimum first-response and resolution targets were met, bucket by bucket, against the attainment the charter promises. Counted as the parity report counts them: a target is decided once met or overdue."
      state={state}
      range={range}
      controls={<UnitChooser unit={unit} />}
      actions={<DownloadApiCsv url={csvUrl} fileName={csvName(`sla-${unit}`, range)} />}
    >
      {(report) => <SlaBody report={report} />}
    </ReportFrame>
  );
}

function SlaBody({ report }: { report: Sla }) {
  const promised = Math.round(report.promisedAttainment * 1000) / 10;
  const below = (b: { firstResponseMetPct: number | null; resolutionMetPct: number | null }) =>
    (b.firstResponseMetPct !== null && b.firstResponseMetPct < promised) || (b.resolutionMetPct !== null && b.resolutionMetPct < promised);
  const late = report.buckets.filter(below);
  const label = (b: Bucket) => bucketLabel(b, report.bucket, report.timeZone);
  const t = report.total;
  return (
    <>
      <section aria-labelledby="sla-summary" className="report-summary">
        <h2 id="sla-summary">The period</h2>
        {report.total.conversations === 0 ? (
          <p>No conversations were opened in this period.</p>
        ) : late.length > 0 ? (
          <div className="report-alert" role="alert">
            <strong>
              {late.length === 1 ? '1 bucket is' : `${late.length} buckets are`} below the {pct(promised)} the charter promises: {late.map(label).join(', ')}.
            </strong>
          </div>
        ) : (
          <p className="report-ok">Every bucket met the charter's promise.</p>
        )}
        <dl className="figures">
          <div>
            <dt>Promised attainment</dt>
            <dd data-figure="promised">{pct(promised)}</dd>
          </div>
          <div className={t.firstResponseMetPct !== null && t.firstResponseMetPct < promised ? 'bad' : undefined}>
            <dt>First response met</dt>
            <dd data-figure="first-response">{orDash(t.firstResponseMetPct, pct)}</dd>
          </div>
          <div className={t.resolutionMetPct !== null && t.resolutionMetPct < promised ? 'bad' : undefined}>
            <dt>Resolution met</dt>
            <dd data-figure="resolution">{orDash(t.resolutionMetPct, pct)}</dd>
          </div>
          <div>
            <dt>Median first reply</dt>
            <dd data-figure="median">{orDash(t.medianFirstResponseMinutes, minutes)}</dd>
          </div>
          <div>
            <dt>Conversations</dt>
            <dd data-figure="conversations">{t.conversations}</dd>
          </div>
          <div>
            <dt>Charter version</dt>
            <dd>{report.charterVersion}</dd>
          </div>
          <div>
            <dt>Time zone</dt>
            <dd data-figure="time-zone">{report.timeZone}</dd>
          </div>
        </dl>
      </section>

      <section aria-labelledby="sla-chart">
        <h2 id="sla-chart">Met per {report.bucket}</h2>
        <GroupedBarChart
          title={`Minimum targets met per ${report.bucket} (%)`}
          rowHeader={report.bucket === 'week' ? 'Week' : report.bucket === 'day' ? 'Day' : 'Month'}
          series={[
            { key: 'firstResponse', label: 'First response met' },
            { key: 'resolution', label: 'Resolution met' },
          ]}
          rows={report.buckets.map((b) => ({ label: label(b), values: { firstResponse: b.firstResponseMetPct, resolution: b.resolutionMetPct }, flagged: below(b) }))}
          max={100}
          format={pct}
          reference={{ value: promised, label: 'Charter promise' }}
          note="Oldest first. A bucket below the promise is marked ⚑. “No data”: nothing decided in that bucket."
        />
      </section>

      <section aria-labelledby="sla-table">
        <h2 id="sla-table">Per {report.bucket}</h2>
        <div className="table-scroll" tabIndex={0} role="region" aria-label={`Table: SLA figures per ${report.bucket}`}>
          <table className="report-table">
            <caption>SLA figures per {report.bucket}</caption>
            <thead>
              <tr>
                <th scope="col">{report.bucket === 'week' ? 'Week' : report.bucket === 'day' ? 'Day' : 'Month'}</th>
                <th scope="col">Conversations</th>
                <th scope="col">First response met</th>
                <th scope="col">Resolution met</th>
                <th scope="col">Median first reply</th>
                <th scope="col">90th percentile</th>
              </tr>
            </thead>
            <tbody>
              {report.buckets.map((b) => (
                <tr key={b.start} className={below(b) ? 'flagged' : undefined}>
                  <th scope="row">{below(b) ? `${label(b)} (below promise)` : label(b)}</th>
                  <td>{b.conversations}</td>
                  <td>{orDash(b.firstResponseMetPct, pct)}</td>
                  <td>{orDash(b.resolutionMetPct, pct)}</td>
                  <td>{orDash(b.medianFirstResponseMinutes, minutes)}</td>
                  <td>{orDash(b.p90FirstResponseMinutes, minutes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="sla-channels">
        <h2 id="sla-channels">Per channel, whole period</h2>
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Table: SLA figures per channel">
          <table className="report-table">
            <caption>SLA figures per channel</caption>
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">Conversations</th>
                <th scope="col">First response met</th>
                <th scope="col">Resolution met</th>
                <th scope="col">Median first reply</th>
                <th scope="col">90th percentile</th>
              </tr>
            </thead>
            <tbody>
              {t.channels.map((c) => (
                <tr key={c.channel}>
                  <th scope="row">{c.channel}</th>
                  <td>{c.conversations}</td>
                  <td>{orDash(c.firstResponseMetPct, pct)}</td>
                  <td>{orDash(c.resolutionMetPct, pct)}</td>
                  <td>{orDash(c.medianFirstResponseMinutes, minutes)}</td>
                  <td>{orDash(c.p90FirstResponseMinutes, minutes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
