import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createCampaign } from '../../app/create-campaign.ts';
import { customerOffers } from '../../app/customer-offers.ts';
import { answerOffer, recordKeyFactsRead, recordOfferOutcome, reviewOffer } from '../../app/decide-offer.ts';
import { AppError, OfferGateError } from '../../app/errors.ts';
import { incentivesCsv, incentivesReport } from '../../app/incentives-report.ts';
import { presentOffer } from '../../app/present-offer.ts';
import { publishProductFit, readProductFit } from '../../app/publish-product-fit.ts';
import { getOffer, listOffers } from '../../app/read-offers.ts';
import { inTenantTx } from '../../app/scope.ts';
import { IdParams } from '../../contracts/common.ts';
import {
  Campaign,
  CampaignCreate,
  CampaignList,
  CampaignListQuery,
  CustomerOffers,
  CustomerOffersQuery,
  IncentivesQuery,
  IncentivesReport,
  Offer,
  OfferCreate,
  OfferList,
  OfferListQuery,
  OfferOutcomeCreate,
  ProductFitPublish,
  ProductFitVersion,
} from '../../contracts/offers.ts';
import type { CampaignRow, OfferRow, ProductFitRow } from '../../db/schema.ts';
import type { GateDecision } from '../../domain/offers/gates.ts';
import { productFitSchema } from '../../domain/offers/fit.ts';
import { problem } from '../problem.ts';
import { idempotentCreate } from '../idempotency.ts';
import { errorResponses } from './shared.ts';

function presentFit(row: ProductFitRow): ProductFitVersion {
  return { productId: row.product_id, version: row.version, fit: productFitSchema.parse(row.fit), source: row.source, createdAt: row.created_at.toISOString() };
}

function presentCampaign(row: CampaignRow): Campaign {
  return { id: row.id, name: row.name, productIds: row.product_ids, audience: row.audience, situation: row.situation, ownerId: row.owner_id, createdAt: row.created_at.toISOString() };
}

/** `presented_at|id` of the last row, opaque to clients. */
const encodeCursor = (at: Date, id: string): string => Buffer.from(`${at.toISOString()}|${id}`, 'utf8').toString('base64url');
function decodeCursor(cursor: string | undefined): { at: Date; id: string } | null {
  if (cursor === undefined) return null;
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const when = new Date(at ?? '');
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(when.getTime())) {
    throw new AppError(400, 'validation', 'Invalid request', 'the cursor is not one this server gave out', [{ parameter: 'cursor', detail: 'is not a valid cursor' }]);
  }
  return { at: when, id };
}

