import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createCustomer } from '../../app/create-customer.ts';
import { getCustomer, listCustomers } from '../../app/read-customers.ts';
import { updateCustomer } from '../../app/update-customer.ts';
import { IdParams } from '../../contracts/common.ts';
import { Customer, CustomerCreate, CustomerList, CustomerListQuery, CustomerPatch } from '../../contracts/customers.ts';
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
};
