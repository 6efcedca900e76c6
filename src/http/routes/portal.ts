import { getEntitlements } from '../../app/get-entitlements.ts';
import { EntitlementsSchema } from '../../contracts/charter.ts';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { consumeMagicLink, requestMagicLink } from '../../app/portal-sign-in.ts';
import { portalConversation, portalConversations, portalMe, portalReply, portalStartConversation, scopeOf, type PortalCustomer } from '../../app/portal.ts';
import { portalAcceptOffer, portalCancellation, portalConfirm, portalDeclineOffer, portalRequestCancellation, portalSubscriptions, portalWithdraw } from '../../app/portal-cancellations.ts';
import { revokeSessions } from '../../app/sessions.ts';
import { Timestamp } from '../../contracts/common.ts';
import { MagicLinkRequest, PortalConversation, PortalConversationCreate, PortalConversationList, PortalMe, PortalMessage, PortalReply } from '../../contracts/portal.ts';
import { Cancellation, PortalCancellationConfirmation, PortalCancellationCreate, PortalSubscriptionList } from '../../contracts/subscriptions.ts';
import { presentCancellation, presentConfirmation, presentPortalSubscription } from '../presenters/cancellations.ts';
import { findTenantBySlug } from '../../db/repositories/tenants.ts';
import type { ConversationRow, MessageRow } from '../../db/schema.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { readPrincipal, sameOrigin, SESSION_COOKIE } from '../auth.ts';
import { problem, sendProblem } from '../problem.ts';
import { errorResponses } from './shared.ts';
import { portalConsentRoutes } from './consents.ts';

const COOKIE = { path: '/', httpOnly: true, secure: true, sameSite: 'lax' as const };
const Slug = z.strictObject({ slug: z.string().max(60) });
const SlugId = z.strictObject({ slug: z.string().max(60), id: z.uuid() });


function presentConversation(c: ConversationRow, messages?: MessageRow[]) {
  return {
    id: c.id,
    subject: c.subject,
    status: c.status,
    channel: c.channel,
    createdAt: c.created_at.toISOString(),
    ...(messages ? { messages: messages.map((m) => ({ id: m.id, from: m.role === 'customer' ? ('you' as const) : ('us' as const), text: m.text, createdAt: m.created_at.toISOString() })) } : {}),
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    portal: PortalCustomer;
  }
}

/**
 * The customer portal under the tenant's slug. Signing in is by a single-use e-mailed link; a portal
 * session reaches only that customer's own records, and only in the tenant whose slug is in the path.
 */
