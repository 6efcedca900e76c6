import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHistory } from '../../src/app/generate-history.ts';
import { makeCustomer, startTestApp, type TestApp } from '../support/app.ts';

const EXAMPLE = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'charter.yaml'), 'utf8');
const DAY = 86_400_000;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  for (const tenant of [t.a, t.b]) {
    const res = await t.call('POST', '/api/v1/charter/versions', { as: tenant, body: { source: EXAMPLE, effectiveAt: '2026-01-01T00:00:00Z' } });
    expect(res.status).toBe(201);
  }
  await generateHistory(t.store.db, t.a.id, { conversations: 1500, seed: 5, starveLowestBand: true });
  // Two open conversations made through the API: still inside their due times, so not decided yet.
  const customerId = await makeCustomer(t, t.a, { name: 'Oona Open', emails: ['oona@example.com'] });
  for (const channel of ['chat', 'email']) {
    const res = await t.call('POST', '/api/v1/conversations', { body: { customerId, channel, subject: 'Router', message: { role: 'customer', text: 'My router blinks red.' } } });
    expect(res.status).toBe(201);
  }
}, 180_000);
afterAll(async () => t?.close());

interface Conv {
  created_at: Date;
  channel: string;
  first_reply_at: Date | null;
  resolved_at: Date | null;
  min_first_response_due_at: Date | null;
  min_resolution_due_at: Date | null;
  first_response_business_minutes: number | null;
}

/** Tenant A's customer conversations with minimum due times, read straight from the table. */
async function conversationsOfA(): Promise<Conv[]> {
  const rows = await t.store.db
    .selectFrom('conversations')
    .select(['created_at', 'channel', 'first_reply_at', 'resolved_at', 'min_first_response_due_at', 'min_resolution_due_at', 'first_response_business_minutes'])
    .where('tenant_id', '=', t.a.id)
    .where('kind', '=', 'customer')
    .execute();
  return rows.filter((r) => r.min_first_response_due_at !== null) as Conv[];
}

/** The expected figures for a set of conversations, computed here from the charter's definitions. */
function expected(convs: Conv[], now: number) {
  const share = (met: number, decided: number) => (decided === 0 ? null : Math.round((met / decided) * 1000) / 10);
  const frDecided = convs.filter((c) => c.first_reply_at !== null || c.min_first_response_due_at!.getTime() <= now);
  const resDecided = convs.filter((c) => c.resolved_at !== null || c.min_resolution_due_at!.getTime() <= now);
  const frMet = frDecided.filter((c) => c.first_reply_at !== null && c.first_reply_at <= c.min_first_response_due_at!);
  const resMet = resDecided.filter((c) => c.resolved_at !== null && c.resolved_at <= c.min_resolution_due_at!);
  const minutes = convs.map((c) => c.first_response_business_minutes).filter((m): m is number => m !== null).sort((x, y) => x - y);
  // Linear interpolation between the closest ranks (PostgreSQL's percentile_cont), rounded to whole minutes.
  const percentile = (p: number) => {
    if (minutes.length === 0) return null;
    const at = p * (minutes.length - 1);
    const lo = minutes[Math.floor(at)]!;
    const hi = minutes[Math.ceil(at)]!;
    return Math.round(lo + (hi - lo) * (at - Math.floor(at)));
  };
  return {
    conversations: convs.length,
    firstResponseMetPct: share(frMet.length, frDecided.length),
    resolutionMetPct: share(resMet.length, resDecided.length),
    medianFirstResponseMinutes: percentile(0.5),
    p90FirstResponseMinutes: percentile(0.9),
  };
}

/** Monday 00:00 UTC of the week holding t: 1970-01-05 was a Monday. */
const weekOf = (t: number) => Date.UTC(1970, 0, 5) + Math.floor((t - Date.UTC(1970, 0, 5)) / (7 * DAY)) * 7 * DAY;

