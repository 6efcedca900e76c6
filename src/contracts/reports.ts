import { z } from 'zod';
import { Timestamp } from './common.ts';

/**
 * The shapes of the lead and compliance reports (GET /api/v1/reports/*): one schema each, used by the
 * routes for their responses and by the web app's report pages to check what they receive.
 */

/** The period of a report: both optional; the API's default is the last 90 days. */
export const ReportRangeQuery = z.strictObject({ from: Timestamp.optional(), to: Timestamp.optional() });

export const ParityBandSchema = z.object({
  band: z.number().int(),
  label: z.string(),
  spendRangeMinor: z.object({ min: z.number(), max: z.number() }).nullable(),
  conversations: z.number().int(),
  firstResponseMetPct: z.number().nullable(),
  resolutionMetPct: z.number().nullable(),
  medianFirstResponseMinutes: z.number().nullable(),
  p90FirstResponseMinutes: z.number().nullable(),
  exceptions: z.number().int(),
  failureDemand: z.number().int().describe('conversations linked to a repeat-contact case'),
  flagged: z.boolean(),
  flags: z.array(z.string()),
});

export const ParityReportSchema = z
  .object({
    from: Timestamp,
    to: Timestamp,
    charterVersion: z.number().int(),
    promisedAttainment: z.number(),
    currency: z.string().nullable(),
    bands: z.array(ParityBandSchema),
    flagged: z.boolean(),
  })
  .meta({ id: 'ParityReport' });

export const ListeningReportSchema = z
  .object({
    from: Timestamp,
    to: Timestamp,
    agents: z.array(
      z.object({
        agentId: z.string().nullable(),
        conversations: z.number().int(),
        meanScore: z.number().nullable(),
        findings: z.record(z.string(), z.number().int()),
      }),
    ),
  })
  .meta({ id: 'ListeningReport' });

const Count = z.number().int();
export const CancellationReportSchema = z
  .object({
    from: Timestamp,
    to: Timestamp,
    channels: z.array(
      z.object({
        channel: z.string(),
        started: Count,
        confirmed: Count,
        medianClicks: z.number().nullable().describe('median API steps from request to confirmation: request, decline or accept, confirm'),
        medianSecondsToConfirm: z.number().nullable(),
        abandoned: Count.describe('asked more than 24 h ago, neither confirmed nor withdrawn'),
        withdrawn: Count,
        reversed: Count,
        clarifications: z.object({ shown: Count, declined: Count }),
        offers: z.object({ shown: Count, accepted: Count, declined: Count }),
        postSaveRegret: Count.describe('accepted offers followed by a confirmed cancellation of the same subscription within 60 days'),
      }),
    ),
    chargesAfterCancellation: z
      .object({ found: Count, refunded: Count, outstanding: Count.describe('must be 0: not yet refunded by the reconciliation job') })
      .describe('charges at or after the effective instant of a cancellation in force, made in the period'),
    cancelRequests: z
      .object({
        raised: Count,
        carriedOut: Count,
        dismissed: Count,
        open: Count,
        breached: Count.describe('past their same-business-day due time: closed late or still open after it'),
        medianHoursToCarryOut: z.number().nullable(),
      })
      .describe('cancel requests customers made in conversations in the period (the agent side)'),
  })
  .meta({ id: 'CancellationReport' });

/** The SLA-over-time report's query: the period, and the bucket (default week). */
export const SlaReportQuery = ReportRangeQuery.extend({
  bucket: z.enum(['day', 'week', 'month']).optional(),
  timeZone: z.string().min(1).max(64).optional().describe('IANA time zone of the buckets (default: the charter’s business-hours zone)'),
});

const SlaFigures = z.object({
  conversations: Count,
  firstResponseMetPct: z.number().nullable().describe('first responses met against the minimum target, of those decided (replied, or due time passed)'),
  resolutionMetPct: z.number().nullable().describe('resolutions met against the minimum target, of those decided'),
  medianFirstResponseMinutes: z.number().nullable().describe('business minutes to the first reply'),
  p90FirstResponseMinutes: z.number().nullable(),
});
const SlaChannelFigures = SlaFigures.extend({ channel: z.string() });

export const SlaReportSchema = z
  .object({
    from: Timestamp,
    to: Timestamp,
    bucket: z.enum(['day', 'week', 'month']),
    timeZone: z.string().describe('the zone of the buckets: local days, ISO weeks (from Monday 00:00) or calendar months there'),
    charterVersion: z.number().int(),
    promisedAttainment: z.number(),
    total: SlaFigures.extend({ channels: z.array(SlaChannelFigures) }),
    buckets: z.array(
      SlaFigures.extend({
        start: Timestamp.describe('the bucket’s start, or the period’s start if later'),
        end: Timestamp.describe('the bucket’s end (exclusive), or the period’s end if earlier'),
        channels: z.array(SlaChannelFigures),
      }),
    ),
  })
  .meta({ id: 'SlaReport' });

export const RepeatContactsReportSchema = z
  .object({
    from: Timestamp,
    to: Timestamp,
    charterVersion: z.number().int(),
    rule: z.object({ conversations: Count, days: Count }).describe('the charter’s repeat-contact rule: N conversations within M × 24 hours opens a root-cause case'),
    conversations: Count.describe('customer conversations opened in the period'),
    repeatContacts: Count.describe('of those, conversations opened within the rule’s window after an earlier conversation of the same customer'),
    repeatSharePct: z.number().nullable(),
    repeatCustomers: Count.describe('customers with at least one repeat contact in the period'),
    customersAtRule: Count.describe('customers who reached the rule (N conversations within the window) in the period'),
    channels: z.array(z.object({ channel: z.string(), conversations: Count, repeatContacts: Count, repeatSharePct: z.number().nullable() })),
    spendBands: z
      .array(z.object({ band: z.number().int(), label: z.string(), conversations: Count, repeatContacts: Count, repeatSharePct: z.number().nullable() }))
      .describe('by the customer’s trailing-12-month spend when the conversation opened, banded as the parity report bands it'),
    topReasons: z.array(z.object({ reason: z.string(), repeatContacts: Count })).describe('the repeat contacts’ tags (their subject when untagged), most frequent first, at most 10'),
    rootCauseCases: z.object({
      opened: Count,
      byStatus: z.record(z.string(), Count),
      cases: z.array(
        z.object({ id: z.string(), customerId: z.string(), status: z.string(), subject: z.string(), createdAt: Timestamp, linkedConversations: Count }),
      ).describe('the cases opened in the period, newest first, at most 50'),
    }),
    weeks: z.array(z.object({ start: Timestamp, end: Timestamp, conversations: Count, repeatContacts: Count, repeatSharePct: z.number().nullable() })).describe('ISO weeks from Monday 00:00 UTC, clipped to the period'),
  })
  .meta({ id: 'RepeatContactsReport' });
