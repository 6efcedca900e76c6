import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/app/errors.ts';
import { inTenantTx } from '../../src/app/scope.ts';
import { IdParams } from '../../src/contracts/common.ts';
import { withTenant } from '../../src/db/with-tenant.ts';
import { APP_ROLE } from '../../src/db/tables.ts';
import { authenticate } from '../../src/http/auth.ts';
import { buildServer } from '../../src/http/server.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { makers, ROUTES, seedRest, seedTenant, setExampleCharter, tenantTables, walkMatrix, type Ctx, type RouteSpec } from '../support/isolation.ts';
import { onPostgres } from '../support/store.ts';

setExampleCharter(readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'charter.yaml'), 'utf8'));

let t: TestApp;
let ctx: Ctx;
let emptyTables: string[];
beforeAll(async () => {
  t = await startTestApp();
  const a = await seedTenant(t, t.a, 'a');
  const b = await seedTenant(t, t.b, 'b');
  emptyTables = await seedRest(t.store, [a, b]);
  ctx = { app: t.app, store: t.store, a, b, make: makers(t.app, t.store) };
}, 120_000);
afterAll(async () => t?.close());

/** Every route as "METHOD /path", from the OpenAPI document. */
async function documentedRoutes(app: FastifyInstance): Promise<string[]> {
  const res = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
  const doc = res.json() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
}

