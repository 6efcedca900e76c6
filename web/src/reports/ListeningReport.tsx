import { useEffect, useState } from 'react';
import type { z } from 'zod';
import { AgentList } from '../../../src/contracts/agents.ts';
import { ListeningReportSchema } from '../../../src/contracts/reports.ts';
import { api } from '../api.ts';
import { humanize } from '../format.ts';
import { BarChart } from './charts/BarChart.tsx';
import { ReportFrame, useReport } from './ReportFrame.tsx';

type Listening = z.infer<typeof ListeningReportSchema>;

/** The tenant's agents by id, for names (the report names agents by id); empty until loaded. */
function useAgentNames(): Map<string, string> {
  const [names, setNames] = useState(new Map<string, string>());
  useEffect(() => {
    const ctl = new AbortController();
    (async () => {
      const found = new Map<string, string>();
      let cursor: string | null = null;
      // A few pages at most: a tenant's agents, not its customers.
      for (let page = 0; page < 10; page++) {
        const list: z.infer<typeof AgentList> = await api(AgentList, `/api/v1/agents?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { signal: ctl.signal });
        for (const a of list.data) found.set(a.id, a.name);
        cursor = list.nextCursor;
        if (!cursor) break;
      }
      setNames(found);
    })().catch(() => undefined); // without names, ids are shown
    return () => ctl.abort();
  }, []);
  return names;
}

/** Listening by agent: the mean listening score (lowest first) and the findings behind it, for coaching. */
export function ListeningReportPage() {
  const { state, range } = useReport(ListeningReportSchema, '/api/v1/reports/listening');
  const names = useAgentNames();
  return (
    <ReportFrame
      title="Listening by agent"
      intro="The mean listening score (0–100) of each agent's conversations, lowest first, and the findings behind it — for coaching, with the evidence in each conversation."
      state={state}
      range={range}
    >
      {(report) => <ListeningBody report={report} names={names} />}
    </ReportFrame>
  );
}

function ListeningBody({ report, names }: { report: Listening; names: Map<string, string> }) {
  const nameOf = (id: string | null) => (id === null ? 'Unassigned' : (names.get(id) ?? `Agent ${id.slice(-6)}`));
  const types = [...new Set(report.agents.flatMap((a) => Object.keys(a.findings)))].sort();
  const byType = types.map((t) => ({ label: humanize(t), value: report.agents.reduce((n, a) => n + (a.findings[t] ?? 0), 0) }));
  if (report.agents.length === 0) return <p>No analysed conversations in this period.</p>;
  return (
    <>
      <section aria-labelledby="listening-scores">
        <h2 id="listening-scores">Mean listening score</h2>
        <BarChart
          title="Mean listening score per agent, lowest first (0–100)"
          rowHeader="Agent"
          valueLabel="Mean score"
          data={report.agents.map((a) => ({ label: nameOf(a.agentId), value: a.meanScore }))}
          max={100}
        />
      </section>
      <section aria-labelledby="listening-findings">
        <h2 id="listening-findings">Findings by type</h2>
        {types.length === 0 ? (
          <p>No findings in this period.</p>
        ) : (
          <BarChart title="Findings by type, all agents" rowHeader="Finding" valueLabel="Findings" data={byType} integers />
        )}
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Table: Listening per agent">
          <table className="report-table">
            <caption>Listening per agent</caption>
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">Conversations</th>
                <th scope="col">Mean score</th>
                {types.map((t) => (
                  <th key={t} scope="col">
                    {humanize(t)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.agents.map((a) => (
                <tr key={a.agentId ?? 'unassigned'}>
                  <th scope="row">{nameOf(a.agentId)}</th>
                  <td>{a.conversations}</td>
                  <td>{a.meanScore ?? '–'}</td>
                  {types.map((t) => (
                    <td key={t}>{a.findings[t] ?? 0}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
