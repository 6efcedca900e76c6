import type { CancellationReport } from './cancellation-report.ts';
import type { ListeningReport } from './listening-report.ts';

/** One CSV cell: empty for null, quoted when it holds a comma, quote or line break. */
export function csvCell(value: unknown): string {
  const s = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return `${[header.join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\n')}\n`;
}

/** Listening per agent: one row per agent, one column per finding type seen in the period. */
export function listeningCsv(report: ListeningReport): string {
  const types = [...new Set(report.agents.flatMap((a) => Object.keys(a.findings)))].sort();
  return toCsv(
    ['from', 'to', 'agent_id', 'conversations', 'mean_score', ...types.map((t) => `findings_${t}`)],
    report.agents.map((a) => [report.from, report.to, a.agentId, a.conversations, a.meanScore, ...types.map((t) => a.findings[t] ?? 0)]),
  );
}

/**
 * Cancellation flow health: one row per channel. The tenant-wide figures (charges after
 * cancellation, cancel requests in conversations) are the same on every row.
 */
export function cancellationCsv(report: CancellationReport): string {
  const c = report.chargesAfterCancellation;
  const r = report.cancelRequests;
  const wide = [c.found, c.refunded, c.outstanding, r.raised, r.carriedOut, r.dismissed, r.open, r.breached, r.medianHoursToCarryOut];
  return toCsv(
    [
      'from', 'to', 'channel', 'started', 'confirmed', 'median_clicks', 'median_seconds_to_confirm', 'abandoned', 'withdrawn', 'reversed',
      'clarifications_shown', 'clarifications_declined', 'offers_shown', 'offers_accepted', 'offers_declined', 'post_save_regret',
      'charges_after_cancellation_found', 'charges_after_cancellation_refunded', 'charges_after_cancellation_outstanding',
      'cancel_requests_raised', 'cancel_requests_carried_out', 'cancel_requests_dismissed', 'cancel_requests_open', 'cancel_requests_breached',
      'cancel_requests_median_hours_to_carry_out',
    ],
    report.channels.map((ch) => [
      report.from, report.to, ch.channel, ch.started, ch.confirmed, ch.medianClicks, ch.medianSecondsToConfirm, ch.abandoned, ch.withdrawn, ch.reversed,
      ch.clarifications.shown, ch.clarifications.declined, ch.offers.shown, ch.offers.accepted, ch.offers.declined, ch.postSaveRegret, ...wide,
    ]),
  );
}
