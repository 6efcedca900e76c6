import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { generateHistory } from '../../src/app/generate-history.ts';
import { makeCustomer } from '../support/app.ts';
import { onPostgres } from '../support/store.ts';
import { makeAgent, newPage, screenshot, seriousViolations, startE2E, signInAgent, type E2E } from './support/browser.ts';

const EXAMPLE = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'charter.yaml'), 'utf8');
/** How long to wait for the page to show something (a bound, not a speed requirement). */
const wait = { timeout: 10_000 };
const DAY = 86_400_000;
const day = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
/** The API's query for whole UTC days, as the pages send it. */
const apiRange = (from: string, to: string) => `from=${from}T00:00:00.000Z&to=${new Date(Date.parse(`${to}T00:00:00Z`) + DAY).toISOString()}`;

let e: E2E;
let lead: { id: string; email: string };

beforeAll(async () => {
  e = await startE2E();
  const { t } = e;
  lead = await makeAgent(t, 'lead');
  const charter = await t.call('POST', '/api/v1/charter/versions', { body: { source: EXAMPLE, effectiveAt: '2026-01-01T00:00:00Z' } });
  expect(charter.status).toBe(201);
  // A generated past (2–88 days back, the lowest band served late) and a customer who comes back
  // three times about billing: the charter's rule (3 in 14 days) opens a root-cause case.
  await generateHistory(t.store.db, t.a.id, { conversations: 600, seed: 11, starveLowestBand: true });
  const nora = await makeCustomer(t, t.a, { name: 'Nora Again', emails: ['nora@example.com'] });
  for (let i = 0; i < 3; i++) {
    const res = await t.call('POST', '/api/v1/conversations', { body: { customerId: nora, channel: 'email', subject: 'Bill wrong again', tags: ['billing'], message: { role: 'customer', text: 'My bill is wrong again.' } } });
    expect(res.status).toBe(201);
  }
}, 120_000);
afterAll(async () => e?.close());

/** The rows of a table (by its caption) as arrays of cell texts, header row first. */
async function tableRows(p: Page, caption: string): Promise<string[][]> {
  const table = p.getByRole('table', { name: caption });
  await table.waitFor(wait);
  return table.evaluate((el) => [...(el as HTMLTableElement).rows].map((r) => [...r.cells].map((c) => (c as HTMLElement).innerText.trim())));
}

const pct = (v: number | null) => (v === null ? '–' : `${Number.isInteger(v) ? v : v.toFixed(1)}%`);
const min = (v: number | null) => (v === null ? '–' : `${v} min`);

interface Figures {
  conversations: number;
  firstResponseMetPct: number | null;
  resolutionMetPct: number | null;
  medianFirstResponseMinutes: number | null;
  p90FirstResponseMinutes: number | null;
}

