import { parityBands, type ParityBand } from '../domain/parity.ts';
import { parityFigures } from '../db/repositories/reports.ts';
import { loadCharterInEffect } from './charter-cache.ts';
import { charterCurrency } from './customer-facts.ts';
import { NotFoundError, UnprocessableError } from './errors.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

export interface ParityReport {
  from: string;
  to: string;
  charterVersion: number;
  promisedAttainment: number;
  currency: string | null;
  bands: ParityBand[];
  flagged: boolean;
}

/**
 * The parity report: is the minimum commitment met for every customer value band, the lowest as
 * well as the highest? Flags a band below the charter's promised attainment or more than 5 points
 * below the best band.
 */
export async function parityReport(scope: TenantScope, range: { from?: string | undefined; to?: string | undefined }, now = new Date()): Promise<ParityReport> {
  const to = range.to ? new Date(range.to) : now;
  const from = range.from ? new Date(range.from) : new Date(to.getTime() - 90 * 86_400_000);
  if (from.getTime() >= to.getTime()) {
    throw new UnprocessableError('the period is empty: from must be before to', [{ parameter: 'from', detail: 'must be before to' }]);
  }
  return inTenantTx(scope, async (tx) => {
    const loaded = await loadCharterInEffect(tx, scope.tenantId, now);
    if (!loaded) throw new NotFoundError('charter', '(none published yet)');
    const figures = await parityFigures(tx, scope.tenantId, from, to, now);
    const bands = parityBands(figures, loaded.charter.minimum.attainment);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      charterVersion: loaded.version,
      promisedAttainment: loaded.charter.minimum.attainment,
      currency: charterCurrency(loaded.charter),
      bands,
      flagged: bands.some((b) => b.flagged),
    };
  });
}

/** The report as CSV, one row per band, for spreadsheets. */
export function parityCsv(report: ParityReport): string {
  const header = ['band', 'label', 'min_spend_minor', 'max_spend_minor', 'conversations', 'first_response_met_pct', 'resolution_met_pct', 'median_first_response_minutes', 'p90_first_response_minutes', 'exceptions', 'failure_demand', 'flagged', 'flags'];
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const rows = report.bands.map((b) =>
    [b.band, b.label, b.spendRangeMinor?.min, b.spendRangeMinor?.max, b.conversations, b.firstResponseMetPct, b.resolutionMetPct, b.medianFirstResponseMinutes, b.p90FirstResponseMinutes, b.exceptions, b.failureDemand, b.flagged, b.flags.join('; ')].map(cell).join(','),
  );
  return `${[header.join(','), ...rows].join('\n')}\n`;
}
