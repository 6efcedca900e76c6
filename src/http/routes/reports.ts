import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { parityCsv, parityReport } from '../../app/parity-report.ts';
import { listeningReport } from '../../app/listening-report.ts';
import { cancellationReport } from '../../app/cancellation-report.ts';
import { slaCsv, slaReport } from '../../app/sla-report.ts';
import { repeatContactsCsv, repeatContactsReport } from '../../app/repeat-contacts-report.ts';
import { CancellationReportSchema, ListeningReportSchema, ParityReportSchema, RepeatContactsReportSchema, ReportRangeQuery, SlaReportQuery, SlaReportSchema } from '../../contracts/reports.ts';
import { cancellationCsv, listeningCsv } from '../../app/report-csv.ts';
import { errorResponses } from './shared.ts';

export const reportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/reports/cancellations', {
    config: { permission: 'reports:read' },
    schema: {
      tags: ['reports'],
      summary: 'Flow health of cancellation, by channel: clicks and seconds to cancel, abandonment, what was shown, post-save regret, charges after cancellation (JSON, or CSV with Accept: text/csv)',
      description: 'Attempts started in the period (default: the last 90 days); charges made in the period.',
      querystring: ReportRangeQuery,
      response: { 200: CancellationReportSchema, ...errorResponses },
    },
    handler: async (req, reply) => {
      const report = await cancellationReport(req.scope, req.query);
      if (wantsCsv(req.headers.accept)) return reply.type('text/csv; charset=utf-8').serializer((payload: unknown) => String(payload)).send(cancellationCsv(report) as never);
      return report;
    },
  });

  app.get('/reports/listening', {
    config: { permission: 'reports:read' },
    schema: {
      tags: ['reports'],
      summary: 'Listening per agent: mean score and findings by type (lowest scores first; JSON, or CSV with Accept: text/csv)',
      querystring: ReportRangeQuery,
      response: { 200: ListeningReportSchema, ...errorResponses },
    },
    handler: async (req, reply) => {
      const report = await listeningReport(req.scope, req.query);
      if (wantsCsv(req.headers.accept)) return reply.type('text/csv; charset=utf-8').serializer((payload: unknown) => String(payload)).send(listeningCsv(report) as never);
      return report;
    },
  });

  app.get('/reports/parity', {
    config: { permission: 'reports:read' },
    schema: {
      tags: ['reports'],
      summary: 'Minimum commitments met per customer value band (JSON, or CSV with Accept: text/csv)',
      description:
        'Bands by the customer’s trailing-12-month spend when each conversation opened: quintiles over customers with spend, plus "no spend". ' +
        'A band is flagged when its attainment is below the charter’s promise or more than 5 points below the best band. Default period: the last 90 days.',
      querystring: ReportRangeQuery,
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

  app.get('/reports/sla', {
    config: { permission: 'reports:read' },
    schema: {
      tags: ['reports'],
      summary: 'SLA attainment over time: minimum first-response and resolution targets met per day, week or month, also per channel (JSON, or CSV with Accept: text/csv)',
      description:
        'Buckets by conversation creation time in the `timeZone` asked for, else the charter’s business-hours zone (local days, weeks from Monday 00:00, calendar months; across a daylight-saving change a bucket is an hour shorter or longer), clipped to the period; every bucket listed, empty ones included. ' +
        'Counted as the parity report counts "met". Defaults: the last 90 days, by week; at most 400 buckets.',
      querystring: SlaReportQuery,
      response: { 200: SlaReportSchema, ...errorResponses },
    },
    handler: async (req, reply) => {
      const report = await slaReport(req.scope, req.query);
      if (/\btext\/csv\b/.test(req.headers.accept ?? '')) {
        return reply.type('text/csv; charset=utf-8').serializer((payload: unknown) => String(payload)).send(slaCsv(report) as never);
      }
      return report;
    },
  });

  app.get('/reports/repeat-contacts', {
    config: { permission: 'reports:read' },
    schema: {
      tags: ['reports'],
      summary: 'Repeat contacts under the charter’s repeat-contact rule: share of conversations that are repeats, per channel and week, top reasons, root-cause cases (JSON, or CSV with Accept: text/csv)',
      description:
        'A conversation is a repeat contact when the same customer opened another one within the rule’s window (days × 24 h) before it. ' +
        'Weeks from Monday 00:00 UTC. Default period: the last 90 days.',
      querystring: ReportRangeQuery,
      response: { 200: RepeatContactsReportSchema, ...errorResponses },
    },
    handler: async (req, reply) => {
      const report = await repeatContactsReport(req.scope, req.query);
      if (/\btext\/csv\b/.test(req.headers.accept ?? '')) {
        return reply.type('text/csv; charset=utf-8').serializer((payload: unknown) => String(payload)).send(repeatContactsCsv(report) as never);
      }
      return report;
    },
  });
};

/** Content negotiation for the report CSVs, as every report does it. */
function wantsCsv(accept: string | undefined): boolean {
  return /\btext\/csv\b/.test(accept ?? '');
}
