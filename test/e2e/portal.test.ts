import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { lintCopy } from '../../src/domain/cancellation/index.ts';
import { makeCustomer } from '../support/app.ts';
import { newPage, portalSignIn, screenshot, seriousViolations, startE2E, type E2E } from './support/browser.ts';

const SLUG = 'tenant-a';
/** How long to wait for the page to show something (a bound, not a speed requirement). */
const wait = { timeout: 10_000 };
const day = 86_400_000;
const days = (n: number) => new Date(Date.now() + n * day).toISOString();

let e: E2E;
let plan: string;
const people: Record<'alice' | 'bob' | 'carol' | 'dan' | 'erin' | 'frank' | 'gina', { id: string; email: string; subscription: string; reference: string }> = {} as never;
let aliceConversation: string;
const axeFindings: string[] = [];

async function ok(url: string, body: unknown): Promise<{ id: string; reference?: string }> {
  const res = await e.t.call('POST', url, { body });
  if (res.status !== 201) throw new Error(`${url}: ${res.status} ${res.body}`);
  return res.json;
}

beforeAll(async () => {
  e = await startE2E();
  const charter = await e.t.call('POST', '/api/v1/charter/versions', { body: { source: readFileSync('examples/charter.yaml', 'utf8'), effectiveAt: new Date(Date.now() - 60_000).toISOString() } });
  expect(charter.status).toBe(201);
  const product = await ok('/api/v1/products', { name: 'Broadband' });
  plan = (await ok('/api/v1/plans', { productId: product.id, name: 'Fibre and TV', priceMinor: 4999, currency: 'GBP', interval: 'month', features: ['broadband', 'tv'] })).id;
  await ok('/api/v1/plans', { productId: product.id, name: 'Fibre only', priceMinor: 2999, currency: 'GBP', interval: 'month', features: ['broadband'] });
  for (const name of ['alice', 'bob', 'carol', 'dan', 'erin', 'frank', 'gina'] as const) {
    const email = `${name}@example.com`;
    const id = await makeCustomer(e.t, e.t.a, { name: name[0]!.toUpperCase() + name.slice(1), emails: [email] });
    // Bob's price rose a month ago: asked why he leaves ("the price changed"), he is shown his own figures.
    const priceHistory =
      name === 'bob'
        ? [
            { priceMinor: 3999, from: days(-400) },
            { priceMinor: 4999, from: days(-30) },
          ]
        : [{ priceMinor: 4999, from: days(-400) }];
    const sub = await ok('/api/v1/subscriptions', { customerId: id, planId: plan, startedAt: days(-400), currentPeriodStart: days(-10), currentPeriodEnd: days(20), priceHistory });
    people[name] = { id, email, subscription: sub.id, reference: sub.reference! };
  }
  // Carol uses only broadband: asked why she leaves ("I do not use it enough"), she is offered the cheaper plan.
  for (let i = 0; i < 3; i++) {
    await e.t.call('POST', `/api/v1/customers/${people.carol.id}/usage`, { body: { unit: 'broadband', quantity: 100, at: days(-10 - i * 25), externalId: `carol-${i}` } });
  }
  const conv = await e.t.call('POST', '/api/v1/conversations', {
    body: { customerId: people.alice.id, channel: 'email', subject: 'Router lights', message: { role: 'customer', text: 'Which light should be on?' } },
  });
  aliceConversation = conv.json.id;
  await e.t.call('POST', `/api/v1/conversations/${aliceConversation}/messages`, { body: { role: 'agent', text: 'The white one. Tell us if it is orange.' } });
});
afterAll(async () => e?.close());

/**
 * Records what the person did, from the browser itself: every trusted click (with what was clicked)
 * and every navigation of the page (History API ones included).
 */
async function recorder(context: BrowserContext, page: Page) {
  const clicks: string[] = [];
  const screens: string[] = [];
  await context.exposeBinding('__fairdeskClick', (_source, what: string) => void clicks.push(what));
  await context.addInitScript(() => {
    document.addEventListener(
      'click',
      (event) => {
        if (!event.isTrusted) return;
        const el = (event.target as Element).closest('a,button,input,label') ?? (event.target as Element);
        (window as unknown as { __fairdeskClick: (s: string) => void }).__fairdeskClick(`${el.tagName.toLowerCase()}: ${(el.textContent ?? '').trim() || (el as HTMLInputElement).value}`);
      },
      true,
    );
  });
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) screens.push(new URL(frame.url()).pathname);
  });
  return {
    clicks,
    screens,
    reset: () => {
      clicks.length = 0;
      screens.length = 0;
    },
  };
}

async function staffCancellationOf(subscription: string) {
  const subs = await e.t.call('GET', `/api/v1/subscriptions/${subscription}`);
  return subs.json;
}

const mainText = (page: Page) => page.locator('main').innerText();
const lintScreen = async (page: Page, name: string) => expect({ screen: name, found: lintCopy(await page.locator('body').innerText()) }).toEqual({ screen: name, found: [] });

