import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { publishCharter } from '../../app/publish-charter.ts';
import { getCharterInEffect, getCharterVersion, getPublicCharter, listCharters } from '../../app/read-charter.ts';
import { EntitlementsSchema, CharterPublish, CharterVersion, CharterVersionList, CharterVersionListQuery, CharterVersionParams, PublicCharter } from '../../contracts/charter.ts';
import { idempotentCreate } from '../idempotency.ts';
import { getEntitlements } from '../../app/get-entitlements.ts';
import { IdParams } from '../../contracts/common.ts';
import { presentCharterVersion } from '../presenters/charter.ts';
import { errorResponses } from './shared.ts';

export const charterRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/charter/versions', {
    config: { permission: 'charter:publish' },
    schema: {
      tags: ['charter'],
      summary: 'Publish a new charter version',
      description: 'Validates the YAML in full: a 422 lists every error with its line and column. Published versions never change.',
      body: CharterPublish,
      response: { 201: CharterVersion, ...errorResponses },
    },
    handler: (req, reply) => idempotentCreate(req, reply, 'charter.publish', (hooks) => publishCharter(req.scope, req.body, hooks), presentCharterVersion),
  });

  app.get('/customers/:id/entitlements', {
    config: { permission: 'customers:read' },
    schema: {
      tags: ['charter'],
      summary: "What the customer is entitled to under the charter, and why",
      params: IdParams,
      response: { 200: EntitlementsSchema, ...errorResponses },
    },
    handler: async (req) => {
      const e = await getEntitlements(req.scope, req.params.id);
      return {
        tier: e.tier,
        entitlements: { targets: e.targets, callback: e.callback, namedTeam: e.namedTeam, extras: e.extras },
        reasons: e.reasons,
        charterVersion: e.charterVersion,
      };
    },
  });

  app.get('/charter', {
    config: { permission: 'charter:read' },
    schema: { tags: ['charter'], summary: 'The charter version in effect now', response: { 200: CharterVersion, ...errorResponses } },
    handler: async (req) => presentCharterVersion(await getCharterInEffect(req.scope)),
  });

  app.get('/charter/versions', {
    config: { permission: 'charter:read' },
    schema: { tags: ['charter'], summary: 'Every published version, newest first', querystring: CharterVersionListQuery, response: { 200: CharterVersionList, ...errorResponses } },
    handler: async (req) => {
      const before = req.query.cursor === undefined ? undefined : Number(Buffer.from(req.query.cursor, 'base64url').toString('utf8')) || 0;
      const rows = await listCharters(req.scope, req.query.limit + 1, before);
      const page = rows.slice(0, req.query.limit);
      const last = page.at(-1);
      return {
        data: page.map(presentCharterVersion),
        nextCursor: rows.length > req.query.limit && last ? Buffer.from(String(last.version)).toString('base64url') : null,
      };
    },
  });

  app.get('/charter/versions/:version', {
    config: { permission: 'charter:read' },
    schema: { tags: ['charter'], summary: 'One published version', params: CharterVersionParams, response: { 200: CharterVersion, ...errorResponses } },
    handler: async (req) => presentCharterVersion(await getCharterVersion(req.scope, req.params.version)),
  });
};

/** Unauthenticated: the charter a company promises to every customer is public. */
export const publicCharterRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/public/:slug/charter', {
    schema: {
      tags: ['public'],
      summary: "A company's charter in effect now (no sign-in needed)",
      security: [],
      params: z.strictObject({ slug: z.string().max(60) }),
      response: { 200: PublicCharter, 404: errorResponses[404], 400: errorResponses[400] },
    },
    handler: async (req) => {
      const { tenant, charter } = await getPublicCharter(app.store.db, req.params.slug);
      return {
        tenant: { slug: tenant.slug, name: tenant.name },
        version: charter.version,
        effectiveAt: charter.effective_at.toISOString(),
        document: charter.document as Record<string, unknown>,
      };
    },
  });
};