describe(`the tenant isolation matrix (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('has seeded every tenant table for both tenants', () => {
    expect(emptyTables, 'tables without rows of a tenant: seed them in test/support/isolation.ts').toEqual([]);
  });

  it('runs requests under row-level security as a role that is NOSUPERUSER NOBYPASSRLS', async () => {
    const role = await sql<{ rolsuper: boolean; rolbypassrls: boolean }>`select rolsuper, rolbypassrls from pg_roles where rolname = ${APP_ROLE}`.execute(t.store.db);
    expect(role.rows).toEqual([{ rolsuper: false, rolbypassrls: false }]);
    // Every tenant table has RLS enabled and forced (even for its owner).
    const tables = (await tenantTables(t.store)).filter((name) => name !== 'api_tokens');
    const rls = await sql<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>`
      select relname, relrowsecurity, relforcerowsecurity from pg_class where relname in (${sql.join(tables)}) and relkind = 'r'`.execute(t.store.db);
    expect(rls.rows.filter((r) => !r.relrowsecurity || !r.relforcerowsecurity).map((r) => r.relname)).toEqual([]);
    expect(rls.rows).toHaveLength(tables.length);
    // A request's transaction (inTenantTx, which every use-case opens) runs as the app role, and an
    // unfiltered query in B's scope does not see A's rows.
    const seen = await inTenantTx({ db: t.store.db, tenantId: ctx.b.id, actor: 'test' }, async (tx) => {
      const who = await sql<{ u: string }>`select current_user as u`.execute(tx);
      const rows = await tx.selectFrom('customers').select('id').where('id', '=', ctx.a.customer).execute();
      const all = await tx.selectFrom('customers').select('tenant_id').distinct().execute();
      return { user: who.rows[0]!.u, rows: rows.length, tenants: all.map((r) => r.tenant_id) };
    });
    expect(seen).toEqual({ user: APP_ROLE, rows: 0, tenants: [ctx.b.id] });
    expect(await withTenant(t.store.db, ctx.a.id, async (tx) => (await sql<{ u: string }>`select current_user as u`.execute(tx)).rows[0]!.u)).toBe(APP_ROLE);
  });

  it('walks every route the server registers, which is exactly the set the OpenAPI document lists', async () => {
    const registered = [...new Set(t.app.routeList)].sort();
    expect(registered).toEqual((await documentedRoutes(t.app)).sort());
    // The matrix table names no route the server lacks (a removed route must leave the table too).
    expect(Object.keys(ROUTES).filter((r) => !registered.includes(r))).toEqual([]);

    const { failures, checks } = await walkMatrix(ctx, registered, ROUTES);
    console.info(`isolation matrix on ${onPostgres ? 'PostgreSQL' : 'PGlite'}: ${registered.length} routes, requests per principal ${JSON.stringify(checks)}`);
    expect(failures).toEqual([]);
  }, 400_000); // one walk of every route × principal; minutes on a loaded 2-core machine

  it('reports a route added without a tenant scope (negative control)', async () => {
    // A second server on the same store with two extra routes: one reads customers by id on the
    // superuser connection with no tenant filter (the bug the matrix exists to catch), one reads
    // without a tenant filter but inside the request's tenant transaction (row-level security holds).
    const app = await buildServer({ store: t.store, logger: false });
    await app.register(
      async (api) => {
        api.addHook('preHandler', authenticate(t.store.db, { onOutbox: () => {} }));
        const Customer = z.object({ id: z.string(), name: z.string() });
        api.get('/leaky/customers/:id', {
          config: { permission: 'customers:read' },
          schema: { tags: ['test'], summary: 'Leaky: no tenant scope', params: IdParams, response: { 200: Customer } },
          handler: async (req) => {
            const { id } = req.params as { id: string };
            const row = await t.store.db.selectFrom('customers').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
            if (!row) throw new NotFoundError('customer', id);
            return row;
          },
        });
        // A blind write: answers 404 like a scoped route would, but changes A's row on the way.
        api.post('/leaky/customers/:id/touch', {
          config: { permission: 'customers:write' },
          schema: { tags: ['test'], summary: 'Leaky write: no tenant scope, answers 404', params: IdParams },
          handler: async (req) => {
            const { id } = req.params as { id: string };
            await t.store.db.updateTable('customers').set({ external_id: 'touched' }).where('id', '=', id).execute();
            throw new NotFoundError('customer', id);
          },
        });
        api.get('/rls-only/customers/:id', {
          config: { permission: 'customers:read' },
          schema: { tags: ['test'], summary: 'No tenant filter, but in the tenant transaction', params: IdParams, response: { 200: Customer } },
          handler: async (req) => {
            const { id } = req.params as { id: string };
            const row = await inTenantTx(req.scope, (tx) => tx.selectFrom('customers').select(['id', 'name']).where('id', '=', id).executeTakeFirst());
            if (!row) throw new NotFoundError('customer', id);
            return row;
          },
        });
      },
      { prefix: '/api/v1' },
    );
    await app.ready();
    try {
      const leaky = 'GET /api/v1/leaky/customers/{id}';
      const rlsOnly = 'GET /api/v1/rls-only/customers/{id}';
      const blindWrite = 'POST /api/v1/leaky/customers/{id}/touch';
      // The OpenAPI check alone does not catch it: the leaky route is documented like any other.
      const registered = [...new Set(app.routeList)].sort();
      expect(registered).toEqual((await documentedRoutes(app)).sort());
      expect(registered).toEqual(expect.arrayContaining([leaky, rlsOnly]));

      const other = { ...ctx, app, make: makers(app, t.store) };
      // Unknown to the table: reported as such.
      const unknown = await walkMatrix(other, [leaky], ROUTES);
      expect(unknown.failures).toEqual([expect.stringMatching(/^GET \/api\/v1\/leaky\/customers\/\{id\}: not in the isolation matrix/)]);

      // Documented as a staff route by id: the matrix reports the leak, and only for the leaky route.
      const table: Record<string, RouteSpec> = {
        ...ROUTES,
        [leaky]: { kind: 'staff', access: 'record' },
        [blindWrite]: { kind: 'staff', access: 'record' },
        [rlsOnly]: { kind: 'staff', access: 'record' },
      };
      const { failures } = await walkMatrix(other, [leaky, blindWrite, rlsOnly], table);
      expect(failures.length).toBeGreaterThan(0);
      expect(failures.filter((f) => !f.startsWith(`${leaky} as `) && !f.startsWith(`${blindWrite} as `))).toEqual([]);
      // The blind write answered like a scoped route (404), but the snapshot of A's rows caught it.
      expect(failures).toContain(`${blindWrite} as foreign principals: changed tenant A's rows (customers)`);
      expect(failures).toEqual(expect.arrayContaining([expect.stringMatching(/as B's token: answered 200, expected 404/), expect.stringMatching(/as B's admin session: answered 200, expected 404/)]));
      expect(failures.join('\n')).toMatch(/shows A's data/);
    } finally {
      await app.close();
    }
  }, 60_000);
});
