import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { recordSpend } from '../../app/record-spend.ts';
import { listCustomerSpend } from '../../app/read-spend.ts';
import { IdParams } from '../../contracts/common.ts';
import { SpendCreate, SpendEntry, SpendList, SpendListQuery } from '../../contracts/spend.ts';
import { pageRequest, presentPage } from '../cursor.ts';
import { idempotentCreate } from '../idempotency.ts';
import { presentRecordedSpend, presentSpendEntry } from '../presenters/spend.ts';
import { errorResponses } from './shared.ts';

export const spendRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/customers/:id/spend', {
    config: { permission: 'spend:write' },
    schema: {
      tags: ['customers'],
      summary: "Record a charge, refund or credit in the customer's spend (idempotent on externalId)",
      description: '201 when recorded; 200 with the existing entry when this externalId was already recorded with the same figures; 409 when with different ones.',
      params: IdParams,
      body: SpendCreate,
      response: { 200: SpendEntry, 201: SpendEntry, ...errorResponses },
    },
    handler: (req, reply) =>
      idempotentCreate(req, reply, 'spend.create', (hooks) => recordSpend(req.scope, req.params.id, req.body, hooks), presentRecordedSpend, (r) =>
        r.created ? 201 : 200,
      ),
  });

  app.get('/customers/:id/spend', {
    config: { permission: 'customers:read' },
    schema: { tags: ['customers'], summary: "A customer's spend entries, newest first", params: IdParams, querystring: SpendListQuery, response: { 200: SpendList, ...errorResponses } },
    handler: async (req) => presentPage(await listCustomerSpend(req.scope, req.params.id, pageRequest(req.query)), presentSpendEntry),
  });
};