describe('the SLA-over-time report', () => {
  it('by week (the default) over the last 90 days: every bucket and channel as counted from the conversations themselves', async () => {
    const res = await t.call('GET', '/api/v1/reports/sla?timeZone=UTC');
    expect(res.status).toBe(200);
    const report = res.json;
    const now = Date.now();
    expect(report.bucket).toBe('week');
    expect(report.timeZone).toBe('UTC');
    expect(report.promisedAttainment).toBe(0.95);
    const from = Date.parse(report.from);
    const to = Date.parse(report.to);
    expect(to - from).toBe(90 * DAY);
    const all = (await conversationsOfA()).filter((c) => c.created_at.getTime() >= from && c.created_at.getTime() < to);
    expect(all.length).toBeGreaterThan(1500); // the generated past plus the two open ones

    // Buckets: consecutive weeks from the one holding `from` to the one holding the last instant.
    const weeks: number[] = [];
    for (let w = weekOf(from); w < to; w += 7 * DAY) weeks.push(w);
    expect(report.buckets.map((b: { start: string }) => Date.parse(b.start))).toEqual(weeks.map((w) => Math.max(w, from)));
    expect(report.buckets.at(-1).end).toBe(report.to);

    for (const [i, w] of weeks.entries()) {
      const inWeek = all.filter((c) => weekOf(c.created_at.getTime()) === w);
      const bucket = report.buckets[i];
      const { channels, start: _s, end: _e, ...figures } = bucket;
      expect(figures).toEqual(expected(inWeek, now));
      const channelNames = [...new Set(inWeek.map((c) => c.channel))].sort();
      expect(channels.map((c: { channel: string }) => c.channel)).toEqual(channelNames);
      for (const c of channels) {
        const { channel, ...f } = c;
        expect(f).toEqual(expected(inWeek.filter((x) => x.channel === channel), now));
      }
    }
    const { channels, ...total } = report.total;
    expect(total).toEqual(expected(all, now));
    expect(channels.length).toBeGreaterThanOrEqual(5);
    // The open ones are counted but not decided; so the totals of met % come from resolved ones only.
    expect(report.total.conversations).toBe(all.length);
  });

  it('by day and by month, with the period given', async () => {
    const now = Date.now();
    const from = new Date(Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), 1) - 40 * DAY);
    const to = new Date(now - 10 * DAY);
    const q = `from=${from.toISOString()}&to=${to.toISOString()}&timeZone=UTC`;
    const all = (await conversationsOfA()).filter((c) => c.created_at >= from && c.created_at < to);

    const days = (await t.call('GET', `/api/v1/reports/sla?${q}&bucket=day`)).json;
    expect(days.buckets).toHaveLength(Math.ceil((to.getTime() - Math.floor(from.getTime() / DAY) * DAY) / DAY));
    for (const b of days.buckets) {
      const { channels: _c, start, end, ...figures } = b;
      expect(figures).toEqual(expected(all.filter((c) => c.created_at.toISOString().slice(0, 10) === start.slice(0, 10)), now));
      expect(Date.parse(end) - Date.parse(start)).toBeLessThanOrEqual(DAY);
    }

    const months = (await t.call('GET', `/api/v1/reports/sla?${q}&bucket=month`)).json;
    const monthNames = [...new Set(Array.from({ length: Math.ceil((to.getTime() - from.getTime()) / DAY) + 1 }, (_, i) => new Date(Math.min(from.getTime() + i * DAY, to.getTime() - 1)).toISOString().slice(0, 7)))];
    expect(months.buckets.map((b: { start: string }) => b.start.slice(0, 7))).toEqual(monthNames);
    expect(months.buckets[0].start).toBe(from.toISOString());
    for (const b of months.buckets) {
      const { channels: _c, start, end: _e, ...figures } = b;
      expect(figures).toEqual(expected(all.filter((c) => c.created_at.toISOString().slice(0, 7) === start.slice(0, 7)), now));
    }
    expect(months.buckets.reduce((n: number, b: { conversations: number }) => n + b.conversations, 0)).toBe(all.length);
  });

  it("buckets in the charter's time zone by default, or in the zone asked for: local days from local midnight", async () => {
    const def = (await t.call('GET', '/api/v1/reports/sla')).json;
    expect(def.timeZone).toBe('Europe/London'); // examples/charter.yaml's business hours
    // India is 5 h 30 min ahead of UTC all year, so its days never line up with UTC days or hours.
    const zone = 'Asia/Kolkata';
    const now = Date.now();
    const from = new Date(now - 60 * DAY);
    const to = new Date(now);
    const res = await t.call('GET', `/api/v1/reports/sla?from=${from.toISOString()}&to=${to.toISOString()}&bucket=day&timeZone=${zone}`);
    expect(res.status).toBe(200);
    expect(res.json.timeZone).toBe(zone);
    const localDay = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    const localTime = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const all = (await conversationsOfA()).filter((c) => c.created_at >= from && c.created_at < to);
    const byDay = new Map<string, Conv[]>();
    for (const c of all) {
      const day = localDay.format(c.created_at);
      byDay.set(day, [...(byDay.get(day) ?? []), c]);
    }
    const buckets = res.json.buckets as Array<{ start: string; end: string; channels: unknown; conversations: number }>;
    expect(buckets).toHaveLength(61);
    for (const b of buckets) {
      const { channels: _c, start, end, ...figures } = b;
      // Every whole bucket runs from local midnight to local midnight (the zone has no summer time).
      if (b !== buckets[0]) expect(localTime.format(new Date(start))).toBe('00:00');
      if (b !== buckets[0] && b !== buckets.at(-1)) expect(Date.parse(end) - Date.parse(start)).toBe(DAY);
      expect(figures).toEqual(expected(byDay.get(localDay.format(new Date(start))) ?? [], now));
    }
    expect(buckets.reduce((n, b) => n + b.conversations, 0)).toBe(all.length);
    const bad = await t.call('GET', '/api/v1/reports/sla?timeZone=Mars/Olympus');
    expect(bad.status).toBe(422);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(bad.json)).toMatch(/timeZone/);
  });

  it('answers CSV when asked: a row per bucket and per bucket and channel, then the totals', async () => {
    // A fixed period: the default one ends "now", which moves between two requests.
    const q = `from=${new Date(Date.now() - 60 * DAY).toISOString()}&to=${new Date().toISOString()}&bucket=month`;
    const json = (await t.call('GET', `/api/v1/reports/sla?${q}`)).json;
    const res = await t.call('GET', `/api/v1/reports/sla?${q}`, { headers: { accept: 'text/csv' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.trim().split('\n');
    expect(lines[0]).toBe('bucket_start,bucket_end,channel,conversations,first_response_met_pct,resolution_met_pct,median_first_response_minutes,p90_first_response_minutes');
    const perBucket = json.buckets.reduce((n: number, b: { channels: unknown[] }) => n + 1 + b.channels.length, 0);
    expect(lines).toHaveLength(1 + perBucket + 1 + json.total.channels.length);
    const b0 = json.buckets[0];
    const cell = (v: number | null) => (v === null ? '' : String(v));
    expect(lines[1]).toBe([b0.start, b0.end, 'all', b0.conversations, cell(b0.firstResponseMetPct), cell(b0.resolutionMetPct), cell(b0.medianFirstResponseMinutes), cell(b0.p90FirstResponseMinutes)].join(','));
    expect(lines.at(-1 - json.total.channels.length)).toMatch(new RegExp(`^${json.from},${json.to},all,${json.total.conversations},`));
  });

  it('shows another tenant only its own conversations', async () => {
    const report = (await t.call('GET', '/api/v1/reports/sla', { as: t.b })).json;
    expect(report.total.conversations).toBe(0);
    expect(report.buckets.every((b: { conversations: number; firstResponseMetPct: number | null }) => b.conversations === 0 && b.firstResponseMetPct === null)).toBe(true);
  });

  it('refuses an empty period, too many buckets and an unknown bucket, naming the parameter', async () => {
    const empty = await t.call('GET', '/api/v1/reports/sla?from=2026-05-01T00:00:00Z&to=2026-04-01T00:00:00Z');
    expect(empty.status).toBe(422);
    expect(empty.headers['content-type']).toContain('application/problem+json');
    expect(empty.json.errors[0].parameter).toBe('from');
    const long = await t.call('GET', '/api/v1/reports/sla?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&bucket=day');
    expect(long.status).toBe(422);
    expect(long.json.errors[0]).toMatchObject({ parameter: 'bucket' });
    expect(long.json.errors[0].detail).toMatch(/more than 400 days/);
    // The same two years by week are 105 buckets: fine.
    expect((await t.call('GET', '/api/v1/reports/sla?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&bucket=week')).json.buckets).toHaveLength(105);
    const unknown = await t.call('GET', '/api/v1/reports/sla?bucket=year');
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.json.errors)).toContain('bucket');
  });
});
