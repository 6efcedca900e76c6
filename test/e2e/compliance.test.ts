import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer } from '../support/app.ts';
import { makeAgent, newPage, PASSWORD, screenshot, seriousViolations, signInAgent, startE2E, type E2E } from './support/browser.ts';

/** How long to wait for the page to show something (a bound, not a speed requirement). */
const wait = { timeout: 10_000 };
const EXAMPLE = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'charter.yaml'), 'utf8');
const V2 = EXAMPLE.replace('  maxDays: 30', '  maxDays: 21');

let e: E2E;
let compliance: { id: string; email: string };
let lead: { id: string; email: string };
let customerId: string;
let exceptionId: string;

beforeAll(async () => {
  e = await startE2E();
  const t = e.t;
  expect(V2).not.toBe(EXAMPLE);
  expect((await t.call('POST', '/api/v1/charter/versions', { body: { source: EXAMPLE, effectiveAt: '2026-01-01T00:00:00Z', changeNote: 'First charter' } })).status).toBe(201);
  expect((await t.call('POST', '/api/v1/charter/versions', { body: { source: V2, effectiveAt: '2026-02-01T00:00:00Z', changeNote: 'Exceptions last at most 21 days' } })).status).toBe(201);
  lead = await makeAgent(t, 'lead');
  const email = `compliance.${Math.random().toString(36).slice(2, 8)}@example.com`;
  const made = await t.call('POST', '/api/v1/agents', { body: { name: 'Cora Compliance', email, role: 'compliance' } });
  expect(made.status).toBe(201);
  expect((await t.call('POST', `/api/v1/agents/${made.json.id}/password`, { body: { password: PASSWORD } })).status).toBe(204);
  compliance = { id: made.json.id, email };
  customerId = await makeCustomer(t, t.a, { name: 'Olive Office' });

  // The lead grants the exception in their own session, so the log names them.
  const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ tenant: 'tenant-a', email: lead.email, password: PASSWORD }) });
  const cookie = signIn.cookies.find((c) => c.name === '__Host-fairdesk_session')!;
  const granted = await t.app.inject({
    method: 'POST',
    url: '/api/v1/exceptions',
    headers: { cookie: `__Host-fairdesk_session=${cookie.value}`, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
    payload: JSON.stringify({ customerId, what: 'Engineer visit within 4 hours', reason: 'Office move next week', approverId: lead.id, expiresAt: new Date(Date.now() + 5 * 86_400_000).toISOString() }),
  });
  expect(granted.statusCode).toBe(201);
  exceptionId = granted.json().id;
});
afterAll(async () => e?.close());

