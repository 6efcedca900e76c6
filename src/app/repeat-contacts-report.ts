import type { z } from 'zod';
import type { RepeatContactsReportSchema } from '../contracts/reports.ts';
import { bucketsOf } from '../domain/report-buckets.ts';
import { LABELS } from '../domain/parity.ts';
import { repeatFigures } from '../db/repositories/repeat-contacts-report.ts';
import { loadCharterInEffect } from './charter-cache.ts';
import { NotFoundError, UnprocessableError } from './errors.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

export type RepeatContactsReport = z.infer<typeof RepeatContactsReportSchema>;

const share = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((1000 * part) / whole) / 10);

/**
 * Repeat contacts — failure demand — under the charter's repeat-contact rule in effect: how many of
 * the period's conversations came within the rule's window after an earlier one of the same customer,
 * per channel and per week (UTC, from Monday), their most frequent tags, how many customers reached
 * the rule, and the root-cause cases opened with their state.
 */
export async function repeatContactsReport(scope: TenantScope, range: { from?: string | undefined; to?: string | undefined }, now = new Date()): Promise<RepeatContactsReport> {
  const to = range.to ? new Date(range.to) : now;
  const from = range.from ? new Date(range.from) : new Date(to.getTime() - 90 * 86_400_000);
  if (from.getTime() >= to.getTime()) {
    throw new UnprocessableError('the period is empty: from must be before to', [{ parameter: 'from', detail: 'must be before to' }]);
  }
  const weeks = bucketsOf(from, to, 'week', 400);
  if (!weeks) throw new UnprocessableError('the period is longer than 400 weeks', [{ parameter: 'from', detail: 'at most 400 weeks before to' }]);
  return inTenantTx(scope, async (tx) => {
    const loaded = await loadCharterInEffect(tx, scope.tenantId, now);
    if (!loaded) throw new NotFoundError('charter', '(none published yet)');
    const rule = loaded.charter.repeatContact;
    const f = await repeatFigures(tx, scope.tenantId, from, to, rule);
    const conversations = f.channels.reduce((n, c) => n + c.conversations, 0);
    const repeats = f.channels.reduce((n, c) => n + c.repeats, 0);
    const byWeek = new Map(f.weeks.map((w) => [w.week.getTime(), w]));
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      charterVersion: loaded.version,
      rule: { conversations: rule.conversations, days: rule.days },
      conversations,
      repeatContacts: repeats,
      repeatSharePct: share(repeats, conversations),
      repeatCustomers: f.repeatCustomers,
      customersAtRule: f.customersAtRule,
      channels: f.channels.map((c) => ({ channel: c.channel, conversations: c.conversations, repeatContacts: c.repeats, repeatSharePct: share(c.repeats, c.conversations) })),
      spendBands: f.bands.map((b) => ({ band: b.band, label: LABELS[b.band] ?? `Band ${b.band}`, conversations: b.conversations, repeatContacts: b.repeats, repeatSharePct: share(b.repeats, b.conversations) })),
      topReasons: f.reasons.map((r) => ({ reason: r.reason, repeatContacts: r.n })),
      rootCauseCases: {
        opened: f.casesByStatus.reduce((n, s) => n + s.n, 0),
        byStatus: Object.fromEntries(f.casesByStatus.map((s) => [s.status, s.n])),
        cases: f.cases.map((c) => ({ id: c.id, customerId: c.customer_id, status: c.status, subject: c.subject, createdAt: c.created_at.toISOString(), linkedConversations: c.linked })),
      },
      weeks: weeks.map((b) => {
        const w = byWeek.get(b.key);
        return {
          start: b.start.toISOString(),
          end: b.end.toISOString(),
          conversations: w?.conversations ?? 0,
          repeatContacts: w?.repeats ?? 0,
          repeatSharePct: w ? share(w.repeats, w.conversations) : null,
        };
      }),
    };
  });
}

/** The report as CSV: one row per week, then one per channel, one per spend band (its label in the channel column) and the period's total. */
export function repeatContactsCsv(report: RepeatContactsReport): string {
  const rows = [
    'kind,start,end,channel,conversations,repeat_contacts,repeat_share_pct',
    ...report.weeks.map((w) => ['week', w.start, w.end, 'all', w.conversations, w.repeatContacts, w.repeatSharePct ?? ''].join(',')),
    ...report.channels.map((c) => ['channel', report.from, report.to, c.channel, c.conversations, c.repeatContacts, c.repeatSharePct ?? ''].join(',')),
    ...report.spendBands.map((b) => ['spend_band', report.from, report.to, b.label, b.conversations, b.repeatContacts, b.repeatSharePct ?? ''].join(',')),
    ['total', report.from, report.to, 'all', report.conversations, report.repeatContacts, report.repeatSharePct ?? ''].join(','),
  ];
  return `${rows.join('\n')}\n`;
}
