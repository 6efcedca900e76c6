import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { TenantScope } from '../app/scope.ts';
import { resolveSession } from '../app/sessions.ts';
import { hashToken } from '../app/tokens.ts';
import { can, type Permission, type Principal } from '../domain/policy.ts';
import { findLiveToken } from '../db/repositories/tenants.ts';
import type { DB } from '../db/schema.ts';
import { problem, sendProblem } from './problem.ts';

export const SESSION_COOKIE = '__Host-fairdesk_session';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking: an agent (session), an API token, or a portal customer. */
    principal: Principal;
    /** The tenant and actor of an authenticated request. */
    scope: TenantScope;
  }
  interface FastifyContextConfig {
    /** The permission a route requires (see src/domain/policy.ts). Routes without one refuse everyone. */
    permission?: Permission;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Cookie-authenticated writes must come from our own pages: browsers say where a request comes from
 * in Sec-Fetch-Site (or at least Origin). Token requests carry no ambient credentials and need no check.
 */
export function sameOrigin(request: FastifyRequest, publicOrigin: string | undefined): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin';
  const origin = request.headers.origin;
  if (typeof origin !== 'string') return false;
  const own = publicOrigin ?? `${request.protocol}://${request.headers.host ?? ''}`;
  return origin === own;
}

/** Reads the principal from a Bearer token or a session cookie; null when neither is valid. */
export async function readPrincipal(db: Kysely<DB>, request: FastifyRequest): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) return null;
    const token = await findLiveToken(db, hashToken(match[1]!));
    return token ? { kind: 'token', tenantId: token.tenantId, tokenId: token.id, scopes: token.scopes } : null;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  return cookie ? resolveSession(db, cookie) : null;
}

export function actorOf(principal: Principal): string {
  return principal.kind === 'agent' ? `agent:${principal.agentId}` : principal.kind === 'token' ? `token:${principal.tokenId}` : `customer:${principal.customerId}`;
}

/**
 * The onRequest hook of every staff route: authenticate (token or agent session), refuse cross-site
 * cookie writes, then authorize the route's declared permission in the one policy module. A row of
 * another tenant is then simply not found, because everything after this runs in the principal's tenant.
 */
export function authenticate(db: Kysely<DB>, options: { onOutbox: () => void; publicOrigin?: string | undefined }) {
  return async function authenticateRequest(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const principal = await readPrincipal(db, request);
    if (!principal || principal.kind === 'customer') {
      reply.header('WWW-Authenticate', 'Bearer realm="fairdesk"');
      await sendProblem(reply, problem(401, 'unauthorized', 'Unauthorized', 'sign in, or send an API token: Authorization: Bearer <token>'));
      return;
    }
    if (principal.kind === 'agent' && UNSAFE.has(request.method) && !sameOrigin(request, options.publicOrigin)) {
      await sendProblem(reply, problem(403, 'cross-site', 'Cross-site request refused', 'a signed-in change must come from Fairdesk’s own pages (Sec-Fetch-Site / Origin)'));
      return;
    }
    const permission = request.routeOptions.config.permission;
    if (!permission || !can(principal, permission)) {
      await sendProblem(reply, problem(403, 'forbidden', 'Forbidden', permission ? `this needs the ${permission} permission` : 'this route grants no access'));
      return;
    }
    request.principal = principal;
    request.scope = { db, tenantId: principal.tenantId, actor: actorOf(principal), onOutbox: options.onOutbox };
  };
}
