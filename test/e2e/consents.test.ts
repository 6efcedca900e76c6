import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeCustomer } from '../support/app.ts';
import { onPostgres } from '../support/store.ts';
import { makeAgent, newPage, portalSignIn, screenshot, seriousViolations, signInAgent, startE2E, type E2E } from './support/browser.ts';

const SLUG = 'tenant-a';
/** How long to wait for the page to show something (a bound, not a speed requirement). */
const wait = { timeout: 10_000 };
const days = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
const MESSAGE = 'Yes, you may run one hard credit check for the Business Rewards Card application.';

let e: E2E;
let agent: { id: string; email: string };
let customerId: string;
let conversationId: string;
let messageId: string;
let subscriptionReference: string;
const email = 'paula@example.com';

async function ok(url: string, body: unknown, status = 201): Promise<Record<string, unknown> & { id: string }> {
  const res = await e.t.call('POST', url, { body });
  if (res.status !== status) throw new Error(`${url}: ${res.status} ${res.body}`);
  return res.json;
}

beforeAll(async () => {
  e = await startE2E();
  agent = await makeAgent(e.t, 'agent');
  // A charter, so the portal's frame names the company (it asks the public charter).
  await ok('/api/v1/charter/versions', { source: readFileSync('examples/charter.yaml', 'utf8'), effectiveAt: new Date(Date.now() - 60_000).toISOString() });
  customerId = await makeCustomer(e.t, e.t.a, { name: 'Paula Price', emails: [email], customerSince: '2021-03-01' });
  const conv = await ok('/api/v1/conversations', { customerId, assigneeId: agent.id, channel: 'chat', subject: 'Card application', message: { role: 'customer', text: MESSAGE } });
  conversationId = conv.id;
  messageId = (conv.messages as Array<{ id: string }>)[0]!.id;
  await ok(`/api/v1/conversations/${conversationId}/messages`, { role: 'agent', text: 'Thank you. We will record your consent.' });
  // A subscription she cancelled, confirmed: the customer view shows the request and its confirmation.
  const product = await ok('/api/v1/products', { name: 'Broadband' });
  const plan = await ok('/api/v1/plans', { productId: product.id, name: 'Fibre only', priceMinor: 2999, currency: 'GBP', interval: 'month', features: ['broadband'] });
  const sub = await ok('/api/v1/subscriptions', { customerId, planId: plan.id, startedAt: days(-400), currentPeriodStart: days(-10), currentPeriodEnd: days(20), priceHistory: [{ priceMinor: 2999, from: days(-400) }] });
  subscriptionReference = sub.reference as string;
  const attempt = await ok(`/api/v1/subscriptions/${sub.id}/cancellations`, { channel: 'portal', timing: 'period_end' });
  await ok(`/api/v1/cancellations/${attempt.id}/confirm`, undefined, 200);
}, 120_000);
afterAll(async () => e?.close());

const consentsPanel = (page: Page) => page.getByRole('region', { name: 'Consents' });
const liveLine = (page: Page, purpose: string) => consentsPanel(page).getByRole('list', { name: 'Where each consent stands' }).getByRole('listitem').filter({ hasText: purpose });

