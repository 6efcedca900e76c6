import type { z } from 'zod';
import { RepeatContactsReportSchema } from '../../../src/contracts/reports.ts';
import { Link } from '../router.tsx';
import { BarChart } from './charts/BarChart.tsx';
import { csvName, DownloadApiCsv } from './DownloadApiCsv.tsx';
import { apiQuery } from './range.ts';
import { ReportFrame, useReport } from './ReportFrame.tsx';

type Repeat = z.infer<typeof RepeatContactsReportSchema>;

const pct = (v: number) => `${Number.isInteger(v) ? v : v.toFixed(1)}%`;
const orDash = (v: number | null, f: (v: number) => string) => (v === null ? '–' : f(v));
const STATUS: Record<string, string> = { open: 'Open', pending: 'Pending', resolved: 'Resolved', closed: 'Closed' };

/** Repeat contacts: failure demand under the charter's repeat-contact rule, and what was done about it. */
export function RepeatContactsReportPage() {
  const { state, range } = useReport(RepeatContactsReportSchema, '/api/v1/reports/repeat-contacts');
  return (
    <ReportFrame
      title="Repeat contacts"
      intro="A customer who has to come back is failure demand: something did not work for them. A conversation is a repeat contact when the same customer opened another one within the charter's repeat-contact window before it; reaching the rule opens a root-cause case."
      state={state}
      range={range}
      actions={<DownloadApiCsv url={`/api/v1/reports/repeat-contacts${apiQuery(range)}`} fileName={csvName('repeat-contacts', range)} />}
    >
      {(report) => <RepeatBody report={report} />}
    </ReportFrame>
  );
}

function RepeatBody({ report }: { report: Repeat }) {
  const cases = report.rootCauseCases;
  return (
    <>
      <section aria-labelledby="repeat-summary" className="report-summary">
        <h2 id="repeat-summary">The period</h2>
        <p>
          The charter's rule: {report.rule.conversations} conversations within {report.rule.days} days opens a root-cause case (charter version {report.charterVersion}).
        </p>
        <dl className="figures">
          <div>
            <dt>Conversations</dt>
            <dd data-figure="conversations">{report.conversations}</dd>
          </div>
          <div>
            <dt>Repeat contacts</dt>
            <dd data-figure="repeats">{report.repeatContacts}</dd>
          </div>
          <div>
            <dt>Share that are repeats</dt>
            <dd data-figure="share">{orDash(report.repeatSharePct, pct)}</dd>
          </div>
          <div>
            <dt>Customers who came back</dt>
            <dd data-figure="repeat-customers">{report.repeatCustomers}</dd>
          </div>
          <div>
            <dt>Customers who reached the rule</dt>
            <dd data-figure="at-rule">{report.customersAtRule}</dd>
          </div>
          <div>
            <dt>Root-cause cases opened</dt>
            <dd data-figure="cases">{cases.opened}</dd>
          </div>
        </dl>
      </section>

      <section aria-labelledby="repeat-weeks">
        <h2 id="repeat-weeks">Week by week</h2>
        {report.conversations === 0 ? (
          <p>No conversations were opened in this period.</p>
        ) : (
          <BarChart
            title="Share of conversations that are repeat contacts, per week (%)"
            rowHeader="Week"
            valueLabel="Repeat contacts"
            data={report.weeks.map((w) => ({ label: `Week of ${w.start.slice(0, 10)}`, value: w.repeatSharePct }))}
            format={pct}
            note="Weeks from Monday (UTC), oldest first. “No data”: no conversation that week."
          />
        )}
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Table: Repeat contacts per week">
          <table className="report-table">
            <caption>Repeat contacts per week</caption>
            <thead>
              <tr>
                <th scope="col">Week</th>
                <th scope="col">Conversations</th>
                <th scope="col">Repeat contacts</th>
                <th scope="col">Share</th>
              </tr>
            </thead>
            <tbody>
              {report.weeks.map((w) => (
                <tr key={w.start}>
                  <th scope="row">Week of {w.start.slice(0, 10)}</th>
                  <td>{w.conversations}</td>
                  <td>{w.repeatContacts}</td>
                  <td>{orDash(w.repeatSharePct, pct)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="repeat-channels">
        <h2 id="repeat-channels">Per channel</h2>
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Table: Repeat contacts per channel">
          <table className="report-table">
            <caption>Repeat contacts per channel</caption>
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">Conversations</th>
                <th scope="col">Repeat contacts</th>
                <th scope="col">Share</th>
              </tr>
            </thead>
            <tbody>
              {report.channels.map((c) => (
                <tr key={c.channel}>
                  <th scope="row">{c.channel}</th>
                  <td>{c.conversations}</td>
                  <td>{c.repeatContacts}</td>
                  <td>{orDash(c.repeatSharePct, pct)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="repeat-bands">
        <h2 id="repeat-bands">Per customer value band</h2>
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Table: Repeat contacts per value band">
          <table className="report-table">
            <caption>Repeat contacts per value band</caption>
            <thead>
              <tr>
                <th scope="col">Band (12-month spend, as in the parity report)</th>
                <th scope="col">Conversations</th>
                <th scope="col">Repeat contacts</th>
                <th scope="col">Share</th>
              </tr>
            </thead>
            <tbody>
              {report.spendBands.map((b) => (
                <tr key={b.band}>
                  <th scope="row">{b.label}</th>
                  <td>{b.conversations}</td>
                  <td>{b.repeatContacts}</td>
                  <td>{orDash(b.repeatSharePct, pct)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="repeat-reasons">
        <h2 id="repeat-reasons">Top reasons</h2>
        {report.topReasons.length === 0 ? (
          <p>No repeat contacts in this period.</p>
        ) : (
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Table: Top reasons for repeat contacts">
            <table className="report-table">
              <caption>Top reasons for repeat contacts</caption>
              <thead>
                <tr>
                  <th scope="col">Reason (tag, or subject when untagged)</th>
                  <th scope="col">Repeat contacts</th>
                </tr>
              </thead>
              <tbody>
                {report.topReasons.map((r) => (
                  <tr key={r.reason}>
                    <th scope="row">{r.reason}</th>
                    <td>{r.repeatContacts}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="repeat-cases">
        <h2 id="repeat-cases">Root-cause cases</h2>
        {cases.opened === 0 ? (
          <p>No root-cause case was opened in this period.</p>
        ) : (
          <>
            <p data-figure="cases-by-status">
              {Object.entries(cases.byStatus)
                .map(([status, n]) => `${STATUS[status] ?? status}: ${n}`)
                .join(' · ')}
            </p>
            <div className="table-scroll" tabIndex={0} role="region" aria-label="Table: Root-cause cases opened">
              <table className="report-table">
                <caption>Root-cause cases opened</caption>
                <thead>
                  <tr>
                    <th scope="col">Opened</th>
                    <th scope="col">Case</th>
                    <th scope="col">State</th>
                    <th scope="col">Linked conversations</th>
                    <th scope="col">Customer</th>
                  </tr>
                </thead>
                <tbody>
                  {cases.cases.map((c) => (
                    <tr key={c.id}>
                      <td>{c.createdAt.slice(0, 10)}</td>
                      <th scope="row">
                        <Link to={`/inbox/${c.id}`}>{c.subject}</Link>
                      </th>
                      <td>{STATUS[c.status] ?? c.status}</td>
                      <td>{c.linkedConversations}</td>
                      <td>
                        <Link to={`/customers/${c.customerId}`}>Customer</Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {cases.opened > cases.cases.length && <p>The {cases.cases.length} most recent of {cases.opened} are listed.</p>}
          </>
        )}
      </section>
    </>
  );
}
