import { describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.ts';
import { openTestStore } from '../support/store.ts';

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and lists exactly the routes the server has', async () => {
    const store = await openTestStore();
    const app = await buildServer({ store, logger: false });
    await app.ready();
    const res = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> };
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect([...new Set(app.routeList)].sort()).toEqual(documented.sort());
    expect(documented).toContain('POST /api/v1/conversations/{id}/messages');
    expect(doc.paths['/api/v1/customers']!.post!.responses).toHaveProperty('201');
    expect(doc.paths['/api/v1/customers']!.post!.responses).toHaveProperty('400');
    await app.close();
    await store.dispose();
  });
});
