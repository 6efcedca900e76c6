import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeCustomer } from '../support/app.ts';
import { makeAgent, newPage, screenshot, seriousViolations, startE2E, type E2E, signInAgent } from './support/browser.ts';

let e: E2E;
let page: Page;
let problems: string[];
let agent: { id: string; email: string };
let conversationId: string;
const SUBJECT = 'Internet keeps dropping';
/** How long to wait for the page to show something (a bound, not a speed requirement). */
const wait = { timeout: 10_000 };

beforeAll(async () => {
  e = await startE2E();
  agent = await makeAgent(e.t);
  const customerId = await makeCustomer(e.t, e.t.a, { name: 'Dana Customer', emails: ['dana@example.com'] });
  const conv = await e.t.call('POST', '/api/v1/conversations', {
    body: { customerId, channel: 'chat', subject: SUBJECT, message: { role: 'customer', text: 'My internet keeps dropping every evening.' } },
  });
  conversationId = conv.json.id;
  for (const [role, text] of [
    ['agent', 'Would you like to upgrade to our premium plan for $10 more a month?'],
    ['customer', 'No thanks, not interested. I just want the line fixed.'],
  ] as const) {
    const res = await e.t.call('POST', `/api/v1/conversations/${conversationId}/messages`, { body: { role, text } });
    expect(res.status).toBe(201);
  }
  await e.t.call('POST', '/api/v1/conversations', { body: { customerId, channel: 'email', subject: 'Question about my bill', message: { role: 'customer', text: 'Why is my bill higher?' } } });
  ({ page, problems } = await newPage(e));
});
afterAll(async () => e?.close());


