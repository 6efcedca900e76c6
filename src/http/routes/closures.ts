import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { approveClosure } from '../../app/approve-closure.ts';
import { requestClosure } from '../../app/request-closure.ts';
import { IdParams } from '../../contracts/common.ts';
import { Closure, ClosureApprove, ClosureCreate } from '../../contracts/closures.ts';
import type { CustomerClosureRow } from '../../db/schema.ts';
import { idempotentCreate } from '../idempotency.ts';
import { errorResponses } from './shared.ts';

function presentClosure(row: CustomerClosureRow): Closure {
  return {
    id: row.id,
    customerId: row.customer_id,
    reason: row.reason,
    note: row.note,
    state: row.state,
    requestedBy: row.requested_by,
    leadApproverId: row.lead_approver_id,
    complianceApproverId: row.compliance_approver_id,
    createdAt: row.created_at.toISOString(),
    decidedAt: row.decided_at ? row.decided_at.toISOString() : null,
  };
}

export const closureRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/customers/:id/closure', {
    config: { permission: 'closures:request' },
    schema: {
      tags: ['charter'],
      summary: "Close a customer's account (never for contact volume)",
      description:
        'The reason must be one of a fixed list; contact volume is not on it and is refused with a problem citing the charter. ' +
        'While a repeat-contact case is open the closure awaits a lead’s and a compliance officer’s approval.',
      params: IdParams,
      body: ClosureCreate,
      response: { 201: Closure, ...errorResponses },
    },
    handler: (req, reply) => idempotentCreate(req, reply, 'closures.create', (hooks) => requestClosure(req.scope, req.params.id, req.body, hooks), presentClosure),
  });

  app.post('/closures/:id/approve', {
    config: { permission: 'closures:approve' },
    schema: { tags: ['charter'], summary: 'Approve a closure that waits for a lead and a compliance officer', params: IdParams, body: ClosureApprove, response: { 200: Closure, ...errorResponses } },
    handler: async (req) => presentClosure(await approveClosure(req.scope, req.params.id, req.body.agentId)),
  });
};
