import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { carryOutCancelRequest } from '../../app/carry-out-cancel-request.ts';
import { clarifyCancelRequest } from '../../app/clarify-cancel-request.ts';
import { dismissCancelRequest } from '../../app/dismiss-cancel-request.ts';
import { listCancelRequests } from '../../app/read-cancel-requests.ts';
import {
  CancelRequest,
  CancelRequestCarriedOut,
  CancelRequestCarryOut,
  CancelRequestClarified,
  CancelRequestClarify,
  CancelRequestDismiss,
  CancelRequestList,
  CancelRequestListQuery,
} from '../../contracts/cancel-requests.ts';
import { IdParams } from '../../contracts/common.ts';
import { pageRequest, presentPage } from '../cursor.ts';
import { presentCancelRequest, presentMessage } from '../presenters/index.ts';
import { errorResponses } from './shared.ts';

/** The agent side of fair cancellation: a cancel request raised in a conversation, and its one action. */
export const cancelRequestRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/conversations/:id/cancel-request/carry-out', {
    config: { permission: 'cancellations:manage' },
    schema: {
      tags: ['cancellations'],
      summary: 'Carry out the cancellation the customer asked for',
      description:
        'Requests and confirms the cancellation with channel `agent` (nothing is shown: the customer already asked) and closes ' +
        'the open cancel request with the cancellation reference. 409 when there is no open cancel request.',
      params: IdParams,
      body: CancelRequestCarryOut,
      response: { 200: CancelRequestCarriedOut, ...errorResponses },
    },
    handler: async (req) => {
      const { request, confirmation } = await carryOutCancelRequest(req.scope, req.params.id, req.body);
      return {
        cancelRequest: presentCancelRequest(request),
        confirmation: {
          reference: confirmation.reference,
          effectiveAt: confirmation.effectiveAt.toISOString(),
          noChargesAfter: confirmation.noChargesAfter.toISOString(),
          refund: confirmation.refund,
        },
      };
    },
  });

  app.post('/conversations/:id/cancel-request/clarify', {
    config: { permission: 'conversations:write' },
    schema: {
      tags: ['cancellations'],
      summary: 'Clarify a fact once before carrying the cancellation out',
      description: 'Posts one public agent message marked as the clarification of the open cancel request; a second one is refused with 409.',
      params: IdParams,
      body: CancelRequestClarify,
      response: { 201: CancelRequestClarified, ...errorResponses },
    },
    handler: async (req, reply) => {
      const { request, message } = await clarifyCancelRequest(req.scope, req.params.id, req.body);
      return reply.code(201).send({ cancelRequest: presentCancelRequest(request), message: presentMessage(message) });
    },
  });

  app.post('/conversations/:id/cancel-request/dismiss', {
    config: { permission: 'cancellations:manage' },
    schema: {
      tags: ['cancellations'],
      summary: 'Dismiss a cancel request that was not one, with the reason',
      params: IdParams,
      body: CancelRequestDismiss,
      response: { 200: CancelRequest, ...errorResponses },
    },
    handler: async (req) => presentCancelRequest(await dismissCancelRequest(req.scope, req.params.id, req.body)),
  });

  app.get('/cancel-requests', {
    config: { permission: 'conversations:read' },
    schema: {
      tags: ['cancellations'],
      summary: 'List cancel requests, newest first',
      description: '`?status=open` lists those still waiting on an agent, each with its due time and SLA badge.',
      querystring: CancelRequestListQuery,
      response: { 200: CancelRequestList, ...errorResponses },
    },
    handler: async (req) => presentPage(await listCancelRequests(req.scope, { status: req.query.status }, pageRequest(req.query)), presentCancelRequest),
  });
};
