import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { generateHistory } from '../../src/app/generate-history.ts';
import { reconcileCharges } from '../../src/app/reconcile-charges.ts';
import { makeCustomer } from '../support/app.ts';
import { onPostgres } from '../support/store.ts';
import { makeAgent, newPage, screenshot, seriousViolations, startE2E, type E2E, signInAgent } from './support/browser.ts';
import { injectCharge } from '../support/ledger.ts';

const EXAMPLE = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'charter.yaml'), 'utf8');
/** How long to wait for the page to show something (a bound, not a speed requirement). */
const wait = { timeout: 10_000 };
const DAY = 86_400_000;
const iso = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const day = (days: number) => iso(days).slice(0, 10);

let e: E2E;
let lead: { id: string; email: string };
let agent: { id: string; email: string };

beforeAll(async () => {
  e = await startE2E();
  const { t } = e;
  lead = await makeAgent(t, 'lead');
  agent = await makeAgent(t, 'agent');

  // Parity: a charter and a generated past (2–88 days back) whose lowest band was served late.
  const charter = await t.call('POST', '/api/v1/charter/versions', { body: { source: EXAMPLE, effectiveAt: '2026-01-01T00:00:00Z' } });
  expect(charter.status).toBe(201);
  await generateHistory(t.store.db, t.a.id, { conversations: 600, seed: 11, starveLowestBand: true });

  // Listening: the agent pushes after a refusal; the lead listens.
  const customerId = await makeCustomer(t, t.a, { name: 'Lena Listened', emails: ['lena@example.com'] });
  const talk = async (assigneeId: string, lines: Array<['agent' | 'customer', string]>) => {
    const conv = await t.call('POST', '/api/v1/conversations', { body: { customerId, assigneeId, channel: 'chat', subject: 'Slow line', message: { role: 'customer', text: 'My line is slow in the evening.' } } });
    expect(conv.status).toBe(201);
    for (const [role, text] of lines) expect((await t.call('POST', `/api/v1/conversations/${conv.json.id}/messages`, { body: { role, text } })).status).toBe(201);
  };
  await talk(agent.id, [
    ['agent', 'Would you like to upgrade to our premium plan for $10 more a month?'],
    ['customer', 'No thanks, not interested. I just want the line fixed.'],
    ['agent', 'Are you sure? The premium upgrade is really worth it.'],
  ]);
  await talk(lead.id, [
    ['agent', 'I understand the line is slow in the evening. Which times are worst for you?'],
    ['customer', 'Around 8 pm.'],
    ['agent', 'Thanks, so around 8 pm. I will check the line now.'],
  ]);

  // Cancellations: one confirmed in the portal, one asked and left 25 hours ago (abandoned), one
  // carried out by an agent, and a cancel request raised in a conversation.
  const product = (await t.call('POST', '/api/v1/products', { body: { name: 'Fax Line' } })).json.id as string;
  const plan = (await t.call('POST', '/api/v1/plans', { body: { productId: product, name: 'Pro', priceMinor: 1999, currency: 'EUR', interval: 'month', features: ['fax'] } })).json.id as string;
  const leaver = await makeCustomer(t, t.a, { name: 'Rita Leaving', emails: ['rita@example.com'] });
  const subscription = async () =>
    (await t.call('POST', '/api/v1/subscriptions', { body: { customerId: leaver, planId: plan, startedAt: iso(-400), currentPeriodStart: iso(-10), currentPeriodEnd: iso(20) } })).json.id as string;
  const ask = async (channel: string, sub?: string, timing = 'period_end') => {
    const res = await t.call('POST', `/api/v1/subscriptions/${sub ?? (await subscription())}/cancellations`, { body: { channel, timing } });
    expect(res.status).toBe(201);
    return res.json.id as string;
  };
  expect((await t.call('POST', `/api/v1/cancellations/${await ask('portal')}/confirm`)).status).toBe(200);
  const left = await ask('portal');
  await t.store.db.updateTable('cancellations').set({ created_at: new Date(Date.now() - 25 * 3_600_000) }).where('id', '=', left).execute();
  // The agent's one ends now, and a charge slips through a moment later (the reconciliation job has not run yet).
  const slipped = await subscription();
  const now = await t.call('POST', `/api/v1/cancellations/${await ask('agent', slipped, 'immediate')}/confirm`);
  expect(now.status).toBe(200);
  const at = new Date(Date.parse(now.json.effectiveAt) + 1);
  await injectCharge(t.store.db, { tenant_id: t.a.id, subscription_id: slipped, customer_id: leaver, amount_minor: 1999, currency: 'EUR', period_start: at, period_end: at, at, external_id: `slipped-${slipped}` });
  await subscription();
  const asked = await t.call('POST', '/api/v1/conversations', { body: { customerId: leaver, channel: 'email', subject: 'Leaving', message: { role: 'customer', text: 'Please cancel my subscription. I am moving abroad.' } } });
  expect(asked.json.cancelRequest?.status).toBe('open');
}, 120_000);
afterAll(async () => e?.close());