describe(`SLA over time and repeat contacts in Chromium (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('a lead opens SLA over time from the reports: the chart, the tables and the figures are the API’s; by month and for a period; CSV', async () => {
    const { page, problems, context } = await newPage(e);
    await signInAgent(page, lead, '/reports/parity');
    await page.getByRole('navigation', { name: 'Reports' }).getByRole('link', { name: 'SLA over time' }).click();
    await page.waitForURL('**/reports/sla');
    await page.getByRole('heading', { level: 1, name: 'SLA attainment over time' }).waitFor(wait);
    const chart = page.getByRole('img', { name: 'Minimum targets met per week (%)' });
    await chart.waitFor(wait);

    const api = (await e.t.call('GET', '/api/v1/reports/sla')).json;
    const promised = Math.round(api.promisedAttainment * 1000) / 10;
    const below = (b: Figures) => (b.firstResponseMetPct !== null && b.firstResponseMetPct < promised) || (b.resolutionMetPct !== null && b.resolutionMetPct < promised);
    // Buckets are in the charter's zone (Europe/London): a week's label is its local Monday.
    const localDay = new Intl.DateTimeFormat('en-CA', { timeZone: api.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    const label = (b: { start: string }) => `Week of ${localDay.format(new Date(b.start))}`;
    expect(await page.locator('[data-figure="time-zone"]').innerText()).toBe('Europe/London');
    expect(await page.locator('[data-figure="promised"]').innerText()).toBe(pct(promised));
    expect(await page.locator('[data-figure="conversations"]').innerText()).toBe(String(api.total.conversations));
    expect(await page.locator('[data-figure="first-response"]').innerText()).toBe(pct(api.total.firstResponseMetPct));
    expect(await page.locator('[data-figure="resolution"]').innerText()).toBe(pct(api.total.resolutionMetPct));
    expect(api.total.conversations).toBe(603);
    // One first-response bar per bucket with data; the promise in the legend; the chart's table.
    expect(await chart.locator('rect.series-0').count()).toBe(api.buckets.filter((b: Figures) => b.firstResponseMetPct !== null).length);
    expect(await page.getByRole('list', { name: /^Legend: Minimum targets met per week/ }).innerText()).toMatch(/First response met[\s\S]*Resolution met[\s\S]*Charter promise: 95%/);
    expect((await tableRows(page, 'Minimum targets met per week (%)')).slice(1)).toEqual(
      api.buckets.map((b: Figures & { start: string }) => [below(b) ? `${label(b)} (flagged)` : label(b), pct(b.firstResponseMetPct), pct(b.resolutionMetPct)]),
    );
    expect((await tableRows(page, 'SLA figures per week')).slice(1)).toEqual(
      api.buckets.map((b: Figures & { start: string }) => [
        below(b) ? `${label(b)} (below promise)` : label(b),
        String(b.conversations),
        pct(b.firstResponseMetPct),
        pct(b.resolutionMetPct),
        min(b.medianFirstResponseMinutes),
        min(b.p90FirstResponseMinutes),
      ]),
    );
    expect((await tableRows(page, 'SLA figures per channel')).slice(1)).toEqual(
      api.total.channels.map((c: Figures & { channel: string }) => [c.channel, String(c.conversations), pct(c.firstResponseMetPct), pct(c.resolutionMetPct), min(c.medianFirstResponseMinutes), min(c.p90FirstResponseMinutes)]),
    );
    const late = api.buckets.filter(below);
    if (late.length > 0) expect(await page.locator('.report-alert').innerText()).toContain(late.map(label).join(', '));
    await screenshot(page, 'reports-sla');

    // By month, then a period: the bucket is kept in the address when the period changes.
    await page.getByLabel('Bucket').selectOption('month');
    await page.waitForURL('**/reports/sla?bucket=month');
    await page.getByRole('img', { name: 'Minimum targets met per month (%)' }).waitFor(wait);
    await page.getByLabel('From').fill(day(-45));
    await page.getByLabel('To').fill(day(0));
    await page.getByRole('button', { name: 'Show period' }).click();
    await page.waitForURL(`**/reports/sla?from=${day(-45)}&to=${day(0)}&bucket=month`);
    const months = (await e.t.call('GET', `/api/v1/reports/sla?${apiRange(day(-45), day(0))}&bucket=month`)).json;
    await expect.poll(() => page.locator('[data-figure="conversations"]').innerText(), wait).toBe(String(months.total.conversations));
    expect((await tableRows(page, 'SLA figures per month')).slice(1).map((r) => [r[0]!.slice(0, 7), r[1]])).toEqual(
      months.buckets.map((b: Figures & { start: string }) => [localDay.format(new Date(b.start)).slice(0, 7), String(b.conversations)]),
    );

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toBe(`sla-month-${day(-45)}-to-${day(0)}.csv`);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toBe((await e.t.call('GET', `/api/v1/reports/sla?${apiRange(day(-45), day(0))}&bucket=month`, { headers: { accept: 'text/csv' } })).body);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a period too long for daily buckets shows the API’s message, and the bucket can still be changed', async () => {
    const { page, problems, context } = await newPage(e);
    await signInAgent(page, lead, `/reports/sla?from=${day(-500)}&to=${day(0)}&bucket=day`);
    const alert = page.getByRole('alert').filter({ hasText: '400' });
    await alert.waitFor(wait);
    expect(await alert.innerText()).toContain('more than 400 buckets of a day');
    await page.getByLabel('Bucket').selectOption('week');
    await page.waitForURL(`**/reports/sla?from=${day(-500)}&to=${day(0)}`);
    await page.getByRole('img', { name: 'Minimum targets met per week (%)' }).waitFor(wait);
    expect(problems).toEqual(['422 GET /api/v1/reports/sla']);
    await context.close();
  });

  it('repeat contacts: the figures, the weekly series, the top reasons and the root-cause case are the API’s', async () => {
    const { page, problems, context } = await newPage(e);
    await signInAgent(page, lead, '/reports/sla');
    await page.getByRole('navigation', { name: 'Reports' }).getByRole('link', { name: 'Repeat contacts' }).click();
    await page.waitForURL('**/reports/repeat-contacts');
    const title = 'Share of conversations that are repeat contacts, per week (%)';
    await page.getByRole('img', { name: title }).waitFor(wait);
    const api = (await e.t.call('GET', '/api/v1/reports/repeat-contacts')).json;
    expect(api.repeatContacts).toBeGreaterThan(0);
    for (const [figure, value] of [
      ['conversations', String(api.conversations)],
      ['repeats', String(api.repeatContacts)],
      ['share', pct(api.repeatSharePct)],
      ['repeat-customers', String(api.repeatCustomers)],
      ['at-rule', String(api.customersAtRule)],
      ['cases', String(api.rootCauseCases.opened)],
    ]) {
      expect(await page.locator(`[data-figure="${figure}"]`).innerText(), figure).toBe(value);
    }
    expect(await page.getByText('The charter\'s rule: 3 conversations within 14 days').count()).toBe(1);
    type Week = { start: string; conversations: number; repeatContacts: number; repeatSharePct: number | null };
    expect((await tableRows(page, title)).slice(1)).toEqual(api.weeks.map((w: Week) => [`Week of ${w.start.slice(0, 10)}`, pct(w.repeatSharePct)]));
    expect((await tableRows(page, 'Repeat contacts per week')).slice(1)).toEqual(
      api.weeks.map((w: Week) => [`Week of ${w.start.slice(0, 10)}`, String(w.conversations), String(w.repeatContacts), pct(w.repeatSharePct)]),
    );
    expect((await tableRows(page, 'Repeat contacts per value band')).slice(1)).toEqual(
      api.spendBands.map((b: { label: string; conversations: number; repeatContacts: number; repeatSharePct: number | null }) => [b.label, String(b.conversations), String(b.repeatContacts), pct(b.repeatSharePct)]),
    );
    const reasons = await tableRows(page, 'Top reasons for repeat contacts');
    expect(reasons.slice(1)).toEqual(api.topReasons.map((r: { reason: string; repeatContacts: number }) => [r.reason, String(r.repeatContacts)]));
    expect(reasons.slice(1)).toContainEqual(['billing', '2']);
    const cases = await tableRows(page, 'Root-cause cases opened');
    expect(api.rootCauseCases.cases).toHaveLength(1);
    expect(cases.slice(1)).toEqual(api.rootCauseCases.cases.map((c: { createdAt: string; subject: string; linkedConversations: number }) => [c.createdAt.slice(0, 10), c.subject, 'Open', String(c.linkedConversations), 'Customer']));
    expect(await page.locator('[data-figure="cases-by-status"]').innerText()).toBe('Open: 1');
    await screenshot(page, 'reports-repeat-contacts');

    // The case opens in the inbox.
    await page.getByRole('link', { name: api.rootCauseCases.cases[0].subject }).click();
    await page.waitForURL(`**/inbox/${api.rootCauseCases.cases[0].id}`);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('has no serious or critical accessibility violation on either page, at 1280 and 375 px', async () => {
    const found: string[] = [];
    for (const width of [1280, 375]) {
      const { page, context } = await newPage(e, { width });
      await signInAgent(page, lead);
      for (const [path, chart] of [
        ['/reports/sla', 'Minimum targets met per week (%)'],
        ['/reports/sla?bucket=day', 'Minimum targets met per day (%)'],
        ['/reports/repeat-contacts', 'Share of conversations that are repeat contacts, per week (%)'],
      ] as const) {
        await page.goto(path);
        await page.getByRole('img', { name: chart }).waitFor(wait);
        found.push(...(await seriousViolations(page)).map((v) => `${path} at ${width}px: ${v}`));
        if (width === 375) {
          const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
          if (scroll > 375) found.push(`${path} is ${scroll}px wide at 375px`);
          if (path === '/reports/sla') await screenshot(page, 'reports-sla-phone');
        }
      }
      await context.close();
    }
    expect(found).toEqual([]);
  }, 120_000);
});
