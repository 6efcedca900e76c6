import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { Store } from '../db/store.ts';
import { authenticate, SESSION_COOKIE } from './auth.ts';
import { createHash } from 'node:crypto';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import { signInRoutes, sessionRoutes } from './routes/auth.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { portalRoutes } from './routes/portal.ts';
import { portalPages } from './routes/portal-pages.ts';
import { webAppRoutes } from './web-app.ts';
import { cancelRequestRoutes } from './routes/cancel-requests.ts';
import { publicCancellationRoutes } from './routes/public-cancellation.ts';
import { noticeRoutes } from './routes/notices.ts';
import { subscriptionRoutes } from './routes/subscriptions.ts';
import { offerRoutes } from './routes/offers.ts';
import { invoiceRoutes } from './routes/invoices.ts';
import { handleError, handleNotFound, problem } from './problem.ts';
import { agentRoutes } from './routes/agents.ts';
import { conversationRoutes } from './routes/conversations.ts';
import { customerRoutes } from './routes/customers.ts';
import { tenantRoutes } from './routes/tenant.ts';
import { spendRoutes } from './routes/spend.ts';
import { reportRoutes } from './routes/reports.ts';
import { exceptionRoutes } from './routes/exceptions.ts';
import { closureRoutes } from './routes/closures.ts';
import { charterRoutes, publicCharterRoutes } from './routes/charter.ts';
import { consentRoutes } from './routes/consents.ts';
import { auditRoutes } from './routes/audit.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { DEFAULT_NETWORK, type WebhookNetwork } from '../app/webhook-target.ts';
import { attachmentRoutes } from './routes/attachments.ts';
import { importRoutes } from './routes/imports.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every registered route as "METHOD /path/{param}" (HEAD omitted). */
    routeList: string[];
    store: Store;
  }
}

export interface ServerOptions {
  store: Store;
  /** FAIRDESK_PUBLIC_URL: the origin signed-in browser requests must come from. */
  publicUrl?: string | undefined;
  /** Requests per minute per credential (default 1200). */
  rateLimit?: number;
  /**
   * Where rate-limit counters live when several servers share the load (FAIRDESK_RATE_LIMIT_REDIS):
   * one count per credential across all of them. Without it each server counts alone (docs/scaling.md).
   */
  rateLimitRedis?: Redis | undefined;
  logger?: Logger | false;
  /** Wakes the jobs worker when a request enqueued outbox work. */
  onOutbox?: () => void;
  version?: string;
  /** The built web app (default web/dist of the checkout). */
  webRoot?: string;
  /** Where webhook endpoints may point (FAIRDESK_WEBHOOK_ALLOW_PRIVATE, FAIRDESK_WEBHOOK_ALLOW); default: public addresses only. */
  webhooks?: WebhookNetwork;
}

/** 1 MiB: far more than any message a person writes, small enough that no body can hurt the server. */
export const BODY_LIMIT = 1024 * 1024;

/** Builds the HTTP server (not yet listening): the REST API under /api/v1, health and OpenAPI. */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger as FastifyBaseLogger } : { logger: false }),
    bodyLimit: BODY_LIMIT,
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();

  // Every route the server has, as "METHOD /path/{param}": the OpenAPI document must list each.
  const routeList: string[] = [];
  app.decorate('routeList', routeList);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routeList.push(`${method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
    }
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);

  // JSON merge patch bodies are JSON; parse them with the same parser and limits.
  app.addContentTypeParser('application/merge-patch+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  // Per credential (a hash of the token or session cookie), else per address; sign-in has its own, tighter limit.
  await app.register(rateLimit, {
    max: options.rateLimit ?? 1200,
    timeWindow: '1 minute',
    // Shared counters; if Redis is unreachable, requests are served unlimited rather than refused.
    ...(options.rateLimitRedis ? { redis: options.rateLimitRedis, nameSpace: 'fairdesk-rl:', skipOnError: true } : {}),
    keyGenerator: (req) => {
      const credential = req.headers.authorization ?? req.cookies?.[SESSION_COOKIE];
      return credential ? `c:${createHash('sha256').update(credential).digest('base64url')}` : `ip:${req.ip}`;
    },
    errorResponseBuilder: (_req, context) => ({
      ...problem(429, 'rate-limited', 'Too many requests', `slow down: at most ${context.max} requests per ${context.after === '1 minute' ? 'minute' : context.after}; retry after ${Math.ceil(context.ttl / 1000)} s`),
      statusCode: 429,
    }),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Fairdesk API',
        version: options.version ?? '0.1.0',
        description:
          'Helpdesk, contact centre and subscription care in which treating every customer fairly is built in and measured. ' +
          'camelCase JSON, ids as strings, ISO-8601 UTC timestamps, lists as {data, nextCursor}, PATCH as JSON merge patch, ' +
          'errors as RFC 9457 application/problem+json, Idempotency-Key on every create.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  app.get('/healthz', {
    schema: {
      tags: ['health'],
      summary: 'Ready to serve',
      security: [],
      response: { 200: z.object({ status: z.literal('ok'), store: z.enum(['pglite', 'postgres']) }) },
    },
    handler: async () => ({ status: 'ok' as const, store: options.store.kind }),
  });

  app.get('/api/v1/openapi.json', {
    schema: { tags: ['meta'], summary: 'This OpenAPI 3.1 document', security: [] },
    handler: async () => app.swagger(),
  });

  app.decorate('store', options.store);
  await app.register(publicCharterRoutes, { prefix: '/api/v1' });
  await app.register(signInRoutes, { prefix: '/api/v1' });
  await app.register(portalRoutes({ publicUrl: options.publicUrl, onOutbox: options.onOutbox }), { prefix: '/api/v1' });
  await app.register(publicCancellationRoutes({ publicUrl: options.publicUrl, onOutbox: options.onOutbox }), { prefix: '/api/v1' });
  await app.register(portalPages);
  await app.register(webAppRoutes(options.webRoot ? { root: options.webRoot } : {}));

  await app.register(
    async (api) => {
      // onRequest: a request without valid credentials is refused before its body is even read.
      api.addHook('onRequest', authenticate(options.store.db, { onOutbox: options.onOutbox ?? (() => {}), publicOrigin: options.publicUrl ? new URL(options.publicUrl).origin : undefined }));
      // What one principal was shown must not be kept by a shared cache for another.
      api.addHook('onSend', async (_req, reply, payload) => {
        reply.header('Cache-Control', 'no-store');
        return payload;
      });
      await api.register(sessionRoutes);
      await api.register(tokenRoutes);
      await api.register(tenantRoutes);
      await api.register(customerRoutes);
      await api.register(agentRoutes);
      await api.register(conversationRoutes);
      await api.register(spendRoutes);
      await api.register(charterRoutes);
      await api.register(reportRoutes);
      await api.register(exceptionRoutes);
      await api.register(closureRoutes);
      await api.register(subscriptionRoutes);
      await api.register(invoiceRoutes);
      await api.register(cancelRequestRoutes);
      await api.register(offerRoutes);
      await api.register(noticeRoutes({ publicUrl: options.publicUrl }));
      await api.register(consentRoutes);
      await api.register(auditRoutes);
      await api.register(webhookRoutes(options.webhooks ?? DEFAULT_NETWORK));
      await api.register(attachmentRoutes);
      await api.register(importRoutes);
    },
    { prefix: '/api/v1' },
  );

  return app;
}

