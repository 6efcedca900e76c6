import type { z } from 'zod';
import { RepeatContactsReportSchema } from '../../../src/contracts/reports.ts';
import { Link } from '../router.tsx';
import { BarChart } from './charts/BarChart.tsx';
import { csvName, DownloadApiCsv } from './DownloadApiCsv.tsx';
import { apiQuery } from './range.ts';
import { ReportFrame, useReport } from './ReportFrame.tsx';
import { ReportTable, type Column } from './ReportTable.tsx';

type Repeat = z.infer<typeof RepeatContactsReportSchema>;

const pct = (v: number) => `${Number.isInteger(v) ? v : v.toFixed(1)}%`;
const orDash = (v: number | null, f: (v: number) => string) => (v === null ? '–' : f(v));
/** The four columns of each repeat-contact table: what the row is, conversations, repeats, share. */
function shareColumns<T extends { conversations: number; repeatContacts: number; repeatSharePct: number | null }>(header: string, label: (row: T) => string): Array<Column<T>> {
  return [
    { header, cell: label, rowHeader: true },
    { header: 'Conversations', cell: (r) => r.conversations },
    { header: 'Repeat contacts', cell: (r) => r.repeatContacts },
    { header: 'Share', cell: (r) => orDash(r.repeatSharePct, pct) },
  ];
}
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
        <ReportTable caption="Repeat contacts per week" columns={shareColumns<Repeat['weeks'][number]>('Week', (w) => `Week of ${w.start.slice(0, 10)}`)} rows={report.weeks} rowKey={(w) => w.start} />
      </section>

      <section aria-labelledby="repeat-channels">
        <h2 id="repeat-channels">Per channel</h2>
        <ReportTable caption="Repeat contacts per channel" columns={shareColumns<Repeat['channels'][number]>('Channel', (c) => c.channel)} rows={report.channels} rowKey={(c) => c.channel} />
      </section>

      <section aria-labelledby="repeat-bands">
        <h2 id="repeat-bands">Per customer value band</h2>
        <ReportTable
          caption="Repeat contacts per value band"
          columns={shareColumns<Repeat['spendBands'][number]>('Band (12-month spend, as in the parity report)', (b) => b.label)}
          rows={report.spendBands}
          rowKey={(b) => String(b.band)}
        />
      </section>

      <section aria-labelledby="repeat-reasons">
        <h2 id="repeat-reasons">Top reasons</h2>
        {report.topReasons.length === 0 ? (
          <p>No repeat contacts in this period.</p>
        ) : (
          <ReportTable
            caption="Top reasons for repeat contacts"
            columns={[
              { header: 'Reason (tag, or subject when untagged)', cell: (r) => r.reason, rowHeader: true },
              { header: 'Repeat contacts', cell: (r) => r.repeatContacts },
            ]}
            rows={report.topReasons}
            rowKey={(r) => r.reason}
          />
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
            <ReportTable
              caption="Root-cause cases opened"
              columns={[
                { header: 'Opened', cell: (c) => c.createdAt.slice(0, 10) },
                { header: 'Case', cell: (c) => <Link to={`/inbox/${c.id}`}>{c.subject}</Link>, rowHeader: true },
                { header: 'State', cell: (c) => STATUS[c.status] ?? c.status },
                { header: 'Linked conversations', cell: (c) => c.linkedConversations },
                { header: 'Customer', cell: (c) => <Link to={`/customers/${c.customerId}`}>Customer</Link> },
              ]}
              rows={cases.cases}
              rowKey={(c) => c.id}
            />
            {cases.opened > cases.cases.length && <p>The {cases.cases.length} most recent of {cases.opened} are listed.</p>}
          </>
        )}
      </section>
    </>
  );
}
