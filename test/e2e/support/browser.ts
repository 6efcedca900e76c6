import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from '../../support/app.ts';

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Chromium with a fresh profile (playwright's launch() makes a new temporary user-data dir each time). */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's (sudo apt-get install -y chromium) or set CHROMIUM_PATH`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

export interface E2E {
  t: TestApp;
  browser: Browser;
  /** http://127.0.0.1:PORT of the listening server. */
  base: string;
  close(): Promise<void>;
}

/**
 * A real listening server (the same buildServer as `fairdesk serve`, on the test store: PGlite, or
 * PostgreSQL with DATABASE_URL) with tenants A and B, and one Chromium for the whole test file.
 */
export async function startE2E(): Promise<E2E> {
  const t = await startTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  const browser = await launchChromium();
  return {
    t,
    browser,
    base: `http://127.0.0.1:${port}`,
    close: async () => {
      await browser.close();
      await t.close();
    },
  };
}

/** A new context (cookies of its own) and page; console errors and failed requests are collected. */
export async function newPage(e: E2E, options: { width?: number } = {}): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await e.browser.newContext({ baseURL: e.base, viewport: { width: options.width ?? 1280, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    // Failed loads are collected with their address below; Chromium logs each one here without it.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(`console: ${msg.text()}`);
  });
  page.on('response', (res) => {
    const path = new URL(res.url()).pathname;
    // A 401 is how a page learns nobody is signed in yet; the server-rendered sign-in page has no icon.
    if (res.status() >= 400 && res.status() !== 401 && path !== '/favicon.ico') problems.push(`${res.status()} ${res.request().method()} ${path}`);
  });
  return { context, page, problems };
}

/** Serious or critical accessibility violations of the page as it is now (none is the goal). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
}

export const PASSWORD = 'correct horse battery staple';

/** An agent of tenant A with a password, made through the API. */
export async function makeAgent(t: TestApp, role: 'agent' | 'lead' = 'agent'): Promise<{ id: string; email: string }> {
  const email = `${role}.${Math.random().toString(36).slice(2, 8)}@example.com`;
  const created = await t.call('POST', '/api/v1/agents', { body: { name: `Robin ${role}`, email, role } });
  if (created.status !== 201) throw new Error(`agent: ${created.status} ${created.body}`);
  const pw = await t.call('POST', `/api/v1/agents/${created.json.id}/password`, { body: { password: PASSWORD } });
  if (pw.status !== 204) throw new Error(`password: ${pw.status} ${pw.body}`);
  return { id: created.json.id as string, email };
}

/** Asks for a portal sign-in link for the address and reads its token from the outbox e-mail. */
export async function portalLinkToken(t: TestApp, slug: string, email: string): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: `/api/v1/portal/${slug}/magic-links`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ email }) });
  if (res.statusCode !== 202) throw new Error(`magic link: ${res.statusCode}`);
  const jobs = await t.store.db.selectFrom('outbox').select(['payload']).where('kind', '=', 'email.send').orderBy('id', 'desc').execute();
  const mail = jobs.map((j) => j.payload as { to: string; text: string }).find((p) => p.to === email);
  const match = mail && new RegExp(`/portal/${slug}/confirm#(\\S+)`).exec(mail.text);
  if (!match) throw new Error(`no sign-in e-mail for ${email}`);
  return match[1]!;
}

/** Signs a customer in to the portal the way a person does: open the e-mailed link, press the button. */
export async function portalSignIn(e: E2E, page: Page, slug: string, email: string): Promise<void> {
  const token = await portalLinkToken(e.t, slug, email);
  await page.goto(`/portal/${slug}/confirm#${token}`);
  await Promise.all([page.waitForURL(`**/portal/${slug}`), page.getByRole('button', { name: 'Sign in' }).click()]);
}

/** With FAIRDESK_SCREENSHOTS=DIR, saves a full-page screenshot of a main screen there (for docs and reviews). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.FAIRDESK_SCREENSHOTS;
  if (dir) await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

/** Signs an agent of tenant A in through the console's own form, starting from `to` (which redirects to sign-in). */
export async function signInAgent(p: Page, who: { email: string }, to = '/inbox'): Promise<void> {
  await p.goto(to);
  await p.waitForURL('**/sign-in?next=**');
  await p.getByLabel('Organisation').fill('tenant-a');
  await p.getByLabel('E-mail').fill(who.email);
  await p.getByLabel('Password').fill(PASSWORD);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.waitForURL(`**${to}`);
}
