import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_PATHS } from '../../web/src/app-paths.ts';
import { buildServer } from '../../src/http/server.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { openTestStore } from '../support/store.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const get = (url: string) => t.app.inject({ method: 'GET', url });

describe('fairdesk serve serves the built web app', () => {
  it("answers every app path with index.html, revalidated each time, under the strict CSP", async () => {
    for (const path of Object.values(APP_PATHS)) {
      const res = await get(path.replace(':slug', 'tenant-a').replace(':id', '0190a0b0-0000-7000-8000-000000000000'));
      expect(res.statusCode, path).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
      expect(res.body).not.toMatch(/<script>|<style>|style="/);
      expect(String(res.headers['content-security-policy'])).toMatch(/script-src 'self'/);
    }
  });

  it('serves hashed assets for a year, and nothing outside web/dist/assets', async () => {
    const files = readdirSync('web/dist/assets');
    const js = files.find((f) => f.endsWith('.js'))!;
    const css = files.find((f) => f.endsWith('.css'))!;
    const script = await get(`/assets/${js}`);
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await get(`/assets/${css}`)).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get('/assets/nope.js')).statusCode).toBe(404);
    for (const sneaky of ['/assets/..%2Fpackage.json', '/assets/.env', '/assets/%2e%2e%2f%2e%2e%2fpackage.json']) {
      const res = await get(sneaky);
      expect(res.statusCode, sneaky).toBe(400);
      expect(res.json().errors[0].parameter).toBe('file');
    }
  });

  it('never falls back to the app for the API or for unknown paths: those stay problem+json 404s', async () => {
    for (const url of ['/api/v1/nothing-here', '/api/v1/portal/tenant-a/nothing', '/inbox/x/y', '/portal', '/no-such-page', '/charter']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/^application\/problem\+json/);
    }
  });

  it('says plainly when the web app has not been built', async () => {
    const store = await openTestStore();
    const app = await buildServer({ store, logger: false, webRoot: '/nonexistent/web/dist' });
    const res = await app.inject({ method: 'GET', url: '/inbox' });
    expect(res.statusCode).toBe(503);
    expect(res.json().detail).toMatch(/npm run build:web/);
    await app.close();
    await store.dispose();
  });
});
