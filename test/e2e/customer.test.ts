import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { billingRun } from '../../src/app/billing-run.ts';
import { makeCustomer } from '../support/app.ts';
import { makeAgent, newPage, screenshot, seriousViolations, startE2E, type E2E, signInAgent } from './support/browser.ts';

let e: E2E;
let page: Page;
let problems: string[];
let agent: { id: string; email: string };
let customerId: string;
let conversationId: string;
let reference: string;
const SUBJECT = 'Wi-Fi drops upstairs';
const DAY = 86_400_000;
const days = (n: number) => new Date(Date.now() + n * DAY).toISOString();
/** How long to wait for the page to show something (a bound, not a speed requirement). */
const wait = { timeout: 10_000 };

async function ok(url: string, body: unknown): Promise<{ id: string; reference?: string }> {
  const res = await e.t.call('POST', url, { body });
  if (res.status !== 201) throw new Error(`${url}: ${res.status} ${res.body}`);
  return res.json;
}

beforeAll(async () => {
  e = await startE2E();
  agent = await makeAgent(e.t);
  const charter = await e.t.call('POST', '/api/v1/charter/versions', { body: { source: readFileSync('examples/charter.yaml', 'utf8'), effectiveAt: days(-1) } });
  expect(charter.status).toBe(201);
  // Six years a customer: the charter's "Loyal" tier (tenure ≥ 5 years).
  customerId = await makeCustomer(e.t, e.t.a, { name: 'Dana Journey', emails: ['dana.journey@example.com'], customerSince: days(-6 * 366).slice(0, 10) });
  const product = await ok('/api/v1/products', { name: 'Broadband' });
  const plan = (await ok('/api/v1/plans', { productId: product.id, name: 'Fibre 500', priceMinor: 3999, currency: 'GBP', interval: 'month', features: ['broadband'] })).id;
  const sub = await ok('/api/v1/subscriptions', { customerId, planId: plan, startedAt: days(-400), currentPeriodStart: days(-40), currentPeriodEnd: days(-10) });
  reference = sub.reference!;
  // The renewal 10 days ago is invoiced; a price change 31 days ahead is noticed to her.
  await billingRun(e.t.store.db, { until: new Date() });
  expect((await e.t.call('POST', `/api/v1/plans/${plan}/price-changes`, { body: { priceMinor: 4299, effectiveAt: days(31), reason: 'Our network costs rose.' } })).status).toBe(201);
  conversationId = (
    await ok('/api/v1/conversations', { customerId, channel: 'chat', subject: SUBJECT, message: { role: 'customer', text: 'The Wi-Fi drops every time I go upstairs.' } })
  ).id;
  await ok('/api/v1/conversations', { customerId, channel: 'email', subject: 'Moving house in March', message: { role: 'customer', text: 'Can I take my line with me?' } });
  ({ page, problems } = await newPage(e));
});
afterAll(async () => e?.close());


type Entry = { at: string; kind: string; text: string };

/** The timeline the API implies: every conversation, subscription, notice and invoice of the customer. */
async function expectedTimeline(): Promise<Entry[]> {
  const get = async (url: string) => {
    const res = await e.t.call('GET', url);
    expect(res.status, url).toBe(200);
    return res.json.data as Array<Record<string, string>>;
  };
  const conversations = await get(`/api/v1/conversations?customerId=${customerId}&limit=200`);
  const subscriptions = await get(`/api/v1/subscriptions?customerId=${customerId}&limit=200`);
  const notices = (await Promise.all(subscriptions.map((s) => get(`/api/v1/subscriptions/${s.id}/notices?limit=200`)))).flat();
  const invoices = await get(`/api/v1/customers/${customerId}/invoices?limit=200`);
  return [
    ...conversations.map((c) => ({ at: c.createdAt!, kind: 'Conversation', text: c.subject! })),
    ...subscriptions.map((s) => ({ at: s.startedAt!, kind: 'Subscription', text: s.reference! })),
    ...notices.map((n) => ({ at: n.sentAt!, kind: 'Notice', text: n.subject! })),
    ...invoices.map((i) => ({ at: i.issuedAt!, kind: 'Invoice', text: i.number! })),
  ];
}

