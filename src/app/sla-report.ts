import type { z } from 'zod';
import type { SlaReportSchema } from '../contracts/reports.ts';
import { bucketsOf, isKnownZone, type BucketUnit } from '../domain/report-buckets.ts';
import { slaGroups, type SlaGroup } from '../db/repositories/sla-report.ts';
import { loadCharterInEffect } from './charter-cache.ts';
import { NotFoundError, UnprocessableError } from './errors.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

export type SlaReport = z.infer<typeof SlaReportSchema>;

/** The most buckets one report answers (a year and a month of days; decades of weeks). */
export const MAX_BUCKETS = 400;

/** Percent of decided, one decimal, as the parity report rounds it. */
const pct = (met: number, decided: number): number | null => (decided === 0 ? null : Math.round((1000 * met) / decided) / 10);
const round = (v: number | null): number | null => (v === null ? null : Math.round(v));

function figures(g: SlaGroup | undefined) {
  return {
    conversations: g?.conversations ?? 0,
    firstResponseMetPct: g ? pct(g.frMet, g.frDecided) : null,
    resolutionMetPct: g ? pct(g.resMet, g.resDecided) : null,
    medianFirstResponseMinutes: round(g?.medianFrm ?? null),
    p90FirstResponseMinutes: round(g?.p90Frm ?? null),
  };
}

/**
 * SLA attainment over time: per bucket of local days, weeks or months (by conversation creation time,
 * in the zone asked for, else the charter's business-hours zone), how often the charter's
 * MINIMUM first-response and resolution targets were met — counted as the parity report counts them —
 * with the median and 90th percentile of business minutes to the first reply, also per channel.
 * Every bucket of the period is listed, empty ones included, so a series has no silent gaps.
 */
export async function slaReport(
  scope: TenantScope,
  query: { from?: string | undefined; to?: string | undefined; bucket?: BucketUnit | undefined; timeZone?: string | undefined },
  now = new Date(),
): Promise<SlaReport> {
  const to = query.to ? new Date(query.to) : now;
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 90 * 86_400_000);
  const unit = query.bucket ?? 'week';
  if (from.getTime() >= to.getTime()) {
    throw new UnprocessableError('the period is empty: from must be before to', [{ parameter: 'from', detail: 'must be before to' }]);
  }
  if (query.timeZone !== undefined && !isKnownZone(query.timeZone)) {
    throw new UnprocessableError(`unknown time zone "${query.timeZone}"`, [{ parameter: 'timeZone', detail: 'is not an IANA time zone (e.g. "Europe/London")' }]);
  }
  return inTenantTx(scope, async (tx) => {
    const loaded = await loadCharterInEffect(tx, scope.tenantId, now);
    if (!loaded) throw new NotFoundError('charter', '(none published yet)');
    const timeZone = query.timeZone ?? loaded.charter.businessHours.timeZone;
    const buckets = bucketsOf(from, to, unit, MAX_BUCKETS, timeZone);
    if (!buckets) {
      throw new UnprocessableError(`the period has more than ${MAX_BUCKETS} buckets of a ${unit}`, [
        { parameter: 'bucket', detail: `more than ${MAX_BUCKETS} ${unit}s in the period: choose a longer bucket or a shorter period` },
      ]);
    }
    const groups = await slaGroups(tx, scope.tenantId, from, to, buckets.map((b) => new Date(b.key)), now);
    const key = (bucket: Date | null, channel: string | null) => `${bucket?.getTime() ?? '-'}|${channel ?? '-'}`;
    const byKey = new Map(groups.map((g) => [key(g.bucket, g.channel), g]));
    const channelsOf = (bucket: Date | null) =>
      groups.filter((g) => g.channel !== null && (g.bucket?.getTime() ?? null) === (bucket?.getTime() ?? null)).map((g) => ({ channel: g.channel!, ...figures(g) }));
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      bucket: unit,
      timeZone,
      charterVersion: loaded.version,
      promisedAttainment: loaded.charter.minimum.attainment,
      total: { ...figures(byKey.get(key(null, null))), channels: channelsOf(null) },
      buckets: buckets.map((b) => {
        const start = new Date(b.key);
        return {
          start: b.start.toISOString(),
          end: b.end.toISOString(),
          ...figures(byKey.get(key(start, null))),
          channels: channelsOf(start),
        };
      }),
    };
  });
}

/** The report as CSV: one row per bucket (channel "all") and per bucket and channel, then the period's totals. */
export function slaCsv(report: SlaReport): string {
  const header = ['bucket_start', 'bucket_end', 'channel', 'conversations', 'first_response_met_pct', 'resolution_met_pct', 'median_first_response_minutes', 'p90_first_response_minutes'];
  type Row = ReturnType<typeof figures>;
  const line = (start: string, end: string, channel: string, f: Row) =>
    [start, end, channel, f.conversations, f.firstResponseMetPct, f.resolutionMetPct, f.medianFirstResponseMinutes, f.p90FirstResponseMinutes].map((v) => (v === null ? '' : String(v))).join(',');
  const rows = report.buckets.flatMap((b) => [line(b.start, b.end, 'all', b), ...b.channels.map((c) => line(b.start, b.end, c.channel, c))]);
  rows.push(line(report.from, report.to, 'all', report.total), ...report.total.channels.map((c) => line(report.from, report.to, c.channel, c)));
  return `${[header.join(','), ...rows].join('\n')}\n`;
}