describe('customer portal in Chromium', () => {
  it('the copy lint can fail: a known-bad text is caught', () => {
    expect(lintCopy('Wait! Are you sure you want to leave? This is your last chance.')).toEqual(['are you sure you want to leave', 'last chance', 'wait!']);
  });

  it('from any portal page to a confirmed cancellation in two screens and two clicks, survey left empty', async () => {
    const { context, page, problems } = await newPage(e);
    const record = await recorder(context, page);
    await portalSignIn(e, page, SLUG, people.alice.email);
    // "Cancel subscription" is in the header of every portal page.
    for (const path of ['', '/subscriptions', `/conversations/${aliceConversation}`]) {
      await page.goto(`/portal/${SLUG}${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await page.getByRole('banner').getByRole('link', { name: 'Cancel subscription' }).count(), path).toBe(1);
      axeFindings.push(...(await seriousViolations(page)).map((v) => `portal ${path || '/'}: ${v}`));
    }
    await page.getByText('The white one').waitFor();

    // From the conversation page: count from here.
    record.reset();
    await page.getByRole('banner').getByRole('link', { name: 'Cancel subscription' }).click();
    await page.getByRole('button', { name: 'Cancel now' }).waitFor();
    expect(await mainText(page)).toContain(people.alice.reference);
    await lintScreen(page, 'cancel');
    await screenshot(page, 'portal-cancel');
    axeFindings.push(...(await seriousViolations(page)).map((v) => `cancel: ${v}`));
    await page.getByRole('button', { name: 'Cancel now' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your subscription is cancelled' }).waitFor(wait);

    expect(record.clicks).toEqual(['a: Cancel subscription', 'button: Cancel now']);
    expect(record.screens).toEqual([`/portal/${SLUG}/cancel`, `/portal/${SLUG}/cancel/done`]);

    // Screen 2 states the facts, and they are the stored ones.
    const text = await mainText(page);
    const sub = await staffCancellationOf(people.alice.subscription);
    expect(sub.status).not.toBe('cancelled'); // at period end: still running until then
    const cancellations = await e.t.store.db.selectFrom('cancellations').select(['reference', 'status', 'channel']).where('subscription_id', '=', people.alice.subscription).execute();
    expect(cancellations).toHaveLength(1);
    expect(cancellations[0]).toMatchObject({ status: 'confirmed', channel: 'portal' });
    expect(text).toContain(cancellations[0]!.reference);
    expect(text).toMatch(/No charges after/);
    expect(text).toMatch(/Refund\s+None/);
    expect(text).toContain(`A confirmation e-mail is on its way to ${people.alice.email}`);
    await lintScreen(page, 'done');
    await screenshot(page, 'portal-cancelled');
    axeFindings.push(...(await seriousViolations(page)).map((v) => `done: ${v}`));
    expect(problems).toEqual([]);
    await context.close();
  });

  it('the same from the requests page and the subscriptions page: two screens, two clicks', async () => {
    for (const [person, start] of [
      [people.frank, ''],
      [people.gina, '/subscriptions'],
    ] as const) {
      const { context, page, problems } = await newPage(e);
      const record = await recorder(context, page);
      await portalSignIn(e, page, SLUG, person.email);
      await page.goto(`/portal/${SLUG}${start}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      record.reset();
      await page.getByRole('banner').getByRole('link', { name: 'Cancel subscription' }).click();
      await page.getByRole('button', { name: 'Cancel now' }).click();
      await page.getByRole('heading', { level: 1, name: 'Your subscription is cancelled' }).waitFor(wait);
      expect({ start, clicks: record.clicks, screens: record.screens }).toEqual({
        start,
        clicks: ['a: Cancel subscription', 'button: Cancel now'],
        screens: [`/portal/${SLUG}/cancel`, `/portal/${SLUG}/cancel/done`],
      });
      const rows = await e.t.store.db.selectFrom('cancellations').select(['status']).where('subscription_id', '=', person.subscription).execute();
      expect(rows).toEqual([{ status: 'confirmed' }]);
      expect(problems).toEqual([]);
      await context.close();
    }
  });

  it('with a clarification shown: on the same screen as a "Cancel now" at least as large as the other choice, still two screens', async () => {
    const { context, page, problems } = await newPage(e);
    const record = await recorder(context, page);
    await portalSignIn(e, page, SLUG, people.bob.email);
    await page.goto(`/portal/${SLUG}/subscriptions`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    record.reset();
    await page.getByRole('banner').getByRole('link', { name: 'Cancel subscription' }).click();
    await page.getByLabel('The price changed').check();
    await page.getByRole('button', { name: 'Cancel now' }).click();
    const keep = page.getByRole('button', { name: 'Keep my subscription' });
    await keep.waitFor(wait);
    const cancelNow = page.getByRole('button', { name: 'Cancel now' });
    const [a, b] = [(await cancelNow.boundingBox())!, (await keep.boundingBox())!];
    expect(a.width * a.height).toBeGreaterThanOrEqual(b.width * b.height);
    expect(a.width).toBeGreaterThanOrEqual(b.width - 0.5);
    expect(a.height).toBeGreaterThanOrEqual(b.height - 0.5);
    // His own figures: the old and the new price.
    const text = await mainText(page);
    expect(text).toContain('£39.99');
    expect(text).toContain('£49.99');
    await lintScreen(page, 'clarification');
    await screenshot(page, 'portal-cancel-clarification');
    axeFindings.push(...(await seriousViolations(page)).map((v) => `clarification: ${v}`));

    await cancelNow.click();
    await page.getByRole('heading', { level: 1, name: 'Your subscription is cancelled' }).waitFor(wait);
    expect(record.screens).toEqual([`/portal/${SLUG}/cancel`, `/portal/${SLUG}/cancel/done`]);
    // The header link, the survey answer, "Cancel now" (which showed the clarification), "Cancel now".
    expect(record.clicks).toEqual(['a: Cancel subscription', 'input: price', 'button: Cancel now', 'button: Cancel now']);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an offer is shown beside an equally large "Cancel now", in plain words; taking it keeps the subscription', async () => {
    const { context, page, problems } = await newPage(e);
    await portalSignIn(e, page, SLUG, people.carol.email);
    await page.goto(`/portal/${SLUG}/cancel`);
    await page.getByLabel('I do not use it enough').check();
    await page.getByRole('button', { name: 'Cancel now' }).click();
    const take = page.getByRole('button', { name: 'Switch to Fibre only' });
    await take.waitFor(wait);
    const [a, b] = [(await page.getByRole('button', { name: 'Cancel now' }).boundingBox())!, (await take.boundingBox())!];
    expect(a.width * a.height).toBeGreaterThanOrEqual(b.width * b.height);
    await lintScreen(page, 'offer');
    await screenshot(page, 'portal-cancel-offer');
    axeFindings.push(...(await seriousViolations(page)).map((v) => `offer: ${v}`));
    await take.click();
    await page.getByRole('heading', { level: 1, name: 'You are now on Fibre only' }).waitFor(wait);
    const rows = await e.t.store.db.selectFrom('cancellations').select(['status']).where('subscription_id', '=', people.carol.subscription).execute();
    expect(rows.map((r) => r.status)).toEqual(['withdrawn']);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('the logged-out cancellation: e-mail and the reference from the link, then "Cancel now"', async () => {
    const { context, page, problems } = await newPage(e);
    await page.goto(`/portal/${SLUG}/cancel?reference=${encodeURIComponent(people.dan.reference)}`);
    expect(await page.getByLabel('Subscription reference').inputValue()).toBe(people.dan.reference);
    await page.getByLabel('E-mail address').fill(people.dan.email);
    await lintScreen(page, 'logged-out form');
    axeFindings.push(...(await seriousViolations(page)).map((v) => `logged-out: ${v}`));
    await page.getByRole('button', { name: 'Cancel now' }).click();
    await expect.poll(() => mainText(page), wait).toMatch(/a confirmation has been sent to the e-mail address (we have )?on file/);
    const rows = await e.t.store.db.selectFrom('cancellations').select(['status', 'channel']).where('subscription_id', '=', people.dan.subscription).execute();
    expect(rows).toEqual([{ status: 'confirmed', channel: 'logged_out' }]);
    await lintScreen(page, 'logged-out answer');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('signed out, portal pages offer sign-in by e-mailed link and the cancellation form; the charter page is readable', async () => {
    const { context, page, problems } = await newPage(e);
    await page.goto(`/portal/${SLUG}`);
    await page.getByRole('heading', { level: 1, name: 'Sign in to the customer portal' }).waitFor();
    expect(await page.getByRole('banner').getByRole('link', { name: 'Cancel subscription' }).count()).toBe(1);
    await page.getByLabel('E-mail').fill(people.alice.email);
    await page.getByRole('button', { name: 'E-mail me a sign-in link' }).click();
    await expect.poll(() => mainText(page), wait).toContain('a sign-in link is on its way');
    axeFindings.push(...(await seriousViolations(page)).map((v) => `portal sign-in: ${v}`));
    await page.goto(`/portal/${SLUG}/cancel`);
    await page.getByLabel('Subscription reference').waitFor();
    axeFindings.push(...(await seriousViolations(page)).map((v) => `logged-out form: ${v}`));

    await page.goto(`/charter/${SLUG}`);
    await page.getByRole('heading', { level: 1, name: 'Northwind Broadband service charter' }).waitFor(wait);
    expect(await mainText(page)).toContain('What every customer gets');
    await screenshot(page, 'charter');
    axeFindings.push(...(await seriousViolations(page)).map((v) => `charter: ${v}`));
    expect(problems).toEqual([]);
    await context.close();
  });

  it('the cancellation works at a phone’s width (375 px) with nothing wider than the screen', async () => {
    const { context, page } = await newPage(e, { width: 375 });
    await portalSignIn(e, page, SLUG, people.erin.email);
    await page.goto(`/portal/${SLUG}/cancel`);
    await page.getByRole('button', { name: 'Cancel now' }).waitFor(wait);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await screenshot(page, 'portal-cancel-375');
    axeFindings.push(...(await seriousViolations(page)).map((v) => `cancel at 375 px: ${v}`));
    await context.close();
  });

  it('axe-core found no serious or critical violation on any portal page above', () => {
    expect(axeFindings).toEqual([]);
  });
});
