import type { FastifyInstance, InjectOptions } from 'fastify';
import { createTenant } from '../../src/app/create-tenant.ts';
import pino from 'pino';
import { buildServer, type ServerOptions } from '../../src/http/server.ts';
import { openTestStore } from './store.ts';

export interface TestTenant {
  id: string;
  token: string;
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/** A server (not listening; use app.inject) on a fresh store, with two tenants A and B. */
export async function startTestApp(options: Pick<ServerOptions, 'webhooks'> = {}) {
  const store = await openTestStore();
  // TEST_LOG=error shows what a 500 was about.
  const app = await buildServer({ ...options, store, logger: process.env.TEST_LOG ? pino({ level: process.env.TEST_LOG }, process.stderr) : false });
  await app.ready();
  const make = async (name: string): Promise<TestTenant> => {
    const { tenant, token } = await createTenant(store.db, { name, actor: 'test' });
    return { id: tenant.id, token };
  };
  const a = await make('Tenant A');
  const b = await make('Tenant B');

  /** Sends a request as a tenant (A by default) and returns status, headers and parsed JSON. */
  const call = async (
    method: InjectOptions['method'],
    url: string,
    options: { body?: unknown; rawBody?: string; as?: TestTenant | null; headers?: Record<string, string> } = {},
  ) => {
    const as = options.as === undefined ? a : options.as;
    const headers: Record<string, string> = { ...(as ? { authorization: `Bearer ${as.token}` } : {}), ...options.headers };
    if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] ??= 'application/json';
    const response = await app.inject({
      method,
      url,
      headers,
      ...(options.rawBody !== undefined ? { payload: options.rawBody } : options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
    });
    let json: any = undefined; // eslint-disable-line @typescript-eslint/no-explicit-any -- test convenience
    try {
      json = response.json();
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, headers: response.headers, json, body: response.body };
  };

  return {
    app: app as FastifyInstance,
    store,
    a,
    b,
    call,
    close: async () => {
      await app.close();
      await store.dispose();
    },
  };
}

/** Creates a customer for the tenant and returns its id. */
export async function makeCustomer(t: TestApp, as: TestTenant, body: Record<string, unknown> = {}): Promise<string> {
  const res = await t.call('POST', '/api/v1/customers', { as, body: { name: 'Test Customer', ...body } });
  if (res.status !== 201) throw new Error(`customer not created: ${res.status} ${res.body}`);
  return res.json.id as string;
}
