/**
 * The self-contained HTML report of `fairdesk analyze --report`: inline SVG bar charts of the
 * score distribution, findings by type and (when messages carry an `author`) score per agent.
 */
import type { ConversationAnalysis } from '../../domain/listening/index.ts';
import { FINDING_TYPES } from '../../domain/listening/index.ts';

/** What the report needs from each analysed conversation. */
export interface ReportItem {
  analysis: ConversationAnalysis;
  /** Agent authors of the conversation's messages (empty when none carry an author). */
  agents: string[];
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function barChart(title: string, bars: ReadonlyArray<{ label: string; value: number; note?: string }>): string {
  const rowH = 22;
  const labelW = 220;
  const barW = 420;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const h = bars.length * rowH + 10;
  const rows = bars.map((b, i) => {
    const w = Math.round((b.value / max) * barW);
    const y = i * rowH + 5;
    return `<text x="${labelW - 6}" y="${y + 15}" text-anchor="end">${esc(b.label)}</text>` +
      `<rect x="${labelW}" y="${y + 3}" width="${w}" height="${rowH - 6}" fill="#3b6ea5"><title>${esc(b.label)}: ${b.value}</title></rect>` +
      `<text x="${labelW + w + 6}" y="${y + 15}">${esc(b.note ?? String(b.value))}</text>`;
  });
  return `<figure><figcaption>${esc(title)}</figcaption><svg role="img" aria-label="${esc(title)}" width="${labelW + barW + 80}" height="${h}" font-size="12" font-family="sans-serif">${rows.join('')}</svg></figure>`;
}

/** Render the report as one HTML document with no external resources. */
export function renderReport(items: readonly ReportItem[], source: string): string {
  const n = items.length;
  const scores = items.map((i) => i.analysis.listeningScore);
  const mean = n === 0 ? 0 : scores.reduce((a, b) => a + b, 0) / n;
  const buckets = Array.from({ length: 10 }, (_, k) => ({ label: `${k * 10}–${k === 9 ? 100 : k * 10 + 9}`, value: 0 }));
  for (const s of scores) {
    const b = buckets[Math.min(9, Math.floor(s / 10))];
    if (b !== undefined) b.value++;
  }
  const byType = FINDING_TYPES.map((t) => ({ label: t, value: items.reduce((a, i) => a + i.analysis.findings.filter((f) => f.type === t).length, 0) }));
  const perAgent = new Map<string, { sum: number; n: number; findings: number }>();
  for (const i of items) {
    for (const a of new Set(i.agents)) {
      const cur = perAgent.get(a) ?? { sum: 0, n: 0, findings: 0 };
      cur.sum += i.analysis.listeningScore;
      cur.n++;
      cur.findings += i.analysis.findings.length;
      perAgent.set(a, cur);
    }
  }
  const agentBars = [...perAgent.entries()].sort((a, b) => a[0].localeCompare(b[0]))
    .map(([label, v]) => ({ label, value: Math.round(v.sum / v.n), note: `${Math.round(v.sum / v.n)} (${v.n} conversations, ${v.findings} findings)` }));
  const worst = [...items].filter((i) => i.analysis.findings.length > 0).slice(0, 50);
  const findingRows = worst.flatMap((i) => i.analysis.findings.map((f) =>
    `<tr><td>${esc(i.analysis.id ?? '')}</td><td>${esc(f.type)}</td><td>${f.messages.join(', ')}</td><td>${esc(f.evidence)}</td></tr>`));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fairdesk listening report</title>
<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}figure{margin:1.5em 0}figcaption{font-weight:bold;margin-bottom:.5em}table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:4px;vertical-align:top;text-align:left}</style>
</head><body>
<h1>Listening report</h1>
<p>Source: ${esc(source)} · ${n} conversations · mean listening score ${mean.toFixed(1)} (0–100, the agent's listening, not the customer's mood).</p>
${barChart('Listening score distribution (conversations per band)', buckets)}
${barChart('Findings by type', byType)}
${agentBars.length > 0 ? barChart('Mean listening score per agent', agentBars) : '<p>No message carries an <code>author</code>: no per-agent chart.</p>'}
<h2>Findings (first 50 conversations with findings)</h2>
<table><thead><tr><th>conversation</th><th>finding</th><th>messages</th><th>evidence</th></tr></thead><tbody>
${findingRows.join('\n')}
</tbody></table>
</body></html>
`;
}
