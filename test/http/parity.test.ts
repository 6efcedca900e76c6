import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHistory } from '../../src/app/generate-history.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

const EXAMPLE = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'charter.yaml'), 'utf8');

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  for (const tenant of [t.a, t.b]) {
    const res = await t.call('POST', '/api/v1/charter/versions', { as: tenant, body: { source: EXAMPLE, effectiveAt: '2026-01-01T00:00:00Z' } });
    expect(res.status).toBe(201);
  }
  await generateHistory(t.store.db, t.a.id, { conversations: 10_000, seed: 7 });
  await generateHistory(t.store.db, t.b.id, { conversations: 10_000, seed: 7, starveLowestBand: true });
}, 180_000);
afterAll(async () => t?.close());

describe('the parity report over 10,000 generated conversations', () => {
  it('flags nothing when every band is served alike', async () => {
    const res = await t.call('GET', '/api/v1/reports/parity');
    expect(res.status).toBe(200);
    const report = res.json;
    expect(report.bands.map((b: { band: number }) => b.band)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(report.bands.reduce((n: number, b: { conversations: number }) => n + b.conversations, 0)).toBe(10_000);
    expect(report.flagged).toBe(false);
    for (const band of report.bands) expect(band.firstResponseMetPct).toBeGreaterThan(95);
  });

  it('flags the band that was deliberately served late, and only that one', async () => {
    const report = (await t.call('GET', '/api/v1/reports/parity', { as: t.b })).json;
    expect(report.flagged).toBe(true);
    const flagged = report.bands.filter((b: { flagged: boolean }) => b.flagged);
    expect(flagged.map((b: { band: number }) => b.band)).toEqual([1]);
    expect(flagged[0].label).toBe('Lowest fifth');
    expect(flagged[0].firstResponseMetPct).toBeLessThan(90);
    expect(flagged[0].flags.join(' ')).toMatch(/below the 95% the charter promises/);
  });

  it('answers CSV when asked', async () => {
    const res = await t.call('GET', '/api/v1/reports/parity', { as: t.b, headers: { accept: 'text/csv' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.trim().split('\n');
    expect(lines[0]).toMatch(/^band,label,min_spend_minor.*,exceptions,failure_demand,flagged,flags$/);
    expect(lines).toHaveLength(7);
    expect(lines[2]).toMatch(/^1,Lowest fifth,.*,true,/);
  });

  it('refuses an empty period', async () => {
    const res = await t.call('GET', '/api/v1/reports/parity?from=2026-05-01T00:00:00Z&to=2026-04-01T00:00:00Z');
    expect(res.status).toBe(422);
    expect(res.json.errors[0].parameter).toBe('from');
  });
});