describe(`consents in Chromium (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('an agent records a hard-inquiry consent on the customer’s message; the customer withdraws it in the portal; the agent sees it withdrawn, the hard check disabled, and the estimate works', async () => {
    const { page, problems } = await newPage(e);
    await signInAgent(page, agent);
    await page.goto(`/inbox/${conversationId}`);
    const panel = consentsPanel(page);
    await expect.poll(() => liveLine(page, 'Hard credit check').innerText(), wait).toContain('Not asked');
    const hard = panel.getByRole('button', { name: 'Hard check' });
    expect(await hard.isDisabled()).toBe(true);
    expect(await panel.innerText()).toContain('No hard check: the customer has not agreed to one.');

    // A 60-day hard-inquiry grant is refused: the 422 is shown with its field.
    await panel.getByLabel('What it covers').fill('one hard inquiry for the Business Rewards Card application');
    await panel.getByLabel('The customer’s message it rests on').selectOption(messageId);
    await panel.getByLabel('Last day it holds (optional)').fill(days(60).slice(0, 10));
    await panel.getByRole('button', { name: 'Record answer' }).click();
    const alert = panel.getByRole('alert');
    await alert.waitFor(wait);
    expect(await alert.innerText()).toMatch(/Not recorded:[\s\S]*Expires:/);
    expect(await panel.getByLabel('Last day it holds (optional)').getAttribute('aria-invalid')).toBe('true');

    // Without an expiry: granted for 30 days, resting on her message.
    await panel.getByLabel('Last day it holds (optional)').fill('');
    await panel.getByRole('button', { name: 'Record answer' }).click();
    await panel.getByText('Recorded: Hard credit check granted.').waitFor(wait);
    await expect.poll(() => liveLine(page, 'Hard credit check').innerText(), wait).toContain('Granted until');
    expect(await hard.isDisabled()).toBe(false);
    const api = await e.t.call('GET', `/api/v1/customers/${customerId}/consents`);
    expect(api.json.live.hard_credit_inquiry.status).toBe('granted');
    expect(api.json.data[0]).toMatchObject({ status: 'granted', evidence: { messageId }, recordedBy: `agent:${agent.id}`, live: true });
    // The history names who, when, the scope and the message it rests on (a link to it on this page).
    await panel.getByText('History (1)').click();
    const evidence = panel.getByRole('link', { name: /the customer’s message “Yes, you may run one hard credit check/ });
    expect(await evidence.getAttribute('href')).toBe(`#message-${messageId}`);
    expect(await panel.getByRole('list', { name: 'Consent history, newest first' }).innerText()).toContain('by Robin agent');

    // The customer withdraws it in the portal, confirming on the same screen.
    const portal = await newPage(e);
    await portalSignIn(e, portal.page, SLUG, email);
    await portal.page.getByRole('banner').getByRole('link', { name: 'My consents' }).click();
    await portal.page.getByRole('heading', { level: 1, name: 'My consents' }).waitFor(wait);
    expect(await portal.page.getByRole('banner').getByRole('link', { name: 'Cancel subscription' }).count()).toBe(1);
    const card = portal.page.getByRole('listitem').filter({ has: portal.page.getByRole('heading', { name: 'Hard credit check' }) });
    await card.getByText(/You agreed, until/).waitFor(wait);
    expect(await card.innerText()).toContain('one hard inquiry for the Business Rewards Card application');
    await screenshot(portal.page, 'portal-consents');
    await card.getByRole('button', { name: 'Withdraw: Hard credit check' }).click();
    await card.getByText('I withdraw my consent to a hard credit inquiry.', { exact: false }).waitFor(wait);
    await card.getByRole('button', { name: 'Yes, withdraw' }).click();
    await portal.page.getByText('Withdrawn: Hard credit check. We have recorded it.').waitFor(wait);
    await card.getByText('You withdrew your consent').waitFor(wait);
    expect(await card.getByRole('button', { name: /Withdraw/ }).count()).toBe(0);
    expect(portal.problems).toEqual([]);
    await portal.context.close();

    // Back in the console: withdrawn, the hard check disabled with the reason, the estimate works.
    await page.reload();
    await expect.poll(() => liveLine(page, 'Hard credit check').innerText(), wait).toContain('Withdrawn');
    expect(await hard.isDisabled()).toBe(true);
    expect(await panel.innerText()).toContain('No hard check: the customer withdrew their consent.');
    await panel.getByLabel(/^Why/).fill('Rate for the Business Rewards Card');
    await panel.getByRole('button', { name: 'Estimate (no consent needed, no footprint)' }).click();
    await panel.getByText(/^Estimate: (limited|fair|good|strong)\./).waitFor(wait);
    expect(await panel.innerText()).toContain('No credit bureau was asked and nothing was recorded on your credit file.');
    await panel.getByText('History (2)').click();
    expect(await panel.getByRole('list', { name: 'Consent history, newest first' }).innerText()).toMatch(/Hard credit check: withdrawn[\s\S]*by the customer \(in the portal\)[\s\S]*screen version portal-consents\/1, text hash/);
    await screenshot(page, 'console-consents');
    const checks = await e.t.store.db.selectFrom('credit_inquiries').select(['kind']).where('customer_id', '=', customerId).execute();
    expect(checks.map((c) => c.kind)).toEqual(['estimate']);

    // The customer view's timeline: the grant and the withdrawal, the cancellation and its confirmation.
    await page.goto(`/customers/${customerId}`);
    const timeline = page.getByRole('list', { name: 'Timeline, newest first' });
    await timeline.waitFor(wait);
    const text = await timeline.innerText();
    expect(text).toContain('Hard credit check — withdrawn by the customer (in the portal)');
    expect(text).toContain('Hard credit check — granted by Robin agent: one hard inquiry for the Business Rewards Card application; until');
    expect(text).toContain(`Asked to cancel ${subscriptionReference} in the portal — confirmed`);
    expect(text).toMatch(new RegExp(`Cancellation \\S+ of ${subscriptionReference} confirmed: ends .+; no refund due`));
    // Newest first: the withdrawal before the grant.
    expect(text.indexOf('withdrawn by the customer')).toBeLessThan(text.indexOf('granted by Robin agent'));
    expect(problems.filter((p) => p !== `422 POST /api/v1/customers/${customerId}/consents`)).toEqual([]);
  });

  it('the console with the consents panel and the portal’s My consents have no serious or critical accessibility violation at 1280 and 375 px', async () => {
    const found: string[] = [];
    const staff = await newPage(e);
    await signInAgent(staff.page, agent);
    const customer = await newPage(e);
    await portalSignIn(e, customer.page, SLUG, email);
    for (const width of [1280, 375]) {
      await staff.page.setViewportSize({ width, height: 900 });
      await staff.page.goto(`/inbox/${conversationId}`);
      await consentsPanel(staff.page).getByText(/History \(\d+\)/).click();
      await consentsPanel(staff.page).getByRole('list', { name: 'Consent history, newest first' }).waitFor(wait);
      found.push(...(await seriousViolations(staff.page)).map((v) => `console ${width}px: ${v}`));
      expect(await staff.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

      await customer.page.setViewportSize({ width, height: 900 });
      await customer.page.goto(`/portal/${SLUG}/consents`);
      await customer.page.getByRole('heading', { level: 2, name: 'Hard credit check' }).waitFor(wait);
      found.push(...(await seriousViolations(customer.page)).map((v) => `portal ${width}px: ${v}`));
      expect(await customer.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      if (width === 375) await screenshot(customer.page, 'portal-consents-phone');
    }
    expect(found).toEqual([]);
    expect(staff.problems).toEqual([]);
    expect(customer.problems).toEqual([]);
  });
});