export function portalRoutes(options: { publicUrl?: string | undefined; onOutbox?: () => void }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/portal/:slug/magic-links', {
      config: { rateLimit: { hook: 'preHandler', max: 5, timeWindow: '15 minutes', keyGenerator: (req) => `${req.ip}|${String((req.body as { email?: unknown } | undefined)?.email ?? '').toLowerCase()}` } },
      schema: {
        tags: ['portal'],
        summary: 'E-mail a single-use sign-in link (the answer is the same whether or not the address is known)',
        security: [],
        params: Slug,
        body: MagicLinkRequest,
        response: { 202: z.object({ message: z.string() }), 400: errorResponses[400] },
      },
      handler: async (req, reply) => {
        const baseUrl = options.publicUrl ?? `${req.protocol}://${req.headers.host ?? 'localhost'}`;
        await requestMagicLink(app.store.db, { slug: req.params.slug, email: req.body.email, baseUrl }, options.onOutbox);
        reply.code(202);
        return { message: 'If this address belongs to an account, a sign-in link is on its way. It works once, for 15 minutes.' };
      },
    });

    app.post('/portal/:slug/sessions', {
      config: { rateLimit: { max: 20, timeWindow: '15 minutes' } },
      schema: {
        tags: ['portal'],
        summary: 'Use a sign-in link (once) and start a portal session',
        security: [],
        params: Slug,
        body: z.strictObject({ token: z.string().min(10).max(200) }),
        response: { 200: z.object({ signedIn: z.literal(true), expiresAt: Timestamp }), 401: errorResponses[401], 400: errorResponses[400] },
      },
      handler: async (req, reply) => {
        const session = await consumeMagicLink(app.store.db, { slug: req.params.slug, token: req.body.token, userAgent: req.headers['user-agent'] });
        reply.setCookie(SESSION_COOKIE, session.cookie, { ...COOKIE, expires: session.expiresAt });
        return { signedIn: true as const, expiresAt: session.expiresAt.toISOString() };
      },
    });

    await app.register(async (plain) => {
      const signedIn = plain.withTypeProvider<ZodTypeProvider>();
      signedIn.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
        const principal = await readPrincipal(app.store.db, req);
        const slug = (req.params as { slug?: string }).slug ?? '';
        const tenant = principal?.kind === 'customer' ? await findTenantBySlug(app.store.db, slug) : undefined;
        if (!principal || principal.kind !== 'customer' || !tenant || tenant.id !== principal.tenantId) {
          return sendProblem(reply, problem(401, 'unauthorized', 'Unauthorized', 'sign in to the portal with the link we e-mail you'));
        }
        if (req.method !== 'GET' && !sameOrigin(req, options.publicUrl ? new URL(options.publicUrl).origin : undefined)) {
          return sendProblem(reply, problem(403, 'cross-site', 'Cross-site request refused', 'a signed-in change must come from the portal’s own pages'));
        }
        req.portal = { db: app.store.db, tenantId: principal.tenantId, customerId: principal.customerId, ...(options.onOutbox ? { onOutbox: options.onOutbox } : {}) };
        reply.header('Cache-Control', 'no-store');
        return undefined;
      });

      signedIn.get('/portal/:slug/me', {
        schema: {
          tags: ['portal'],
          summary: 'The signed-in customer',
          params: Slug,
          response: { 200: PortalMe, 401: errorResponses[401] },
        },
        handler: async (req) => {
          const me = await portalMe(req.portal);
          return { id: me.id, name: me.name, emails: me.emails };
        },
      });

      signedIn.get('/portal/:slug/entitlements', {
        schema: {
          tags: ['portal'],
          summary: 'What I am entitled to under the charter in effect, and why',
          params: Slug,
          response: { 200: EntitlementsSchema, ...errorResponses },
        },
        handler: async (req) => {
          const e = await getEntitlements(scopeOf(req.portal), req.portal.customerId);
          return {
            tier: e.tier,
            entitlements: { targets: e.targets, callback: e.callback, namedTeam: e.namedTeam, extras: e.extras },
            reasons: e.reasons,
            charterVersion: e.charterVersion,
          };
        },
      });

      signedIn.get('/portal/:slug/conversations', {
        schema: { tags: ['portal'], summary: 'My requests', params: Slug, response: { 200: PortalConversationList, 401: errorResponses[401] } },
        handler: async (req) => ({ data: (await portalConversations(req.portal)).map((c) => presentConversation(c)), nextCursor: null }),
      });

      signedIn.get('/portal/:slug/conversations/:id', {
        schema: { tags: ['portal'], summary: 'One of my requests, with what was said', params: SlugId, response: { 200: PortalConversation, ...errorResponses } },
        handler: async (req) => {
          const { conversation, messages } = await portalConversation(req.portal, req.params.id);
          return presentConversation(conversation, messages);
        },
      });

      signedIn.post('/portal/:slug/conversations', {
        schema: {
          tags: ['portal'],
          summary: 'Start a request',
          params: Slug,
          body: PortalConversationCreate,
          response: { 201: PortalConversation, ...errorResponses },
        },
        handler: async (req, reply) => {
          const created = await portalStartConversation(req.portal, req.body);
          reply.code(201);
          return presentConversation(created.conversation, created.messages);
        },
      });

      signedIn.post('/portal/:slug/conversations/:id/messages', {
        schema: {
          tags: ['portal'],
          summary: 'Answer in one of my requests',
          params: SlugId,
          body: PortalReply,
          response: { 201: PortalMessage, ...errorResponses },
        },
        handler: async (req, reply) => {
          const { message } = await portalReply(req.portal, req.params.id, req.body.text);
          reply.code(201);
          return { id: message.id, from: 'you' as const, text: message.text, createdAt: message.created_at.toISOString() };
        },
      });

      signedIn.get('/portal/:slug/subscriptions', {
        schema: { tags: ['portal'], summary: 'My subscriptions, with the price I pay and any cancellation that stands', params: Slug, response: { 200: PortalSubscriptionList, 401: errorResponses[401] } },
        handler: async (req) => ({ data: (await portalSubscriptions(req.portal)).map(presentPortalSubscription), nextCursor: null }),
      });

      signedIn.post('/portal/:slug/subscriptions/:id/cancellations', {
        schema: {
          tags: ['portal'],
          summary: 'Ask to cancel one of my subscriptions',
          description: 'The answer carries the one clarification or offer that may be shown, or neither; "Cancel now" (confirm) is always possible at once. No password is asked.',
          params: SlugId,
          body: PortalCancellationCreate,
          response: { 201: Cancellation, ...errorResponses },
        },
        handler: async (req, reply) => {
          const view = await portalRequestCancellation(req.portal, req.params.id, req.body);
          reply.code(201);
          return presentCancellation(view);
        },
      });

      signedIn.get('/portal/:slug/cancellations/:id', {
        schema: { tags: ['portal'], summary: 'One of my cancellations', params: SlugId, response: { 200: Cancellation, ...errorResponses } },
        handler: async (req) => presentCancellation(await portalCancellation(req.portal, req.params.id)),
      });

      signedIn.post('/portal/:slug/cancellations/:id/decline-offer', {
        schema: { tags: ['portal'], summary: 'No, thank you: decline the clarification or offer shown', params: SlugId, response: { 200: Cancellation, ...errorResponses } },
        handler: async (req) => presentCancellation(await portalDeclineOffer(req.portal, req.params.id)),
      });

      signedIn.post('/portal/:slug/cancellations/:id/accept-offer', {
        schema: { tags: ['portal'], summary: 'Take the offer instead of cancelling', params: SlugId, response: { 200: Cancellation, ...errorResponses } },
        handler: async (req) => presentCancellation(await portalAcceptOffer(req.portal, req.params.id)),
      });

      signedIn.post('/portal/:slug/cancellations/:id/withdraw', {
        schema: { tags: ['portal'], summary: 'I changed my mind: keep my subscription (before confirming)', params: SlugId, response: { 200: Cancellation, ...errorResponses } },
        handler: async (req) => presentCancellation(await portalWithdraw(req.portal, req.params.id)),
      });

      signedIn.post('/portal/:slug/cancellations/:id/confirm', {
        schema: {
          tags: ['portal'],
          summary: 'Cancel now: confirm the cancellation',
          description: 'Takes effect at period end or at once as asked; the confirmation is on screen at once and queued by e-mail.',
          params: SlugId,
          response: { 200: PortalCancellationConfirmation, ...errorResponses },
        },
        handler: async (req) => {
          const { confirmed, view } = await portalConfirm(req.portal, req.params.id);
          return { ...presentConfirmation(confirmed), cancellation: presentCancellation(view) };
        },
      });

      portalConsentRoutes(plain);

      signedIn.post('/portal/:slug/sign-out', {
        schema: { tags: ['portal'], summary: 'Sign out of the portal', params: Slug, response: { 200: z.object({ ended: z.number().int() }), 401: errorResponses[401] } },
        handler: async (req, reply) => {
          const principal = await readPrincipal(app.store.db, req);
          const ended =
            principal?.kind === 'customer' ? await withTenant(app.store.db, principal.tenantId, (tx) => revokeSessions(tx, principal.tenantId, { sessionId: principal.sessionId })) : 0;
          reply.clearCookie(SESSION_COOKIE, COOKIE);
          return { ended };
        },
      });
    });
  };
}
