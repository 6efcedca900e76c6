/**
 * Rate limits across two servers sharing the load: each counts alone by default (the effective limit is
 * N × the setting), and one count across both with FAIRDESK_RATE_LIMIT_REDIS. Needs Redis at
 * REDIS_URL (default redis://127.0.0.1:6379) for the shared case.
 */
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const LIMIT = 6;

/** Whether Redis answers (it does on developers' machines and in CI). */
async function redisUp(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => null });
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}
const haveRedis = await redisUp();

let t: TestApp;
const apps: FastifyInstance[] = [];
const clients: Redis[] = [];
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  for (const app of apps) await app.close();
  for (const c of clients) c.disconnect();
  await t?.close();
});

/** Two servers on the one store, as two processes would be. */
async function pair(redis: boolean): Promise<[FastifyInstance, FastifyInstance]> {
  const made = await Promise.all(
    [0, 1].map(async () => {
      const client = redis ? new Redis(REDIS_URL, { enableOfflineQueue: true, maxRetriesPerRequest: 1 }) : undefined;
      if (client) clients.push(client);
      const app = await buildServer({ store: t.store, logger: false, rateLimit: LIMIT, rateLimitRedis: client });
      apps.push(app);
      return app;
    }),
  );
  return made as [FastifyInstance, FastifyInstance];
}

/** 2 × LIMIT requests with one token, alternating between the servers: the statuses in order. */
async function alternate([a, b]: [FastifyInstance, FastifyInstance], token: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < 2 * LIMIT; i++) {
    const res = await (i % 2 === 0 ? a : b).inject({ method: 'GET', url: '/api/v1/customers', headers: { authorization: `Bearer ${token}` } });
    statuses.push(res.statusCode);
  }
  return statuses;
}

describe('rate limits across two servers', () => {
  it('count per server without a shared store: the effective limit is twice the setting', async () => {
    const statuses = await alternate(await pair(false), t.a.token);
    expect(statuses).toEqual(Array(2 * LIMIT).fill(200));
  });

  it.skipIf(!haveRedis)(`count once across both with FAIRDESK_RATE_LIMIT_REDIS (skipped when no Redis answers at ${REDIS_URL})`, async () => {
    const statuses = await alternate(await pair(true), t.b.token);
    expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(200));
    expect(statuses.slice(LIMIT)).toEqual(Array(LIMIT).fill(429));
  });
});
