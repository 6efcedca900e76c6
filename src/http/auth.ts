import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { TenantScope } from '../app/scope.ts';
import { hashToken } from '../app/tokens.ts';
import { findLiveToken } from '../db/repositories/tenants.ts';
import type { DB } from '../db/schema.ts';
import { problem, sendProblem } from './problem.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The tenant and actor of an authenticated request; set by the bearer-token hook. */
    scope: TenantScope;
  }
}

/**
 * A preHandler that accepts `Authorization: Bearer <token>` and scopes the request to the token's
 * tenant. Everything a route reads or writes goes through this scope, so a token of tenant A
 * can only ever find tenant A's rows.
 */
export function bearerAuth(db: Kysely<DB>, onOutbox: () => void) {
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      reply.header('WWW-Authenticate', 'Bearer realm="fairdesk"');
      await sendProblem(reply, problem(401, 'unauthorized', 'Unauthorized', 'send an API token: Authorization: Bearer <token>'));
      return;
    }
    const token = await findLiveToken(db, hashToken(match[1]!));
    if (!token) {
      reply.header('WWW-Authenticate', 'Bearer realm="fairdesk", error="invalid_token"');
      await sendProblem(reply, problem(401, 'unauthorized', 'Unauthorized', 'the API token is unknown, revoked or expired'));
      return;
    }
    request.scope = { db, tenantId: token.tenantId, actor: `token:${token.id}`, onOutbox };
  };
}