describe('the customer view in Chromium', () => {
  it('an agent sees the entitlements with their reasons beside the conversation, follows the customer link, and sees the timeline the API gives', async () => {
    await signInAgent(page, agent);
    await page.goto(`/inbox/${conversationId}`);
    await page.getByRole('heading', { level: 1, name: SUBJECT }).waitFor(wait);

    // Entitlements: the tier, each reason in the API's words, and what it gives.
    const api = (await e.t.call('GET', `/api/v1/customers/${customerId}/entitlements`)).json as { tier: { name: string }; reasons: string[]; entitlements: { extras: string[] } };
    expect(api.tier.name).toBe('Loyal');
    const panel = page.getByRole('region', { name: 'Entitlements' });
    await expect.poll(() => panel.innerText(), wait).toContain('Tier: Loyal');
    const text = await panel.innerText();
    expect(api.reasons.length).toBeGreaterThan(0);
    for (const reason of api.reasons) expect(text).toContain(reason);
    expect(text).toMatch(/Loyal: .*customer/i);
    for (const extra of api.entitlements.extras) expect(text).toContain(extra);
    await panel.getByText(/Response and resolution targets/).click();
    expect(await panel.getByRole('table').getByRole('row').count()).toBeGreaterThan(1);
    await screenshot(page, 'console-entitlements');

    // The customer's name links to the customer view.
    const link = page.getByRole('link', { name: 'Dana Journey' });
    await link.waitFor(wait);
    await link.click();
    await page.waitForURL(`**/customers/${customerId}`);
    await page.getByRole('heading', { level: 1, name: 'Dana Journey' }).waitFor(wait);
    expect(await page.getByRole('region', { name: 'Details' }).innerText()).toContain('dana.journey@example.com');

    const list = page.getByRole('list', { name: 'Timeline, newest first' });
    await list.waitFor(wait);
    const shown: Entry[] = await list.getByRole('listitem').evaluateAll((items) =>
      items.map((li) => ({ at: li.querySelector('time')!.getAttribute('datetime')!, kind: li.querySelector('.badge')!.textContent!, text: li.querySelector('.timeline-line')!.textContent! })),
    );
    const expected = await expectedTimeline();
    expect(expected.map((x) => x.kind).sort()).toEqual(['Conversation', 'Conversation', 'Invoice', 'Notice', 'Subscription']);
    // The same entries as the API, each with its own subject, reference or number…
    const key = (x: Entry) => `${x.at} ${x.kind}`;
    expect(shown.map(key).sort()).toEqual(expected.map(key).sort());
    for (const x of expected) expect(shown.find((s) => key(s) === key(x))!.text).toContain(x.text);
    // …newest first.
    const times = shown.map((s) => Date.parse(s.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(shown[0]!.kind).toBe('Conversation');
    expect(shown.at(-1)!.kind).toBe('Subscription');
    expect(shown.find((s) => s.kind === 'Subscription')!.text).toContain(`Fibre 500 (${reference})`);
    // A conversation entry opens the conversation.
    await screenshot(page, 'console-customer');
    await list.getByRole('link', { name: new RegExp(SUBJECT) }).click();
    await page.waitForURL(`**/inbox/${conversationId}`);
    await page.getByRole('heading', { level: 1, name: SUBJECT }).waitFor(wait);
    expect(problems).toEqual([]);
  });

  it('the customer view has no serious or critical accessibility violation at 1280 and 375 px', async () => {
    const found: string[] = [];
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`/customers/${customerId}`);
      await page.getByRole('list', { name: 'Timeline, newest first' }).waitFor(wait);
      await page.getByRole('region', { name: 'Entitlements' }).getByText('Tier: Loyal').waitFor(wait);
      found.push(...(await seriousViolations(page)).map((v) => `${width}px: ${v}`));
      // Nothing wider than the screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    }
    expect(found).toEqual([]);
    expect(problems).toEqual([]);
  });
});
