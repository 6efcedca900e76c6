import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { announcePriceChange, type AnnouncedPriceChange } from '../../app/announce-price-change.ts';
import { announceTermsChange, type AnnouncedTermsChange } from '../../app/announce-terms-change.ts';
import { listNotices } from '../../app/read-notices.ts';
import { IdParams } from '../../contracts/common.ts';
import { Notice, NoticeList, NoticeListQuery, PriceChange, PriceChangeCreate, TermsChange, TermsChangeCreate } from '../../contracts/subscriptions.ts';
import type { NoticeRow } from '../../db/schema.ts';
import { pageRequest, presentPage } from '../cursor.ts';
import { idempotentCreate } from '../idempotency.ts';
import { errorResponses } from './shared.ts';

function presentPriceChange({ row, currency, noticed }: AnnouncedPriceChange): PriceChange {
  return {
    id: row.id,
    planId: row.plan_id,
    priceMinor: Number(row.price_minor),
    currency,
    effectiveAt: row.effective_at.toISOString(),
    reason: row.reason,
    announcedAt: row.announced_at.toISOString(),
    noticed,
  };
}

function presentTermsChange({ row, noticed }: AnnouncedTermsChange): TermsChange {
  return {
    id: row.id,
    planId: row.plan_id,
    summary: row.summary,
    details: row.details,
    effectiveAt: row.effective_at.toISOString(),
    announcedAt: row.announced_at.toISOString(),
    noticed,
  };
}

function presentNotice(row: NoticeRow): Notice {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    kind: row.kind,
    periodKey: row.period_key,
    priceChangeId: row.price_change_id,
    termsChangeId: row.term_change_id,
    sentAt: row.sent_at.toISOString(),
    to: row.to_address,
    subject: row.subject,
    figures: row.figures as Notice['figures'],
  };
}

/** Notices before the fact: announcing a change of price or terms (which notifies every subscriber), and what each subscription was told. */
export function noticeRoutes(options: { publicUrl?: string | undefined }): FastifyPluginAsyncZod {
  /** Where the notices' cancel links point: the configured public URL, else the request's host. */
  const publicOrigin = (req: FastifyRequest) => (options.publicUrl ? new URL(options.publicUrl).origin : `${req.protocol}://${req.headers.host ?? 'localhost'}`);
  return async (app) => {
    app.post('/plans/:id/price-changes', {
      config: { permission: 'billing:write' },
      schema: {
        tags: ['billing'],
        summary: "Announce a change of a plan's price",
        description:
          'Refused (422 naming effectiveAt) unless it takes effect at least 30 days ahead. Every affected subscriber is sent a personal ' +
          'notice with their own old and new price, the yearly difference for them, the date and a one-click cancel link.',
        params: IdParams,
        body: PriceChangeCreate,
        response: { 201: PriceChange, ...errorResponses },
      },
      handler: (req, reply) =>
        idempotentCreate(req, reply, 'price-changes.create', (hooks) => announcePriceChange(req.scope, req.params.id, req.body, { publicOrigin: publicOrigin(req) }, hooks), presentPriceChange),
    });

    app.post('/plans/:id/term-changes', {
      config: { permission: 'billing:write' },
      schema: {
        tags: ['billing'],
        summary: "Announce a change of a plan's terms other than its price",
        description:
          'Refused (422 naming effectiveAt) unless it takes effect at least 30 days ahead. Every affected subscriber is sent a personal ' +
          'notice with the change in plain words, the date in their time zone, what they pay now and a one-click cancel link.',
        params: IdParams,
        body: TermsChangeCreate,
        response: { 201: TermsChange, ...errorResponses },
      },
      handler: (req, reply) =>
        idempotentCreate(req, reply, 'term-changes.create', (hooks) => announceTermsChange(req.scope, req.params.id, req.body, { publicOrigin: publicOrigin(req) }, hooks), presentTermsChange),
    });

    app.get('/subscriptions/:id/notices', {
      config: { permission: 'customers:read' },
      schema: {
        tags: ['billing'],
        summary: 'The notices sent for a subscription, newest first',
        params: IdParams,
        querystring: NoticeListQuery,
        response: { 200: NoticeList, ...errorResponses },
      },
      handler: async (req) => presentPage(await listNotices(req.scope, req.params.id, pageRequest(req.query)), presentNotice),
    });
  };
}
