import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { grantException } from '../../app/grant-exception.ts';
import { listCharterExceptions } from '../../app/read-exceptions.ts';
import { CharterException, ExceptionCreate, ExceptionList, ExceptionListQuery } from '../../contracts/exceptions.ts';
import type { CharterExceptionRow } from '../../db/schema.ts';
import { pageRequest, presentPage } from '../cursor.ts';
import { idempotentCreate } from '../idempotency.ts';
import { errorResponses } from './shared.ts';

function presentException(row: CharterExceptionRow): CharterException {
  return {
    id: row.id,
    customerId: row.customer_id,
    what: row.what,
    reason: row.reason,
    approverId: row.approver_id,
    expiresAt: row.expires_at.toISOString(),
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    active: row.expires_at.getTime() > Date.now(),
  };
}

export const exceptionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/exceptions', {
    config: { permission: 'exceptions:grant' },
    schema: {
      tags: ['charter'],
      summary: 'Grant a customer an exception to the charter (within the exception policy)',
      body: ExceptionCreate,
      response: { 201: CharterException, ...errorResponses },
    },
    handler: (req, reply) => idempotentCreate(req, reply, 'exceptions.create', (hooks) => grantException(req.scope, req.body, hooks), presentException),
  });

  app.get('/exceptions', {
    config: { permission: 'charter:read' },
    schema: { tags: ['charter'], summary: 'Exceptions granted, newest first', querystring: ExceptionListQuery, response: { 200: ExceptionList, ...errorResponses } },
    handler: async (req) => {
      const active = req.query.active === undefined ? undefined : req.query.active === 'true';
      const page = await listCharterExceptions(req.scope, { customerId: req.query.customerId, active }, pageRequest(req.query));
      return presentPage(page, presentException);
    },
  });
};
