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
