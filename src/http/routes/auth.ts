import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../app/errors.ts';
import { getAgent } from '../../app/read-agents.ts';
import { revokeSessions } from '../../app/sessions.ts';
import { setPassword } from '../../app/set-password.ts';
import { signIn } from '../../app/sign-in.ts';
import { inTenantTx } from '../../app/scope.ts';
import { PasswordSet, SessionInfo, SignIn } from '../../contracts/auth.ts';
import { IdParams } from '../../contracts/common.ts';
import { SESSION_COOKIE } from '../auth.ts';
import { presentAgent } from '../presenters/index.ts';
import { errorResponses } from './shared.ts';

/** Session cookies: __Host- (Secure, Path=/, no Domain), HttpOnly, SameSite=Lax. */
const COOKIE = { path: '/', httpOnly: true, secure: true, sameSite: 'lax' as const };

/** Sign-in, unauthenticated and rate limited per address and e-mail. */
export const signInRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/auth/sign-in', {
    // preHandler: the key needs the parsed body (the e-mail), so one address cannot lock out everyone behind a NAT.
    config: { rateLimit: { hook: 'preHandler', max: 5, timeWindow: '1 minute', keyGenerator: (req) => `${req.ip}|${String((req.body as { email?: unknown } | undefined)?.email ?? '').toLowerCase()}` } },
    schema: {
      tags: ['auth'],
      summary: 'Sign an agent in (sets the session cookie)',
      security: [],
      body: SignIn,
      response: { 200: SessionInfo, 401: errorResponses[401], 400: errorResponses[400], 429: errorResponses[401] },
    },
    handler: async (req, reply) => {
      const signed = await signIn(app.store.db, { ...req.body, userAgent: req.headers['user-agent'] });
      reply.setCookie(SESSION_COOKIE, signed.cookie, { ...COOKIE, expires: signed.expiresAt });
      return { agent: presentAgent(signed.agent), expiresAt: signed.expiresAt.toISOString() };
    },
  });
};

/** Routes for a signed-in agent (behind the authenticate hook, permission agents:read). */
export const sessionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/auth/session', {
    config: { permission: 'agents:read' },
    schema: { tags: ['auth'], summary: 'Who is signed in', response: { 200: SessionInfo, ...errorResponses } },
    handler: async (req) => {
      if (req.principal.kind !== 'agent') throw new AppError(400, 'not-a-session', 'Not a session', 'this request is authenticated with an API token, not a sign-in');
      return { agent: presentAgent(await getAgent(req.scope, req.principal.agentId)), expiresAt: null };
    },
  });

  app.post('/auth/sign-out', {
    config: { permission: 'agents:read' },
    schema: { tags: ['auth'], summary: 'End this session', response: { 200: z.object({ ended: z.number().int() }), ...errorResponses } },
    handler: async (req, reply) => {
      const principal = req.principal;
      const ended = principal.kind === 'agent' ? await inTenantTx(req.scope, (tx) => revokeSessions(tx, req.scope.tenantId, { sessionId: principal.sessionId })) : 0;
      reply.clearCookie(SESSION_COOKIE, COOKIE);
      return { ended };
    },
  });

  app.post('/auth/sign-out-everywhere', {
    config: { permission: 'agents:read' },
    schema: { tags: ['auth'], summary: 'End every session of the signed-in agent', response: { 200: z.object({ ended: z.number().int() }), ...errorResponses } },
    handler: async (req, reply) => {
      const principal = req.principal;
      const ended = principal.kind === 'agent' ? await inTenantTx(req.scope, (tx) => revokeSessions(tx, req.scope.tenantId, { agentId: principal.agentId })) : 0;
      reply.clearCookie(SESSION_COOKIE, COOKIE);
      return { ended };
    },
  });

  app.post('/agents/:id/password', {
    config: { permission: 'agents:read' },
    schema: {
      tags: ['agents'],
      summary: "Set an agent's password (administrators: anyone's; agents: their own, with the current one)",
      params: IdParams,
      body: PasswordSet,
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (req, reply) => {
      const p = req.principal;
      const isAdmin = p.kind === 'token' ? p.scopes.includes('*') || p.scopes.includes('agents:write') : p.kind === 'agent' && p.role === 'admin';
      await setPassword(req.scope, req.params.id, req.body, { agentId: p.kind === 'agent' ? p.agentId : undefined, isAdmin });
      reply.code(204);
      return null;
    },
  });
};