describe('agent console in Chromium', () => {
  it('an agent signs in, finds the conversation, answers it, and sees the push-after-refusal finding with its evidence', async () => {
    await signInAgent(page, agent);
    await expect.poll(() => page.getByRole('link', { name: SUBJECT }).count(), wait).toBe(1);
    expect(await page.getByRole('link', { name: 'Question about my bill' }).count()).toBe(1);
    // Search narrows the list (the query is kept in the address).
    await page.getByRole('searchbox', { name: 'Search' }).fill('dropping');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL('**/inbox?q=dropping');
    const listed = () => page.getByRole('list', { name: 'Conversations' }).getByRole('link').allInnerTexts();
    await expect.poll(listed, wait).toEqual([SUBJECT]);

    await page.getByRole('link', { name: SUBJECT }).click();
    await page.waitForURL(`**/inbox/${conversationId}`);
    await page.getByRole('heading', { level: 1, name: SUBJECT }).waitFor();
    // The listening panel lists the customer's refusal.
    const panel = page.getByRole('complementary', { name: 'Listening' });
    await expect.poll(() => panel.innerText(), wait).toContain('No thanks, not interested');

    await page.getByLabel('Your reply to the customer').fill('Would you like to upgrade to premium today?');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await expect.poll(() => page.locator('.message.agent').count(), wait).toBe(2);

    // The stored reply is analysed: the finding is in the panel, its evidence marked in both messages.
    await expect.poll(() => panel.innerText(), wait).toContain('Asked again after the customer said no');
    const evidence = await page.locator('mark.evidence').allInnerTexts();
    expect(evidence.join(' | ')).toMatch(/No thanks/i);
    expect(evidence.join(' | ')).toMatch(/upgrade/i);
    await panel.getByRole('button', { name: 'Show the evidence' }).first().click();
    expect(await page.locator('mark.evidence.active').count()).toBeGreaterThan(0);
    await screenshot(page, 'console-conversation');

    // Through the API too: the reply was stored, by this agent.
    const stored = await e.t.call('GET', `/api/v1/conversations/${conversationId}`);
    expect(stored.json.messages.at(-1)).toMatchObject({ role: 'agent', author: agent.id, text: 'Would you like to upgrade to premium today?' });
    expect(stored.json.listening.findings.map((f: { type: string }) => f.type)).toContain('push_after_refusal');
    expect(problems).toEqual([]);
  });

  it('warns while the agent types a reply that pushes after a refusal, and not for one that listens', async () => {
    const fresh = await e.t.call('POST', '/api/v1/conversations', {
      body: { customerId: (await e.t.call('GET', `/api/v1/conversations/${conversationId}`)).json.customerId, channel: 'chat', subject: 'Slow speeds', message: { role: 'agent', text: 'Would you like to upgrade to our premium plan for $10 more a month?' } },
    });
    await e.t.call('POST', `/api/v1/conversations/${fresh.json.id}/messages`, { body: { role: 'customer', text: 'No thanks, not interested.' } });
    await page.goto(`/inbox/${fresh.json.id}`);
    const box = page.getByLabel('Your reply to the customer');
    const check = page.locator('#reply-check');
    // Typed key by key, as a person does: the check runs on the pauses, before anything is sent.
    await box.pressSequentially('Would you like to upgrade to premium today?', { delay: 15 });
    await expect.poll(() => check.innerText(), wait).toContain('Asked again after the customer said no');
    expect(await check.innerText()).toContain('No thanks, not interested');
    await screenshot(page, 'console-reply-warning');
    await box.fill('');
    const listening = 'Understood, no upgrade. Let me look at your speeds.';
    const checked = page.waitForResponse((r) => r.url().endsWith('/check-reply') && (r.request().postDataJSON() as { text: string }).text === listening, wait);
    await box.pressSequentially(listening, { delay: 15 });
    expect((await checked).status()).toBe(200);
    await expect.poll(() => check.innerText(), wait).toBe('');
    const stored = await e.t.call('GET', `/api/v1/conversations/${fresh.json.id}`);
    expect(stored.json.messages).toHaveLength(2); // checking stores nothing
  });

  it('a cancel request is in front of the agent with one action, and "Carry out cancellation" cancels', async () => {
    const customerId = await makeCustomer(e.t, e.t.a, { name: 'Evan Leaving', emails: ['evan@example.com'] });
    const product = await e.t.call('POST', '/api/v1/products', { body: { name: 'Broadband' } });
    const plan = await e.t.call('POST', '/api/v1/plans', { body: { productId: product.json.id, name: 'Fibre 500', priceMinor: 3999, currency: 'GBP', interval: 'month' } });
    const sub = await e.t.call('POST', '/api/v1/subscriptions', { body: { customerId, planId: plan.json.id, startedAt: new Date(Date.now() - 400 * 86_400_000).toISOString() } });
    expect(sub.status).toBe(201);
    const conv = await e.t.call('POST', '/api/v1/conversations', {
      body: { customerId, channel: 'email', subject: 'Leaving', message: { role: 'customer', text: 'Please cancel my subscription. I am moving abroad.' } },
    });
    expect(conv.json.cancelRequest?.status).toBe('open');
    await page.goto(`/inbox/${conv.json.id}`);
    const banner = page.getByRole('region', { name: 'The customer asked to cancel' });
    await banner.waitFor(wait);
    await banner.getByRole('button', { name: 'Carry out cancellation' }).click();
    const done = page.getByRole('region', { name: 'Cancellation carried out' });
    await done.waitFor(wait);
    const rows = await e.t.store.db.selectFrom('cancellations').select(['reference', 'status', 'channel']).where('subscription_id', '=', sub.json.id).execute();
    expect(rows).toEqual([{ reference: expect.any(String), status: 'confirmed', channel: 'agent' }]);
    expect(await done.innerText()).toContain(`Reference ${rows[0]!.reference}`);
    expect(await done.innerText()).toMatch(/no charges after/);
    expect(problems).toEqual([]);
  });

  it('has no serious or critical accessibility violation on the console pages', async () => {
    const { page: fresh, context } = await newPage(e);
    await fresh.goto('/sign-in');
    await fresh.getByRole('heading', { level: 1 }).waitFor();
    const found: string[] = (await seriousViolations(fresh)).map((v) => `sign-in: ${v}`);
    await signInAgent(fresh, agent);
    await fresh.getByRole('link', { name: SUBJECT }).waitFor();
    found.push(...(await seriousViolations(fresh)).map((v) => `inbox: ${v}`));
    await fresh.goto(`/inbox/${conversationId}`);
    await fresh.getByRole('heading', { level: 1, name: SUBJECT }).waitFor();
    await fresh.getByLabel('Your reply to the customer').fill('Would you like to upgrade to premium today?');
    await fresh.locator('#reply-check .warning').waitFor();
    found.push(...(await seriousViolations(fresh)).map((v) => `conversation: ${v}`));
    expect(found).toEqual([]);
    await context.close();
  });

  it('works at a phone’s width (375 px): nothing wider than the screen, no serious violation', async () => {
    const { page: phone, context } = await newPage(e, { width: 375 });
    await signInAgent(phone, agent);
    await phone.goto(`/inbox/${conversationId}`);
    await phone.getByRole('heading', { level: 1, name: SUBJECT }).waitFor();
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
    expect(await seriousViolations(phone)).toEqual([]);
    await context.close();
  });
});
