import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createCustomer } from '../../app/create-customer.ts';
import { z } from 'zod';
import { eraseCustomer } from '../../app/erase-customer.ts';
import { exportCustomer } from '../../app/export-customer.ts';
import { getCustomer, listCustomerReads, listCustomers } from '../../app/read-customers.ts';
import { updateCustomer } from '../../app/update-customer.ts';
import { IdParams } from '../../contracts/common.ts';
import { Customer, CustomerCreate, CustomerExport, CustomerList, CustomerListQuery, CustomerPatch } from '../../contracts/customers.ts';
import { pageRequest, presentPage } from '../cursor.ts';
import { idempotentCreate } from '../idempotency.ts';
import { presentCustomer } from '../presenters/index.ts';
import { errorResponses } from './shared.ts';

export const customerRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/customers', {
    config: { permission: 'customers:write' },
    schema: { tags: ['customers'], summary: 'Create a customer', body: CustomerCreate, response: { 201: Customer, ...errorResponses } },
    handler: (req, reply) =>
      idempotentCreate(req, reply, 'customers.create', (hooks) => createCustomer(req.scope, req.body, hooks), presentCustomer),
  });

  app.get('/customers', {
    config: { permission: 'customers:read' },
    schema: { tags: ['customers'], summary: 'List customers', querystring: CustomerListQuery, response: { 200: CustomerList, ...errorResponses } },
    handler: async (req) =>
      presentPage(await listCustomers(req.scope, { email: req.query.email, externalId: req.query.externalId }, pageRequest(req.query)), presentCustomer),
  });

  app.get('/customers/:id', {
    config: { permission: 'customers:read' },
    schema: { tags: ['customers'], summary: 'Get a customer', params: IdParams, response: { 200: Customer, ...errorResponses } },
    handler: async (req) => presentCustomer(await getCustomer(req.scope, req.params.id)),
  });

  app.patch('/customers/:id', {
    config: { permission: 'customers:write' },
    schema: {
      tags: ['customers'],
      summary: 'Change a customer (JSON merge patch)',
      params: IdParams,
      body: CustomerPatch,
      response: { 200: Customer, ...errorResponses },
    },
    handler: async (req) => presentCustomer(await updateCustomer(req.scope, req.params.id, req.body)),
  });

  app.get('/customers/:id/reads', {
    config: { permission: 'audit:read' },
    schema: {
      tags: ['customers'],
      summary: "Who read this customer's record, and when",
      params: IdParams,
      querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(200) }),
      response: { 200: z.object({ data: z.array(z.object({ at: z.string(), actor: z.string(), what: z.string() })), nextCursor: z.null() }), ...errorResponses },
    },
    handler: async (req) => ({
      data: (await listCustomerReads(req.scope, req.params.id, req.query.limit)).map((r) => ({ at: r.at.toISOString(), actor: r.actor, what: r.what })),
      nextCursor: null,
    }),
  });

  app.get('/customers/:id/export', {
    config: { permission: 'data:export' },
    schema: {
      tags: ['customers'],
      summary: "The customer's whole record as JSON, for a data-subject access request (logged as a read and audited)",
      params: IdParams,
      response: { 200: CustomerExport, ...errorResponses },
    },
    handler: async (req, reply) => {
      const exported = await exportCustomer(req.scope, req.params.id);
      reply.header('content-disposition', `attachment; filename="customer-${req.params.id}.json"`);
      return exported;
    },
  });

  app.post('/customers/:id/erasure', {
    config: { permission: 'customers:erase' },
    schema: {
      tags: ['customers'],
      summary: "Erase a customer's personal data (keeping what the law requires), and say what was removed and kept",
      params: IdParams,
      response: { 200: z.object({ customerId: z.string(), erasedAt: z.string(), removed: z.array(z.string()), kept: z.array(z.string()) }), ...errorResponses },
    },
    handler: async (req) => eraseCustomer(req.scope, req.params.id),
  });
};
