import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError } from '../../app/errors.ts';
import { findTenantById } from '../../db/repositories/tenants.ts';
import { errorResponses } from './shared.ts';

const Tenant = z.object({ id: z.string(), slug: z.string(), name: z.string(), createdAt: z.string() }).meta({ id: 'Tenant' });

export const tenantRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/tenant', {
    config: { permission: 'agents:read' },
    schema: { tags: ['tenant'], summary: "The token's tenant", response: { 200: Tenant, ...errorResponses } },
    handler: async (req) => {
      const tenant = await findTenantById(req.scope.db, req.scope.tenantId);
      if (!tenant) throw new NotFoundError('tenant', req.scope.tenantId);
      return { id: tenant.id, slug: tenant.slug, name: tenant.name, createdAt: tenant.created_at.toISOString() };
    },
  });
};