describe('compliance views', () => {
  it('a compliance officer finds an exception in the audit log and opens its customer', async () => {
    const { page, problems } = await newPage(e);
    await signInAgent(page, compliance, '/audit');
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor(wait);
    await page.getByText('✓ Chain intact').waitFor(wait);
    const nav = page.getByRole('navigation', { name: 'Console' });
    for (const name of ['Audit log', 'Exceptions', 'Charter versions']) await nav.getByRole('link', { name }).waitFor(wait);

    await page.getByLabel('What').selectOption('exception.');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL('**/audit?action=exception.');
    const rows = page.locator('.audit-table tbody tr');
    await rows.first().waitFor(wait);
    // Exactly what the API has for this filter: the one grant, by the lead, with the fields it set.
    const api = (await e.t.call('GET', '/api/v1/audit?action=exception.')).json.data;
    expect(api).toHaveLength(1);
    expect(await rows.count()).toBe(1);
    const row = rows.first();
    await expect(row.textContent()).resolves.toContain('exception.granted');
    await expect(row.textContent()).resolves.toContain('Robin lead');
    await expect(row.textContent()).resolves.toContain(api[0].fields.join(', '));
    await screenshot(page, 'audit-log');

    await row.getByRole('link', { name: 'Open exception' }).click();
    await page.waitForURL(`**/exceptions?focus=${exceptionId}`);
    const item = page.locator(`#exception-${exceptionId}`);
    await item.waitFor(wait);
    expect(await item.getAttribute('aria-current')).toBe('true');
    const text = (await item.textContent()) ?? '';
    for (const s of ['Engineer visit within 4 hours', 'Office move next week', 'Robin lead', 'In force']) expect(text).toContain(s);

    await item.getByRole('link', { name: 'Open customer' }).click();
    await page.waitForURL(`**/customers/${customerId}`);
    await page.getByRole('heading', { level: 1, name: 'Olive Office' }).waitFor(wait);
    // Who read this record: at least this officer, just now.
    const reads = page.getByRole('region', { name: 'Who read this record' });
    await reads.getByText('Cora Compliance').first().waitFor(wait);

    // And back from the exception to its audit entries.
    await page.goto(`/exceptions?focus=${exceptionId}`);
    await page.locator(`#exception-${exceptionId}`).getByRole('link', { name: 'Audit entries' }).click();
    await page.waitForURL(`**/audit?entityId=${exceptionId}`);
    await page.locator('.audit-table tbody tr').first().waitFor(wait);
    expect(await page.locator('.audit-table tbody tr').count()).toBe(1);
    expect(problems).toEqual([]);
  });

  it('shows the changed line between two charter versions, with the change note', async () => {
    const { page, problems } = await newPage(e);
    await signInAgent(page, compliance, '/charter-versions');
    await page.getByRole('heading', { level: 1, name: 'Charter versions' }).waitFor(wait);
    await page.getByRole('heading', { name: 'What changed from version 1 to version 2' }).waitFor(wait);
    await page.getByText('Change note: Exceptions last at most 21 days').waitFor(wait);
    await page.getByText('1 line added (+), 1 removed (−).').waitFor(wait);
    const removed = page.locator('.diff li.removed');
    const added = page.locator('.diff li.added');
    expect(await removed.count()).toBe(1);
    expect(await added.count()).toBe(1);
    expect(await removed.textContent()).toMatch(/^129\s*−\s*removed:\s*maxDays: 30$/);
    expect(await added.textContent()).toMatch(/^129\s*\+\s*added:\s*maxDays: 21$/);
    await screenshot(page, 'charter-diff');
    // The same version on both sides: nothing changed.
    await page.getByLabel('Newer version').selectOption('1');
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.getByText('The two versions have the same text.').waitFor(wait);
    expect(problems).toEqual([]);
  });

  it('an agent without audit:read has none of these pages in the navigation, and the API refuses the log', async () => {
    const agent = await makeAgent(e.t, 'agent');
    const { page } = await newPage(e);
    await signInAgent(page, agent, '/inbox');
    const nav = page.getByRole('navigation', { name: 'Console' });
    await nav.getByRole('link', { name: 'Inbox' }).waitFor(wait);
    expect(await nav.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    const status = await page.evaluate(async () => (await fetch('/api/v1/audit')).status);
    expect(status).toBe(403);
  });

  it('has no serious accessibility violation and nothing wider than the screen, at 1280 and 375 px', async () => {
    const { page, problems } = await newPage(e);
    await signInAgent(page, compliance, '/audit');
    const found: string[] = [];
    const pages: Array<[string, string]> = [
      ['/audit', 'Audit log'],
      [`/exceptions?focus=${exceptionId}`, 'Exceptions'],
      ['/charter-versions', 'Charter versions'],
      [`/customers/${customerId}`, 'Olive Office'],
    ];
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      for (const [path, heading] of pages) {
        await page.goto(path);
        await page.getByRole('heading', { level: 1, name: heading }).waitFor(wait);
        await page.locator('[role="status"]:has-text("Loading")').first().waitFor({ state: 'detached', ...wait }).catch(() => undefined);
        if (path === '/audit') await page.locator('.audit-table').waitFor(wait);
        if (path === '/charter-versions') await page.locator('.diff').waitFor(wait);
        if (path.startsWith('/customers')) await page.getByRole('region', { name: 'Who read this record' }).locator('table').waitFor(wait);
        found.push(...(await seriousViolations(page)).map((v) => `${path} ${width}px: ${v}`));
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `${path} at ${width}px`).toBeLessThanOrEqual(width);
        if (width === 375 && path === '/audit') await screenshot(page, 'audit-log-phone');
      }
    }
    expect(found).toEqual([]);
    expect(problems).toEqual([]);
  });
});
