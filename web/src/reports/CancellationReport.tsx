import type { z } from 'zod';
import { CancellationReportSchema } from '../../../src/contracts/reports.ts';
import { humanize } from '../format.ts';
import { StackedBarChart } from './charts/StackedBarChart.tsx';
import { ReportFrame, useReport } from './ReportFrame.tsx';

type Cancellations = z.infer<typeof CancellationReportSchema>;

const orDash = (v: number | null, unit = '') => (v === null ? '–' : v > 0 && v < 0.1 ? `under 0.1${unit}` : `${Number.isInteger(v) ? v : v.toFixed(1)}${unit}`);

/** Cancellation flow health: is leaving easy, on every channel, and does billing stop? */
export function CancellationReportPage() {
  const { state, range } = useReport(CancellationReportSchema, '/api/v1/reports/cancellations');
  return (
    <ReportFrame
      title="Cancellation flow health"
      intro="Attempts to cancel started in the period, per channel: how many were confirmed or abandoned, how many clicks and seconds confirming took, what was shown and what came of it — and whether any charge followed a cancellation."
      state={state}
      range={range}
    >
      {(report) => <CancellationBody report={report} />}
    </ReportFrame>
  );
}

function CancellationBody({ report }: { report: Cancellations }) {
  const charges = report.chargesAfterCancellation;
  const requests = report.cancelRequests;
  return (
    <>
      <section aria-labelledby="charges-after" className="report-summary">
        <h2 id="charges-after">Charges after cancellation</h2>
        {charges.outstanding > 0 ? (
          <div className="report-alert" role="alert">
            <strong>
              {charges.outstanding === 1 ? '1 charge' : `${charges.outstanding} charges`} after a cancellation not yet refunded.
            </strong>{' '}
            Billing must stop at the effective date: the reconciliation job refunds these; check that it runs.
          </div>
        ) : (
          <p className="report-ok">No charge after a cancellation is outstanding.</p>
        )}
        <dl className="figures">
          <div>
            <dt>Found</dt>
            <dd data-figure="charges-found">{charges.found}</dd>
          </div>
          <div>
            <dt>Refunded</dt>
            <dd data-figure="charges-refunded">{charges.refunded}</dd>
          </div>
          <div className={charges.outstanding > 0 ? 'bad' : undefined}>
            <dt>Outstanding (must be 0)</dt>
            <dd data-figure="charges-outstanding">{charges.outstanding}</dd>
          </div>
        </dl>
      </section>

      <section aria-labelledby="attempts">
        <h2 id="attempts">Attempts per channel</h2>
        {report.channels.length === 0 ? (
          <p>No cancellation was started in this period.</p>
        ) : (
          <StackedBarChart
            title="Cancellation attempts per channel: confirmed, abandoned, other"
            rowHeader="Channel"
            integers
            series={[
              { key: 'confirmed', label: 'Confirmed' },
              { key: 'abandoned', label: 'Abandoned (over 24 h, no answer)' },
              { key: 'other', label: 'Withdrawn, kept or in progress' },
            ]}
            rows={report.channels.map((c) => ({
              label: humanize(c.channel),
              values: { confirmed: c.confirmed, abandoned: c.abandoned, other: Math.max(0, c.started - c.confirmed - c.abandoned) },
            }))}
          />
        )}
      </section>

      {report.channels.length > 0 && (
        <section aria-labelledby="flow">
          <h2 id="flow">The flow, per channel</h2>
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Table: Cancellation flow per channel">
            <table className="report-table">
              <caption>Cancellation flow per channel</caption>
              <thead>
                <tr>
                  <th scope="col">Channel</th>
                  <th scope="col">Started</th>
                  <th scope="col">Confirmed</th>
                  <th scope="col">Abandoned</th>
                  <th scope="col">Withdrawn</th>
                  <th scope="col">Reversed</th>
                  <th scope="col">Median clicks to confirm</th>
                  <th scope="col">Median seconds to confirm</th>
                  <th scope="col">Clarifications shown / declined</th>
                  <th scope="col">Offers shown / accepted / declined</th>
                  <th scope="col">Post-save regret</th>
                </tr>
              </thead>
              <tbody>
                {report.channels.map((c) => (
                  <tr key={c.channel}>
                    <th scope="row">{humanize(c.channel)}</th>
                    <td>{c.started}</td>
                    <td>{c.confirmed}</td>
                    <td>{c.abandoned}</td>
                    <td>{c.withdrawn}</td>
                    <td>{c.reversed}</td>
                    <td>{orDash(c.medianClicks)}</td>
                    <td>{orDash(c.medianSecondsToConfirm, ' s')}</td>
                    <td>
                      {c.clarifications.shown} / {c.clarifications.declined}
                    </td>
                    <td>
                      {c.offers.shown} / {c.offers.accepted} / {c.offers.declined}
                    </td>
                    <td>{c.postSaveRegret}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="hint">
            Clicks: the steps from asking to confirming (ask, decline or accept, confirm). Post-save regret: an accepted offer followed by a confirmed cancellation
            of the same subscription within 60 days.
          </p>
        </section>
      )}

      <section aria-labelledby="agent-side">
        <h2 id="agent-side">Cancel requests in conversations (the agent side)</h2>
        {requests.breached > 0 && (
          <div className="report-alert" role="alert">
            <strong>{requests.breached === 1 ? '1 cancel request was' : `${requests.breached} cancel requests were`} not carried out the same business day.</strong>
          </div>
        )}
        <dl className="figures">
          <div>
            <dt>Raised</dt>
            <dd data-figure="requests-raised">{requests.raised}</dd>
          </div>
          <div>
            <dt>Carried out</dt>
            <dd data-figure="requests-carried-out">{requests.carriedOut}</dd>
          </div>
          <div>
            <dt>Dismissed</dt>
            <dd>{requests.dismissed}</dd>
          </div>
          <div>
            <dt>Open</dt>
            <dd data-figure="requests-open">{requests.open}</dd>
          </div>
          <div className={requests.breached > 0 ? 'bad' : undefined}>
            <dt>Late (past the same business day)</dt>
            <dd>{requests.breached}</dd>
          </div>
          <div>
            <dt>Median hours to carry out</dt>
            <dd>{orDash(requests.medianHoursToCarryOut, ' h')}</dd>
          </div>
        </dl>
      </section>
    </>
  );
}
