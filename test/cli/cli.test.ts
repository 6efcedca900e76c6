import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freshStoreLocation, onPostgres, type TestStoreLocation } from '../support/store.ts';
import { runCli, startServe, type CliEnv } from '../support/cli.ts';

// Each test spawns real processes (several seconds each on a busy two-core machine).
vi.setConfig({ testTimeout: 180_000 });

let location: TestStoreLocation;
let env: CliEnv;
beforeAll(async () => {
  location = await freshStoreLocation();
  env = { dataDir: location.dataDir, databaseUrl: location.databaseUrl };
});
afterAll(async () => location?.dispose());

const api = async (url: string, token: string, path: string, init: { method?: string; body?: unknown; key?: string } = {}) => {
  const res = await fetch(`${url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.key ? { 'idempotency-key': init.key } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

describe(`the fairdesk CLI (${onPostgres ? 'PostgreSQL' : 'embedded store'})`, () => {
  it('prints --help for every command', async () => {
    const all = [['--help'], ['serve', '--help'], ['tenant', '--help'], ['tenant', 'create', '--help'], ['demo', '--help'], ['charter', '--help'], ['charter', 'publish', '--help'], ['charter', 'check', '--help'], ['analyze', '--help'], ['audit', '--help'], ['audit', 'verify', '--help']];
    // Side by side: each is a process start and nothing else, and there are two cores.
    const results = await Promise.all(all.map(async (args) => ({ args, res: await runCli(args, env) })));
    for (const { args, res } of results) {
      expect([args, res.code]).toEqual([args, 0]);
      expect(res.stdout).toMatch(/Usage: fairdesk/);
    }
  });

  it('lists every configuration error before it exits', async () => {
    const res = await runCli(['serve', '--port', 'eighty'], env, { DATABASE_URL: 'mysql://nope', LOG_LEVEL: 'loud' });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/--port \/ PORT/);
    expect(res.stderr).toMatch(/DATABASE_URL/);
    expect(res.stderr).toMatch(/LOG_LEVEL/);
  });

  it('tenant create and demo work on their own, with no server running', async () => {
    const created = await runCli(['tenant', 'create', '--name', 'Solo Ltd', '--data', env.dataDir, '--json'], env);
    expect(created.code).toBe(0);
    const parsed = JSON.parse(created.stdout) as Record<string, string>;
    expect(Object.keys(parsed).sort()).toEqual(['tenantId', 'token']);
    const demo1 = await runCli(['demo', '--data', env.dataDir, '--json'], env);
    const demo2 = await runCli(['demo', '--data', env.dataDir, '--json'], env);
    expect([demo1.code, demo2.code]).toEqual([0, 0]);
    const d1 = JSON.parse(demo1.stdout) as { tenantId: string; token: string };
    const d2 = JSON.parse(demo2.stdout) as { tenantId: string; token: string };
    expect(Object.keys(d1).sort()).toEqual(['tenantId', 'token']);
    expect(d2.tenantId).toBe(d1.tenantId);

    // Both tokens work, and the second run added nothing.
    const server = await startServe(env);
    try {
      const list1 = await api(server.url, d1.token, '/api/v1/customers?limit=200');
      const list2 = await api(server.url, d2.token, '/api/v1/customers?limit=200');
      // 12 demo customers and the 128 business customers of the generated card sales.
      expect(list1.json.data.length).toBe(140);
      expect(list2.json.data.length).toBe(140);
      const conversations = await api(server.url, d1.token, '/api/v1/conversations?limit=200');
      expect(conversations.json.data.length).toBe(12);
      expect((await api(server.url, parsed.token!, '/api/v1/tenant')).json.name).toBe('Solo Ltd');
    } finally {
      await server.stop();
    }
  });

  it('tenant create and demo work beside a running server, which serves the new token at once', async () => {
    const server = await startServe(env);
    try {
      const created = await runCli(['tenant', 'create', '--name', 'Beside Ltd', '--data', env.dataDir, '--json'], env);
      expect(created.code).toBe(0);
      const { token } = JSON.parse(created.stdout) as { token: string };
      expect((await api(server.url, token, '/api/v1/tenant')).json.name).toBe('Beside Ltd');
      const demo = await runCli(['demo', '--data', env.dataDir, '--json'], env);
      expect(demo.code).toBe(0);
      const demoToken = (JSON.parse(demo.stdout) as { token: string }).token;
      expect((await api(server.url, demoToken, '/api/v1/customers?limit=200')).json.data.length).toBe(140);
      expect((await runCli(['demo', '--data', env.dataDir], env)).stdout).toMatch(/already there; nothing new/);
    } finally {
      await server.stop();
    }
  });

  it.skipIf(onPostgres)('a second server on the same embedded data folder refuses clearly', async () => {
    const server = await startServe(env);
    try {
      const second = await startServe(env).then(
        (s) => s.stop().then(() => 'started'),
        (error: Error) => error.message,
      );
      expect(second).toMatch(/exited with 1/);
      expect(second).toMatch(/in use by another Fairdesk process \(pid \d+\)/);
    } finally {
      await server.stop();
    }
  });

  it('acknowledged writes survive kill -9, and a new server starts without manual cleanup', async () => {
    const created = await runCli(['tenant', 'create', '--name', 'Crash Test', '--data', env.dataDir, '--json'], env);
    const { token } = JSON.parse(created.stdout) as { token: string };
    let server = await startServe(env);
    const acknowledged: string[] = [];
    for (let i = 0; i < 25; i++) {
      const res = await api(server.url, token, '/api/v1/customers', { method: 'POST', body: { name: `Durable ${i}` }, key: `durable-${i}` });
      expect(res.status).toBe(201);
      acknowledged.push(res.json.id as string);
    }
    const conv = await api(server.url, token, '/api/v1/conversations', {
      method: 'POST',
      body: { customerId: acknowledged[0], channel: 'chat', subject: 'Kept', message: { role: 'customer', text: 'Please keep this.' } },
    });
    expect(conv.status).toBe(201);
    await server.kill9();

    server = await startServe(env);
    try {
      const list = await api(server.url, token, '/api/v1/customers?limit=200');
      expect(list.json.data.map((c: { id: string }) => c.id).sort()).toEqual([...acknowledged].sort());
      const kept = await api(server.url, token, `/api/v1/conversations/${conv.json.id}`);
      expect(kept.json.messages[0].text).toBe('Please keep this.');
      // A retry of an acknowledged create after the crash replays, never duplicates.
      const retry = await api(server.url, token, '/api/v1/customers', { method: 'POST', body: { name: 'Durable 3' }, key: 'durable-3' });
      expect(retry.json.id).toBe(acknowledged[3]);
      expect((await api(server.url, token, '/api/v1/customers?limit=200')).json.data.length).toBe(25);
    } finally {
      await server.stop();
    }
  });

  it('charter check reports line and column; charter publish works alone and beside a server', async () => {
    const example = join(import.meta.dirname, '..', '..', 'examples', 'charter.yaml');
    const broken = join(env.dataDir, 'broken.yaml');
    writeFileSync(broken, readFileSync(example, 'utf8').replace('timeZone: Europe/London', 'timeZone: Mars/Olympus'));
    const check = await runCli(['charter', 'check', broken], env);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/broken\.yaml:\d+:\d+: businessHours\.timeZone: /);
    expect((await runCli(['charter', 'check', example], env)).code).toBe(0);

    const { token } = JSON.parse((await runCli(['tenant', 'create', '--name', 'Charter Co', '--slug', 'charter-co', '--data', env.dataDir, '--json'], env)).stdout) as { token: string };
    const alone = await runCli(['charter', 'publish', example, '--tenant', 'charter-co', '--effective', '2026-01-01', '--data', env.dataDir, '--json'], env);
    expect([alone.code, alone.stderr]).toEqual([0, '']);
    expect(JSON.parse(alone.stdout)).toEqual({ version: 1, effectiveAt: '2026-01-01T00:00:00.000Z' });
    const refused = await runCli(['charter', 'publish', broken, '--tenant', 'charter-co', '--data', env.dataDir], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/line \d+, column \d+/);

    const server = await startServe(env);
    try {
      const beside = await runCli(['charter', 'publish', example, '--tenant', 'charter-co', '--effective', '2026-02-01', '--data', env.dataDir, '--json'], env);
      expect(beside.code).toBe(0);
      expect(JSON.parse(beside.stdout).version).toBe(2);
      expect((await api(server.url, token, '/api/v1/charter')).json.version).toBe(2);
    } finally {
      await server.stop();
    }
  });
});
