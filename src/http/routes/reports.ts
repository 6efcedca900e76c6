import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parityCsv, parityReport } from '../../app/parity-report.ts';
import { listeningReport } from '../../app/listening-report.ts';
import { cancellationReport } from '../../app/cancellation-report.ts';
import { Timestamp } from '../../contracts/common.ts';
import { errorResponses } from './shared.ts';

const ParityBandSchema = z.object({
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

const ParityReportSchema = z
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

const ListeningReportSchema = z
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
const CancellationReportSchema = z
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

export const reportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/reports/cancellations', {
    config: { permission: 'reports:read' },
    schema: {
      tags: ['reports'],
      summary: 'Flow health of cancellation, by channel: clicks and seconds to cancel, abandonment, what was shown, post-save regret, charges after cancellation',
      description: 'Attempts started in the period (default: the last 90 days); charges made in the period.',
      querystring: z.strictObject({ from: Timestamp.optional(), to: Timestamp.optional() }),
      response: { 200: CancellationReportSchema, ...errorResponses },
    },
    handler: async (req) => cancellationReport(req.scope, req.query),
  });

  app.get('/reports/listening', {
    config: { permission: 'reports:read' },
    schema: {
      tags: ['reports'],
      summary: 'Listening per agent: mean score and findings by type (lowest scores first)',
      querystring: z.strictObject({ from: Timestamp.optional(), to: Timestamp.optional() }),
      response: { 200: ListeningReportSchema, ...errorResponses },
    },
    handler: async (req) => listeningReport(req.scope, req.query),
  });

  app.get('/reports/parity', {
    config: { permission: 'reports:read' },
    schema: {
      tags: ['reports'],
      summary: 'Minimum commitments met per customer value band (JSON, or CSV with Accept: text/csv)',
      description:
        'Bands by the customer’s trailing-12-month spend when each conversation opened: quintiles over customers with spend, plus "no spend". ' +
        'A band is flagged when its attainment is below the charter’s promise or more than 5 points below the best band. Default period: the last 90 days.',
      querystring: z.strictObject({ from: Timestamp.optional(), to: Timestamp.optional() }),
      response: { 200: ParityReportSchema, ...errorResponses },
    },
    handler: async (req, reply) => {
      const report = await parityReport(req.scope, req.query);
      if (/\btext\/csv\b/.test(req.headers.accept ?? '')) {
        // CSV bypasses the JSON response schema; the typed reply only knows the JSON shape.
        return reply.type('text/csv; charset=utf-8').serializer((payload: unknown) => String(payload)).send(parityCsv(report) as never);
      }
      return report;
    },
  });
};
