import { IncentivesReport as IncentivesReportSchema, type IncentivesReport } from '../../../src/contracts/offers.ts';
import { harmWords, incentivesCsv, percent, policyWords } from '../offers/words.ts';
import { BarChart } from './charts/BarChart.tsx';
import { GroupedBarChart } from './charts/GroupedBarChart.tsx';
import type { DayRange } from './range.ts';
import { ReportFrame, useReport } from './ReportFrame.tsx';

type Row = IncentivesReport['agents'][number];

/** Saves the report on screen as CSV (the same figures as the tables; the API answers JSON only). */
function DownloadCsv({ report, range }: { report: IncentivesReport; range: DayRange }) {
  const download = () => {
    const url = URL.createObjectURL(new Blob([incentivesCsv(report)], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `incentives${range.from ? `-${range.from}` : ''}${range.to ? `-to-${range.to}` : ''}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <p className="report-actions">
      <button type="button" onClick={download}>
        Download CSV
      </button>
    </p>
  );
}

/** Incentives net of harm: who sells, whether their sales hurt customers, and what credit they earn. */
export function IncentivesReportPage() {
  const { state, range } = useReport(IncentivesReportSchema, '/api/v1/reports/incentives');
  return (
    <ReportFrame
      title="Incentives and harmful sales"
      intro="Sales accepted in the period, per agent and per campaign: how many later harmed the customer (an early cancellation, a refund, an upheld complaint, benefits left unused), and the sales credit that vests, waits, is clawed back or withheld."
      state={state}
      range={range}
      defaultPeriod="the last 365 days"
      actions={state.kind === 'ready' ? <DownloadCsv report={state.data} range={range} /> : null}
    >
      {(report) => <IncentivesBody report={report} />}
    </ReportFrame>
  );
}

const rate = (v: number) => percent(v / 100);

function IncentivesBody({ report }: { report: IncentivesReport }) {
  const flagged = [...report.agents, ...report.campaigns].filter((r) => r.flagged);
  const p90 = report.p90HarmRate.agents;
  return (
    <>
      <section aria-labelledby="incentives-policy" className="report-summary">
        <h2 id="incentives-policy">The policy</h2>
        <p className="report-intro">{policyWords(report.policy)}</p>
        {flagged.length > 0 ? (
          <div className="report-alert" role="alert">
            <strong>
              {flagged.length === 1 ? '1 seller is flagged' : `${flagged.length} sellers are flagged`}: their credit is withheld until a lead reviews it.
            </strong>
            <ul>
              {flagged.map((r) => (
                <li key={r.id}>
                  {r.name}: {r.flagReason}
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <p className="report-ok">No agent or campaign is flagged in this period.</p>
        )}
        <dl className="figures">
          <div>
            <dt>Sales</dt>
            <dd data-figure="sales">{report.totals.sales}</dd>
          </div>
          <div>
            <dt>Harmful sales</dt>
            <dd data-figure="harmful">{report.totals.harmfulSales}</dd>
          </div>
          <div>
            <dt>Harm rate</dt>
            <dd data-figure="harm-rate">{percent(report.totals.harmRate)}</dd>
          </div>
          <div>
            <dt>90th percentile of agents' harm rates</dt>
            <dd data-figure="p90">{p90 === null ? '–' : percent(p90)}</dd>
          </div>
        </dl>
      </section>

      {report.agents.length === 0 ? (
        <p>No sale was accepted in this period.</p>
      ) : (
        <>
          <section aria-labelledby="harm-rate">
            <h2 id="harm-rate">Harm rate per agent</h2>
            <BarChart
              title="Harm rate per agent (% of their sales)"
              rowHeader="Agent"
              valueLabel="Harm rate"
              data={report.agents.map((a) => ({ label: a.name, value: Math.round(a.harmRate * 1000) / 10, flagged: a.flagged }))}
              format={rate}
              {...(p90 === null ? {} : { reference: { value: Math.round(p90 * 1000) / 10, label: '90th percentile of agents' } })}
              note={`Only agents with at least ${report.policy.minSalesForFlag} sales are compared; a flagged agent is marked ⚑, outlined and named in the table.`}
            />
          </section>
          <section aria-labelledby="sales-vs-harm">
            <h2 id="sales-vs-harm">Sales and harmful sales per agent</h2>
            <GroupedBarChart
              title="Sales and harmful sales per agent"
              rowHeader="Agent"
              integers
              series={[
                { key: 'sales', label: 'Sales' },
                { key: 'harmful', label: 'Harmful sales' },
              ]}
              rows={report.agents.map((a) => ({ label: a.name, values: { sales: a.sales, harmful: a.harmfulSales }, flagged: a.flagged }))}
            />
          </section>
        </>
      )}
      <IncentiveTable caption="Incentives per agent" header="Agent" rows={report.agents} />
      <IncentiveTable caption="Incentives per campaign" header="Campaign" rows={report.campaigns} />
      <p className="hint">
        Credit counts sales: vested (held up {report.policy.vestingDays} days without harm), pending (younger, no harm yet), clawed back (harmful), withheld (vested but
        flagged), payable (vested less withheld).
      </p>
    </>
  );
}

function IncentiveTable({ caption, header, rows }: { caption: string; header: string; rows: Row[] }) {
  const id = caption.toLowerCase().replace(/\W+/g, '-');
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{caption}</h2>
      {rows.length === 0 ? (
        <p>None in this period.</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={`Table: ${caption}`}>
          <table className="report-table">
            <caption>{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{header}</th>
                <th scope="col">Sales</th>
                <th scope="col">Harmful</th>
                <th scope="col">Harm rate</th>
                <th scope="col">Vested</th>
                <th scope="col">Pending</th>
                <th scope="col">Clawed back</th>
                <th scope="col">Withheld</th>
                <th scope="col">Payable</th>
                <th scope="col">Harms</th>
                <th scope="col">Flagged</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} className={r.flagged ? 'flagged' : undefined}>
                  <th scope="row">{r.name}</th>
                  <td>{r.sales}</td>
                  <td>{r.harmfulSales}</td>
                  <td>{percent(r.harmRate)}</td>
                  <td>{r.vested}</td>
                  <td>{r.pending}</td>
                  <td>{r.clawedBack}</td>
                  <td>{r.withheld}</td>
                  <td>{r.payable}</td>
                  <td>
                    {Object.entries(r.harmsByKind)
                      .filter(([, n]) => n > 0)
                      .map(([k, n]) => `${harmWords(k)}: ${n}`)
                      .join('; ') || 'none'}
                  </td>
                  <td>{r.flagged ? `⚑ Yes: ${r.flagReason ?? ''}` : 'No'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
