import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer } from '../support/app.ts';
import { newPage, portalSignIn, screenshot, seriousViolations, startE2E, type E2E } from './support/browser.ts';

let e: E2E;
let slug: string;
beforeAll(async () => {
  e = await startE2E();
  const charter = await e.t.call('POST', '/api/v1/charter/versions', { body: { source: readFileSync('examples/charter.yaml', 'utf8'), effectiveAt: new Date(Date.now() - 60_000).toISOString() } });
  expect(charter.status).toBe(201);
  slug = (await e.t.call('GET', '/api/v1/tenant')).json.slug as string;
  // Customer since 2015: the example charter's tenure tier applies, with its reason in words.
  await makeCustomer(e.t, e.t.a, { name: 'Wendy Long', emails: ['wendy@example.com'], customerSince: '2015-03-01' });
});
afterAll(async () => e?.close());

describe('the portal: my entitlements and why', () => {
  it.each([1280, 375])('shows what the customer is entitled to and why, the charter a click away, at %i px', async (width) => {
    const { context, page, problems } = await newPage(e, { width });
    await portalSignIn(e, page, slug, 'wendy@example.com');
    await page.getByRole('link', { name: 'My entitlements' }).click();
    await page.waitForURL(`**/portal/${slug}/entitlements`);
    await page.getByRole('heading', { name: 'Why' }).waitFor();
    const text = await page.locator('main').innerText();
    expect(text).toMatch(/What you are entitled to/);
    expect(text).toMatch(/you have been a customer for \d+ years/);
    expect(text).toMatch(/What it gives/);
    // Leaving stays one click away on this page too.
    expect(await page.getByRole('link', { name: 'Cancel subscription' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'published service charter' }).getAttribute('href')).toBe(`/charter/${slug}`);
    expect(await seriousViolations(page)).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    if (width === 1280) await screenshot(page, 'portal-entitlements');
    expect(problems).toEqual([]);
    await context.close();
  });
});
