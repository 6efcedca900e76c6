import type { z } from 'zod';
import { ParityReportSchema } from '../../../src/contracts/reports.ts';
import { formatMoney } from '../format.ts';
import { BarChart } from './charts/BarChart.tsx';
import { GroupedBarChart } from './charts/GroupedBarChart.tsx';
import { apiQuery, type DayRange } from './range.ts';
import { disparity } from './parity.ts';
import { ReportFrame, useReport } from './ReportFrame.tsx';
import { csvName, DownloadApiCsv } from './DownloadApiCsv.tsx';

type Parity = z.infer<typeof ParityReportSchema>;
type Band = Parity['bands'][number];

const pct = (v: number) => `${Number.isInteger(v) ? v : v.toFixed(1)}%`;
const minutes = (v: number) => `${Math.round(v)} min`;

function spendRange(band: Band, currency: string | null): string {
  if (!band.spendRangeMinor) return 'no spend';
  if (!currency) return `${band.spendRangeMinor.min}–${band.spendRangeMinor.max}`;
  return `${formatMoney(band.spendRangeMinor.min, currency)} – ${formatMoney(band.spendRangeMinor.max, currency)}`;
}

/** The same report as CSV, from the API (it answers CSV to Accept: text/csv). */
function DownloadCsv({ range }: { range: DayRange }) {
  return <DownloadApiCsv url={`/api/v1/reports/parity${apiQuery(range)}`} fileName={csvName('parity', range)} />;
}

/** Parity: the minimum commitments met for every customer value band, the lowest as well as the highest. */
export function ParityReportPage() {
  const { state, range } = useReport(ParityReportSchema, '/api/v1/reports/parity');
  return (
    <ReportFrame
      title="Parity by customer value band"
      intro="Is the charter's minimum met for every customer, whatever they spend? Bands by trailing-12-month spend; a band below the promise, or more than 5 points below the best band, is flagged."
      state={state}
      range={range}
      actions={<DownloadCsv range={range} />}
    >
      {(report) => <ParityBody report={report} />}
    </ReportFrame>
  );
}

function ParityBody({ report }: { report: Parity }) {
  const gap = disparity(report.bands);
  // The charter states its promise as a share (0.95); the bands' figures are percentages.
  const promised = Math.round(report.promisedAttainment * 1000) / 10;
  const flagged = report.bands.filter((b) => b.flagged);
  const total = report.bands.reduce((n, b) => n + b.conversations, 0);
  return (
    <>
      <section aria-labelledby="parity-summary" className="report-summary">
        <h2 id="parity-summary">Disparity</h2>
        {report.flagged ? (
          <div className="report-alert" role="alert">
            <strong>
              {flagged.length === 1 ? '1 band is' : `${flagged.length} bands are`} below the minimum: {flagged.map((b) => b.label).join(', ')}.
            </strong>
            <ul>
              {flagged.flatMap((b) => b.flags.map((f, i) => <li key={`${b.band}-${i}`}>{b.label}: {f}</li>))}
            </ul>
          </div>
        ) : (
          <p className="report-ok">Every band met the charter's minimum in this period.</p>
        )}
        <dl className="figures">
          <div>
            <dt>Promised attainment</dt>
            <dd data-figure="promised">{pct(promised)}</dd>
          </div>
          <div>
            <dt>First response met: gap, best to worst band</dt>
            <dd data-figure="gap">{gap.gapPoints === null ? '–' : `${gap.gapPoints} points`}</dd>
          </div>
          <div>
            <dt>Best band (first response met)</dt>
            <dd>{gap.best ? `${gap.best.label} (${pct(gap.best.firstResponseMetPct!)})` : '–'}</dd>
          </div>
          <div>
            <dt>Worst band (first response met)</dt>
            <dd>{gap.worst ? `${gap.worst.label} (${pct(gap.worst.firstResponseMetPct!)})` : '–'}</dd>
          </div>
          <div>
            <dt>Conversations</dt>
            <dd data-figure="conversations">{total}</dd>
          </div>
          <div>
            <dt>Charter version</dt>
            <dd>{report.charterVersion}</dd>
          </div>
        </dl>
      </section>

      <section aria-labelledby="parity-attainment">
        <h2 id="parity-attainment">Commitments met per band</h2>
        <GroupedBarChart
          title="Minimum commitments met, per value band (%)"
          rowHeader="Band"
          series={[
            { key: 'firstResponse', label: 'First response met' },
            { key: 'resolution', label: 'Resolution met' },
          ]}
          rows={report.bands.map((b) => ({ label: b.label, values: { firstResponse: b.firstResponseMetPct, resolution: b.resolutionMetPct }, flagged: b.flagged }))}
          max={100}
          format={pct}
          reference={{ value: promised, label: 'Charter promise' }}
        />
      </section>

      <section aria-labelledby="parity-time">
        <h2 id="parity-time">First-reply time per band</h2>
        <BarChart
          title="Median first-reply time, per value band (minutes)"
          rowHeader="Band"
          valueLabel="Median first reply"
          data={report.bands.map((b) => ({ label: b.label, value: b.medianFirstResponseMinutes, flagged: b.flagged }))}
          format={minutes}
        />
      </section>

      <section aria-labelledby="parity-table">
        <h2 id="parity-table">All figures</h2>
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Table: Parity figures per band">
          <table className="report-table">
            <caption>Parity figures per band</caption>
            <thead>
              <tr>
                <th scope="col">Band</th>
                <th scope="col">Spend (12 months)</th>
                <th scope="col">Conversations</th>
                <th scope="col">First response met</th>
                <th scope="col">Resolution met</th>
                <th scope="col">Median first reply</th>
                <th scope="col">90th percentile</th>
                <th scope="col">Exceptions</th>
                <th scope="col">Repeat contacts</th>
                <th scope="col">Flags</th>
              </tr>
            </thead>
            <tbody>
              {report.bands.map((b) => (
                <tr key={b.band} className={b.flagged ? 'flagged' : undefined}>
                  <th scope="row">{b.label}</th>
                  <td>{spendRange(b, report.currency)}</td>
                  <td>{b.conversations}</td>
                  <td>{b.firstResponseMetPct === null ? '–' : pct(b.firstResponseMetPct)}</td>
                  <td>{b.resolutionMetPct === null ? '–' : pct(b.resolutionMetPct)}</td>
                  <td>{b.medianFirstResponseMinutes === null ? '–' : minutes(b.medianFirstResponseMinutes)}</td>
                  <td>{b.p90FirstResponseMinutes === null ? '–' : minutes(b.p90FirstResponseMinutes)}</td>
                  <td>{b.exceptions}</td>
                  <td>{b.failureDemand}</td>
                  <td>
                    {b.flagged ? (
                      <ul className="flag-list">
                        {b.flags.map((f, i) => (
                          <li key={i}>{f}</li>
                        ))}
                      </ul>
                    ) : (
                      'none'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
