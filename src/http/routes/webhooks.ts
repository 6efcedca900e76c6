import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createWebhook, type WebhookWithSecret as Created } from '../../app/create-webhook.ts';
import { deleteWebhook } from '../../app/delete-webhook.ts';
import { getWebhook, listWebhookDeliveries, listWebhooks, type DeliveryView } from '../../app/read-webhooks.ts';
import { replayWebhookDelivery } from '../../app/replay-webhook-delivery.ts';
import { rotateWebhookSecret } from '../../app/rotate-webhook-secret.ts';
import { updateWebhook } from '../../app/update-webhook.ts';
import type { WebhookNetwork } from '../../app/webhook-target.ts';
import { IdParams } from '../../contracts/common.ts';
import { DeliveryParams, Webhook, WebhookCreate, WebhookDelivery, WebhookDeliveryList, WebhookList, WebhookListQuery, WebhookPatch, WebhookWithSecret } from '../../contracts/webhooks.ts';
import { webhookMessageId } from '../../domain/webhooks.ts';
import type { WebhookEndpointRow } from '../../db/schema.ts';
import { pageRequest, presentPage } from '../cursor.ts';
import { idempotentCreate } from '../idempotency.ts';
import { errorResponses } from './shared.ts';

/** An endpoint as the API shows it: never its secret (that is shown once, on create and rotation). */
export function presentWebhook(row: WebhookEndpointRow): Webhook {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events,
    enabled: row.enabled,
    secretRotatedAt: row.secret_rotated_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

const presentWithSecret = (c: Created): WebhookWithSecret => ({ ...presentWebhook(c.row), secret: c.secret });

export function presentDelivery(v: DeliveryView): WebhookDelivery {
  const { row } = v;
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    messageId: webhookMessageId(row.id),
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status,
    payload: JSON.parse(row.body) as unknown,
    attempts: v.attempts.map((a) => ({ id: a.id, at: a.at.toISOString(), durationMs: a.duration_ms, statusCode: a.status_code, error: a.error, replay: a.replay })),
    createdAt: row.created_at.toISOString(),
  };
}

/** Webhook endpoints of the tenant, their delivery log and replay (docs/webhooks.md). Admins only. */
export function webhookRoutes(network: WebhookNetwork): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/webhooks', {
      config: { permission: 'webhooks:manage' },
      schema: {
        tags: ['webhooks'],
        summary: 'Add a webhook endpoint; the answer carries its signing secret, shown this once',
        description:
          'The URL must be http(s) without credentials, and its host must resolve to public addresses only (no loopback, private, link-local, unique-local or CGNAT) unless the operator allows others; a refused URL is 422 naming /url.',
        body: WebhookCreate,
        response: { 201: WebhookWithSecret, ...errorResponses },
      },
      handler: (req, reply) => idempotentCreate(req, reply, 'webhooks.create', (hooks) => createWebhook(req.scope, req.body, network, hooks), presentWithSecret),
    });

    app.get('/webhooks', {
      config: { permission: 'webhooks:manage' },
      schema: { tags: ['webhooks'], summary: "The tenant's webhook endpoints, newest first", querystring: WebhookListQuery, response: { 200: WebhookList, ...errorResponses } },
      handler: async (req) => presentPage(await listWebhooks(req.scope, pageRequest(req.query)), presentWebhook),
    });

    app.get('/webhooks/:id', {
      config: { permission: 'webhooks:manage' },
      schema: { tags: ['webhooks'], summary: 'Get a webhook endpoint', params: IdParams, response: { 200: Webhook, ...errorResponses } },
      handler: async (req) => presentWebhook(await getWebhook(req.scope, req.params.id)),
    });

    app.patch('/webhooks/:id', {
      config: { permission: 'webhooks:manage' },
      schema: {
        tags: ['webhooks'],
        summary: 'Change a webhook endpoint (JSON merge patch): URL, description, events, enabled',
        params: IdParams,
        body: WebhookPatch,
        response: { 200: Webhook, ...errorResponses },
      },
      handler: async (req) => presentWebhook(await updateWebhook(req.scope, req.params.id, req.body, network)),
    });

    app.delete('/webhooks/:id', {
      config: { permission: 'webhooks:manage' },
      schema: { tags: ['webhooks'], summary: 'Remove a webhook endpoint with its delivery log', params: IdParams, response: { 204: z.null(), ...errorResponses } },
      handler: async (req, reply) => {
        await deleteWebhook(req.scope, req.params.id);
        reply.code(204);
        return null;
      },
    });

    app.post('/webhooks/:id/rotate-secret', {
      config: { permission: 'webhooks:manage' },
      schema: {
        tags: ['webhooks'],
        summary: 'Give the endpoint a new signing secret (shown once); the old one keeps signing beside it for 24 hours',
        params: IdParams,
        response: { 200: WebhookWithSecret, ...errorResponses },
      },
      handler: async (req) => presentWithSecret(await rotateWebhookSecret(req.scope, req.params.id)),
    });

    app.get('/webhooks/:id/deliveries', {
      config: { permission: 'webhooks:manage' },
      schema: {
        tags: ['webhooks'],
        summary: "The endpoint's delivery log, newest first: each delivery with every attempt (time, duration, status code or error)",
        params: IdParams,
        querystring: WebhookListQuery,
        response: { 200: WebhookDeliveryList, ...errorResponses },
      },
      handler: async (req) => presentPage(await listWebhookDeliveries(req.scope, req.params.id, pageRequest(req.query)), presentDelivery),
    });

    app.post('/webhooks/:id/deliveries/:deliveryId/replay', {
      config: { permission: 'webhooks:manage' },
      schema: {
        tags: ['webhooks'],
        summary: 'Send a delivery again: the same body under the same webhook-id, retried like any delivery',
        params: DeliveryParams,
        response: { 202: WebhookDelivery, ...errorResponses },
      },
      handler: async (req, reply) => {
        const view = await replayWebhookDelivery(req.scope, req.params.id, req.params.deliveryId);
        reply.code(202);
        return presentDelivery(view);
      },
    });
  };
}