/** The rows of a table (by its caption) as arrays of cell texts, header row first. */
async function tableRows(p: Page, caption: string): Promise<string[][]> {
  const table = p.getByRole('table', { name: caption });
  await table.waitFor(wait);
  return table.evaluate((el) => [...(el as HTMLTableElement).rows].map((r) => [...r.cells].map((c) => (c as HTMLElement).innerText.trim())));
}

const pct = (v: number | null) => (v === null ? '–' : `${Number.isInteger(v) ? v : v.toFixed(1)}%`);
/** The API's query for whole UTC days, as the page sends it. */
const apiRange = (from: string, to: string) => `?from=${from}T00:00:00.000Z&to=${new Date(Date.parse(`${to}T00:00:00Z`) + DAY).toISOString()}`;

describe(`lead and compliance reports in Chromium (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('a lead opens the parity report from the navigation: the starved band is flagged, the chart and figures match the API, the period changes them, CSV downloads', async () => {
    const { page, problems, context } = await newPage(e);
    await signInAgent(page, lead);
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Reports' }).click();
    await page.waitForURL('**/reports/parity');
    await page.getByRole('heading', { level: 1, name: 'Parity by customer value band' }).waitFor(wait);

    const api = (await e.t.call('GET', '/api/v1/reports/parity')).json;
    expect(api.flagged).toBe(true);
    const chart = page.getByRole('img', { name: 'Minimum commitments met, per value band (%)' });
    await chart.waitFor(wait);
    expect(await chart.locator('rect.series-0').count()).toBe(api.bands.filter((b: { firstResponseMetPct: number | null }) => b.firstResponseMetPct !== null).length);
    // The legend is visible, the starved band is named in the alert and marked in the chart's table.
    expect(await page.getByRole('list', { name: /^Legend: Minimum commitments met/ }).innerText()).toMatch(/First response met[\s\S]*Resolution met[\s\S]*Charter promise/);
    const flagged = api.bands.filter((b: { flagged: boolean }) => b.flagged).map((b: { label: string }) => b.label);
    expect(flagged).toContain('Lowest fifth');
    expect(await page.locator('.report-alert').innerText()).toContain('Lowest fifth');
    const chartRows = await tableRows(page, 'Minimum commitments met, per value band (%)');
    expect(chartRows.slice(1)).toEqual(
      api.bands.map((b: { label: string; flagged: boolean; firstResponseMetPct: number | null; resolutionMetPct: number | null }) => [
        b.flagged ? `${b.label} (flagged)` : b.label,
        pct(b.firstResponseMetPct),
        pct(b.resolutionMetPct),
      ]),
    );
    const all = await tableRows(page, 'Parity figures per band');
    expect(all.slice(1).map((r) => [r[0], r[2]])).toEqual(api.bands.map((b: { label: string; conversations: number }) => [b.label, String(b.conversations)]));
    const total = api.bands.reduce((n: number, b: { conversations: number }) => n + b.conversations, 0);
    expect(await page.locator('[data-figure="conversations"]').innerText()).toBe(String(total));
    expect(await page.locator('[data-figure="promised"]').innerText()).toBe(pct(Math.round(api.promisedAttainment * 1000) / 10));
    await screenshot(page, 'reports-parity');

    // The last 20 days: fewer conversations, the same figures as the API for that period.
    await page.getByLabel('From').fill(day(-20));
    await page.getByLabel('To').fill(day(0));
    await page.getByRole('button', { name: 'Show period' }).click();
    await page.waitForURL(`**/reports/parity?from=${day(-20)}&to=${day(0)}`);
    const narrow = (await e.t.call('GET', `/api/v1/reports/parity${apiRange(day(-20), day(0))}`)).json;
    const narrowTotal = narrow.bands.reduce((n: number, b: { conversations: number }) => n + b.conversations, 0);
    expect(narrowTotal).toBeLessThan(total);
    expect(narrowTotal).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-figure="conversations"]').innerText(), wait).toBe(String(narrowTotal));
    expect(await page.getByRole('status').filter({ hasText: 'Period:' }).innerText()).toBe(`Period: ${day(-20)} to ${day(0)} (UTC)`);

    // CSV of the same period, as the API gives it.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toBe(`parity-${day(-20)}-to-${day(0)}.csv`);
    const csv = readFileSync((await download.path())!, 'utf8');
    const expected = await e.t.call('GET', `/api/v1/reports/parity${apiRange(day(-20), day(0))}`, { headers: { accept: 'text/csv' } });
    expect(csv).toBe(expected.body);

    // The period travels to the next report.
    await page.getByRole('navigation', { name: 'Reports' }).getByRole('link', { name: 'Listening' }).click();
    await page.waitForURL(`**/reports/listening?from=${day(-20)}&to=${day(0)}`);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('listening by agent: scores lowest first with the agents’ names and findings by type, as the API has them; an empty period says so', async () => {
    const { page, problems, context } = await newPage(e);
    await signInAgent(page, lead, '/reports/listening');
    await page.getByRole('img', { name: 'Mean listening score per agent, lowest first (0–100)' }).waitFor(wait);
    const api = (await e.t.call('GET', '/api/v1/reports/listening')).json;
    const names: Record<string, string> = { [agent.id]: 'Robin agent', [lead.id]: 'Robin lead' };
    const nameOf = (id: string | null) => (id === null ? 'Unassigned' : names[id]);
    const order = api.agents.map((a: { agentId: string | null }) => a.agentId);
    expect(order.indexOf(agent.id)).toBeLessThan(order.indexOf(lead.id)); // the one who pushed scores lower
    expect(order.indexOf(agent.id)).toBeGreaterThanOrEqual(0);
    await expect
      .poll(() => tableRows(page, 'Mean listening score per agent, lowest first (0–100)'), wait)
      .toEqual([['Agent', 'Mean score'], ...api.agents.map((a: { agentId: string | null; meanScore: number }) => [nameOf(a.agentId), String(a.meanScore)])]);
    const perAgent = await tableRows(page, 'Listening per agent');
    expect(perAgent[0]).toContain('Push after refusal');
    const col = perAgent[0]!.indexOf('Push after refusal');
    expect(perAgent.slice(1).map((r) => [r[0], r[1], r[col]])).toEqual(
      api.agents.map((a: { agentId: string | null; conversations: number; findings: Record<string, number> }) => [nameOf(a.agentId), String(a.conversations), String(a.findings.push_after_refusal ?? 0)]),
    );
    expect(await page.getByRole('img', { name: 'Findings by type, all agents' }).count()).toBe(1);
    await screenshot(page, 'reports-listening');

    await page.getByLabel('From').fill(day(-40));
    await page.getByLabel('To').fill(day(-30));
    await page.getByRole('button', { name: 'Show period' }).click();
    await page.getByText('No analysed conversations in this period.').waitFor(wait);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('cancellation flow health: attempts per channel stacked, the flow figures, charges after cancellation and the agent side, as the API has them', async () => {
    const { page, problems, context } = await newPage(e);
    await signInAgent(page, lead, '/reports/cancellations');
    const title = 'Cancellation attempts per channel: confirmed, abandoned, other';
    await page.getByRole('img', { name: title }).waitFor(wait);
    const api = (await e.t.call('GET', '/api/v1/reports/cancellations')).json;
    type Channel = { channel: string; started: number; confirmed: number; abandoned: number; withdrawn: number; medianClicks: number | null };
    const byName = Object.fromEntries(api.channels.map((c: Channel) => [c.channel, c])) as Record<string, Channel>;
    expect(byName.portal).toMatchObject({ started: 2, confirmed: 1, abandoned: 1 });
    expect(byName.agent).toMatchObject({ started: 1, confirmed: 1 });
    const stacked = await tableRows(page, title);
    expect(stacked.slice(1)).toEqual(
      api.channels.map((c: Channel) => [c.channel.charAt(0).toUpperCase() + c.channel.slice(1).replace(/_/g, ' '), String(c.confirmed), String(c.abandoned), String(c.started - c.confirmed - c.abandoned), String(c.started)]),
    );
    const flow = await tableRows(page, 'Cancellation flow per channel');
    expect(flow.slice(1).map((r) => [r[1], r[6]])).toEqual(api.channels.map((c: Channel) => [String(c.started), c.medianClicks === null ? '–' : String(c.medianClicks)]));
    // A charge after a cancellation, not yet refunded: an alert, and the figure as the API has it.
    expect(api.chargesAfterCancellation).toEqual({ found: 1, refunded: 0, outstanding: 1 });
    expect(await page.locator('[data-figure="charges-outstanding"]').innerText()).toBe('1');
    expect(await page.getByRole('alert').filter({ hasText: 'after a cancellation not yet refunded' }).innerText()).toContain('1 charge after a cancellation not yet refunded.');
    expect(await page.locator('[data-figure="requests-raised"]').innerText()).toBe(String(api.cancelRequests.raised));
    expect(await page.locator('[data-figure="requests-open"]').innerText()).toBe(String(api.cancelRequests.open));
    expect(api.cancelRequests.raised).toBe(1);
    await screenshot(page, 'reports-cancellations');

    // The reconciliation job refunds it: found stays 1, outstanding is 0 and the alert is gone.
    await reconcileCharges(e.t.store.db);
    await page.reload();
    await page.getByText('No charge after a cancellation is outstanding.').waitFor(wait);
    expect(await page.locator('[data-figure="charges-refunded"]').innerText()).toBe('1');
    expect(await page.locator('[data-figure="charges-outstanding"]').innerText()).toBe('0');
    expect(await page.getByRole('alert').filter({ hasText: 'not yet refunded' }).count()).toBe(0);

    await page.getByLabel('From').fill(day(-40));
    await page.getByLabel('To').fill(day(-30));
    await page.getByRole('button', { name: 'Show period' }).click();
    await page.getByText('No cancellation was started in this period.').waitFor(wait);
    expect(await page.locator('[data-figure="requests-raised"]').innerText()).toBe('0');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an agent without reports:read sees no Reports entry, and a report address shows the 403 message', async () => {
    const { page, problems, context } = await newPage(e);
    await signInAgent(page, agent);
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Inbox' }).waitFor(wait);
    expect(await page.getByRole('link', { name: 'Reports' }).count()).toBe(0);
    await page.goto('/reports/parity');
    const message = page.getByRole('alert').filter({ hasText: 'You cannot open reports' });
    await message.waitFor(wait);
    expect(await message.innerText()).toContain('reports:read');
    expect(await page.getByRole('img').count()).toBe(0);
    // The only failed request is the refused report itself.
    expect(problems).toEqual(['403 GET /api/v1/reports/parity']);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('has no serious or critical accessibility violation on any report page, and works at 375 px', async () => {
    const found: string[] = [];
    for (const width of [1280, 375]) {
      const { page, context } = await newPage(e, { width });
      await signInAgent(page, lead);
      for (const [path, chart] of [
        ['/reports/parity', 'Minimum commitments met, per value band (%)'],
        ['/reports/listening', 'Mean listening score per agent, lowest first (0–100)'],
        ['/reports/cancellations', 'Cancellation attempts per channel: confirmed, abandoned, other'],
      ] as const) {
        await page.goto(path);
        await page.getByRole('img', { name: chart }).waitFor(wait);
        found.push(...(await seriousViolations(page)).map((v) => `${path} at ${width}px: ${v}`));
        if (width === 375) {
          const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
          if (scroll > 375) found.push(`${path} is ${scroll}px wide at 375px`);
          if (path === '/reports/parity') await screenshot(page, 'reports-parity-phone');
        }
      }
      await context.close();
    }
    expect(found).toEqual([]);
  });
});
