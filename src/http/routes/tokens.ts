import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createApiToken, listTokens, revokeToken } from '../../app/manage-tokens.ts';
import { ApiToken, ApiTokenCreated, ApiTokenList, TokenCreate } from '../../contracts/auth.ts';
import { IdParams } from '../../contracts/common.ts';
import type { ApiTokenRow } from '../../db/schema.ts';
import { errorResponses } from './shared.ts';

function presentToken(row: ApiTokenRow) {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at ? row.expires_at.toISOString() : null,
    revokedAt: row.revoked_at ? row.revoked_at.toISOString() : null,
  };
}

export const tokenRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/tokens', {
    config: { permission: 'tokens:manage' },
    schema: { tags: ['tokens'], summary: 'Issue a scoped API token (shown once)', body: TokenCreate, response: { 201: ApiTokenCreated, ...errorResponses } },
    handler: async (req, reply) => {
      const { row, token } = await createApiToken(req.scope, req.body);
      reply.code(201);
      return { ...presentToken(row), token };
    },
  });
  app.get('/tokens', {
    config: { permission: 'tokens:manage' },
    schema: { tags: ['tokens'], summary: "The tenant's API tokens (never the tokens themselves)", response: { 200: ApiTokenList, ...errorResponses } },
    handler: async (req) => ({ data: (await listTokens(req.scope)).map(presentToken), nextCursor: null }),
  });
  app.post('/tokens/:id/revoke', {
    config: { permission: 'tokens:manage' },
    schema: { tags: ['tokens'], summary: 'Revoke a token; it is refused from the next request on', params: IdParams, response: { 200: ApiToken, ...errorResponses } },
    handler: async (req) => presentToken(await revokeToken(req.scope, req.params.id)),
  });
};