export const offerRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/products/:id/fit', {
    config: { permission: 'billing:write' },
    schema: {
      tags: ['offers'],
      summary: "Publish a new version of a product's fit",
      description: 'Target market, exclusions, fees, benefits, needs and the key-facts card, as YAML. A 422 lists every problem with its line and column.',
      params: IdParams,
      body: ProductFitPublish,
      response: { 201: ProductFitVersion, ...errorResponses },
    },
    handler: (req, reply) => idempotentCreate(req, reply, 'products.fit', (hooks) => publishProductFit(req.scope, req.params.id, req.body.source, hooks), presentFit),
  });

  app.get('/products/:id/fit', {
    config: { permission: 'customers:read' },
    schema: { tags: ['offers'], summary: "A product's fit in effect (its latest version)", params: IdParams, response: { 200: ProductFitVersion, ...errorResponses } },
    handler: async (req) => presentFit(await readProductFit(req.scope, req.params.id)),
  });

  app.post('/campaigns', {
    config: { permission: 'campaigns:manage' },
    schema: { tags: ['offers'], summary: 'Create a campaign', body: CampaignCreate, response: { 201: Campaign, ...errorResponses } },
    handler: (req, reply) => idempotentCreate(req, reply, 'campaigns.create', (hooks) => createCampaign(req.scope, req.body, hooks), presentCampaign),
  });

  app.get('/campaigns', {
    config: { permission: 'customers:read' },
    schema: { tags: ['offers'], summary: 'Campaigns, newest first', querystring: CampaignListQuery, response: { 200: CampaignList, ...errorResponses } },
    handler: async (req) => {
      const rows = await inTenantTx(req.scope, (tx) => {
        let q = tx.selectFrom('campaigns').selectAll().where('tenant_id', '=', req.scope.tenantId);
        const after = decodeCursor(req.query.cursor);
        if (after) q = q.where((eb) => eb.or([eb('created_at', '<', after.at), eb.and([eb('created_at', '=', after.at), eb('id', '<', after.id)])]));
        return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(req.query.limit + 1).execute();
      });
      const page = rows.slice(0, req.query.limit);
      const last = page.at(-1);
      return { data: page.map(presentCampaign), nextCursor: rows.length > req.query.limit && last ? encodeCursor(last.created_at, last.id) : null };
    },
  });

  app.get('/campaigns/:id', {
    config: { permission: 'customers:read' },
    schema: { tags: ['offers'], summary: 'One campaign', params: IdParams, response: { 200: Campaign, ...errorResponses } },
    handler: async (req) => {
      const row = await inTenantTx(req.scope, (tx) => tx.selectFrom('campaigns').selectAll().where('tenant_id', '=', req.scope.tenantId).where('id', '=', req.params.id).executeTakeFirst());
      if (!row) throw new AppError(404, 'not-found', 'Not found', `campaign ${req.params.id} does not exist`);
      return presentCampaign(row);
    },
  });

  app.get('/customers/:id/offers', {
    config: { permission: 'customers:read' },
    schema: {
      tags: ['offers'],
      summary: 'What may be offered to this customer, and what may not and why',
      description: 'Every product through the offer gates, from the customer\'s own last 12 months. Stores nothing.',
      params: IdParams,
      querystring: CustomerOffersQuery,
      response: { 200: CustomerOffers, ...errorResponses },
    },
    handler: async (req) => customerOffers(req.scope, req.params.id, req.query),
  });

  app.post('/offers', {
    config: { permission: 'offers:make' },
    schema: {
      tags: ['offers'],
      summary: 'Present an offer to a customer',
      description:
        'Runs the offer gates and stores the decision with its inputs and reasons. Refused with a 422 (`urn:fairdesk:problem:offer-gate-failed`) naming each failed gate; a customer flagged vulnerable gets `awaiting_extra_care`.',
      body: OfferCreate,
      response: { 201: Offer, ...errorResponses },
    },
    handler: async (req, reply) => {
      const body = await idempotentCreate(
        req,
        reply,
        'offers.present',
        (hooks) => presentOffer(req.scope, req.body, hooks),
        (row: OfferRow) => {
          if (row.status !== 'refused') return { kind: 'offer' as const, id: row.id };
          const d = row.decision as unknown as GateDecision;
          const e = new OfferGateError(d.gates.filter((g) => g.status === 'failed'));
          // The refused decision is kept and readable: `instance` points at it.
          return { kind: 'problem' as const, problem: { ...problem(e.status, e.kind, e.title, e.message, e.errors), instance: `/api/v1/offers/${row.id}` } };
        },
        (row: OfferRow) => (row.status === 'refused' ? 422 : 201),
      );
      if (body.kind === 'problem') {
        reply.header('content-type', 'application/problem+json');
        return body.problem;
      }
      return getOffer(req.scope, body.id);
    },
  });

  app.get('/offers', {
    config: { permission: 'customers:read' },
    schema: { tags: ['offers'], summary: 'Offers and their decisions, newest first', querystring: OfferListQuery, response: { 200: OfferList, ...errorResponses } },
    handler: async (req) => {
      const { limit, cursor, ...filter } = req.query;
      const r = await listOffers(req.scope, filter, limit, decodeCursor(cursor));
      return { data: r.data, nextCursor: r.more && r.last ? encodeCursor(r.last.presented_at, r.last.id) : null };
    },
  });

  app.get('/offers/:id', {
    config: { permission: 'customers:read' },
    schema: { tags: ['offers'], summary: 'One offer: its decision with every gate, its value with every term, and what happened after', params: IdParams, response: { 200: Offer, ...errorResponses } },
    handler: async (req) => getOffer(req.scope, req.params.id),
  });

  for (const answer of ['accept', 'decline'] as const) {
    app.post(`/offers/:id/${answer}`, {
      config: { permission: 'offers:make' },
      schema: {
        tags: ['offers'],
        summary: answer === 'accept' ? 'The customer accepts (on the extra-care path only once every step is done)' : 'The customer says no (not offered again for 90 days)',
        params: IdParams,
        response: { 200: Offer, ...errorResponses },
      },
      handler: async (req) => {
        await answerOffer(req.scope, req.params.id, answer);
        return getOffer(req.scope, req.params.id);
      },
    });
  }

  app.post('/offers/:id/review', {
    config: { permission: 'offers:review' },
    schema: { tags: ['offers'], summary: 'A lead reviews an offer on the extra-care path', params: IdParams, response: { 200: Offer, ...errorResponses } },
    handler: async (req) => {
      await reviewOffer(req.scope, req.params.id);
      return getOffer(req.scope, req.params.id);
    },
  });

  app.post('/offers/:id/key-facts-read', {
    config: { permission: 'offers:make' },
    schema: { tags: ['offers'], summary: 'Record that the key-facts card was read with the customer', params: IdParams, response: { 200: Offer, ...errorResponses } },
    handler: async (req) => {
      await recordKeyFactsRead(req.scope, req.params.id);
      return getOffer(req.scope, req.params.id);
    },
  });

  app.post('/offers/:id/outcomes', {
    config: { permission: 'offers:review' },
    schema: {
      tags: ['offers'],
      summary: 'Record an outcome after a sale known elsewhere: a complaint (upheld or not), a refund, a cancellation',
      params: IdParams,
      body: OfferOutcomeCreate,
      response: { 201: Offer, ...errorResponses },
    },
    handler: async (req, reply) => {
      await recordOfferOutcome(req.scope, req.params.id, req.body);
      reply.code(201);
      return getOffer(req.scope, req.params.id);
    },
  });

  app.get('/reports/incentives', {
    config: { permission: 'reports:read' },
    schema: {
      tags: ['reports'],
      summary: 'Incentives net of harm, per agent and per campaign, with the outliers flagged (JSON, or CSV with Accept: text/csv)',
      querystring: IncentivesQuery,
      response: { 200: IncentivesReport, ...errorResponses },
    },
    handler: async (req, reply) => {
      const report = await incentivesReport(req.scope, req.query);
      if (/\btext\/csv\b/.test(req.headers.accept ?? '')) {
        // CSV bypasses the JSON response schema; the typed reply only knows the JSON shape.
        return reply.type('text/csv; charset=utf-8').serializer((payload: unknown) => String(payload)).send(incentivesCsv(report) as never);
      }
      return report;
    },
  });
};
