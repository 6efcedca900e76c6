import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer } from '../support/app.ts';
import { makeAgent, newPage, PASSWORD, screenshot, seriousViolations, signInAgent, startE2E, type E2E } from './support/browser.ts';

/** How long to wait for the page to show something (a bound, not a speed requirement). */
const wait = { timeout: 10_000 };
const DAY = 86_400_000;
const iso = (days: number) => new Date(Date.now() + days * DAY).toISOString();

let e: E2E;
let compliance: { id: string; email: string };
let ann: string;
let confirmed: { id: string; reference: string };
let loggedOutId: string;
let token: string;

beforeAll(async () => {
  e = await startE2E();
  const t = e.t;
  const ok = async (url: string, body?: unknown, status = 201) => {
    const res = await t.call('POST', url, { body });
    expect(res.status, `${url}: ${res.body}`).toBe(status);
    return res.json;
  };
  const email = `compliance.${Math.random().toString(36).slice(2, 8)}@example.com`;
  const made = await t.call('POST', '/api/v1/agents', { body: { name: 'Cora Compliance', email, role: 'compliance' } });
  expect(made.status).toBe(201);
  expect((await t.call('POST', `/api/v1/agents/${made.json.id}/password`, { body: { password: PASSWORD } })).status).toBe(204);
  compliance = { id: made.json.id, email };

  // Consents of two customers: marketing granted then withdrawn, call recording refused, a hard-inquiry grant.
  ann = await makeCustomer(t, t.a, { name: 'Ann Archer', emails: ['ann@example.com'], timeZone: 'Europe/London' });
  const ben = await makeCustomer(t, t.a, { name: 'Ben Baker', emails: ['ben@example.com'] });
  const evidence = { screenVersion: 'signup/4', shownText: 'You may contact me about offers.' };
  for (const [customer, purpose, status] of [
    [ann, 'marketing_contact', 'granted'],
    [ben, 'marketing_contact', 'granted'],
    [ann, 'call_recording', 'refused'],
    [ann, 'marketing_contact', 'withdrawn'],
    [ben, 'hard_credit_inquiry', 'granted'],
  ] as const) {
    await ok(`/api/v1/customers/${customer}/consents`, { purpose, status, scope: `${purpose} as shown at sign-up`, evidence });
  }

  // Cancellations: one confirmed by an agent, one asked and left open, one logged out (its e-mail has a reversal link).
  const product = await ok('/api/v1/products', { name: 'Fax Line' });
  const plan = await ok('/api/v1/plans', { productId: product.id, name: 'Pro', priceMinor: 1999, currency: 'EUR', interval: 'month', features: ['fax'] });
  const subscribe = (customerId: string) => ok('/api/v1/subscriptions', { customerId, planId: plan.id, startedAt: iso(-400), currentPeriodStart: iso(-10), currentPeriodEnd: iso(20) });
  const s1 = await subscribe(ann);
  const s2 = await subscribe(ben);
  const s3 = await subscribe(ben);
  const c1 = await ok(`/api/v1/subscriptions/${s1.id}/cancellations`, { channel: 'agent', timing: 'period_end' });
  const done = await ok(`/api/v1/cancellations/${c1.id}/confirm`, undefined, 200);
  confirmed = { id: c1.id, reference: done.reference };
  await ok(`/api/v1/subscriptions/${s2.id}/cancellations`, { channel: 'agent', timing: 'period_end' });
  const slug = (await t.call('GET', '/api/v1/tenant')).json.slug as string;
  const res = await t.app.inject({ method: 'POST', url: `/api/v1/public/${slug}/cancellations`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ email: 'ben@example.com', reference: s3.reference }) });
  expect(res.statusCode).toBe(202);
  const jobs = await t.store.db.selectFrom('outbox').select('payload').where('kind', '=', 'email.send').execute();
  const mail = jobs.map((j) => j.payload as { subscriptionReference?: string; cancellationId: string; text: string }).find((p) => p.subscriptionReference === s3.reference)!;
  loggedOutId = mail.cancellationId;
  token = /reverse-cancellation#(\S+)/.exec(mail.text)![1]!;
}, 60_000);
afterAll(async () => e?.close());

describe('compliance records: consents and cancellations', () => {
  it('a compliance officer opens Consents from the navigation and filters to a purpose', async () => {
    const { page, problems } = await newPage(e);
    await signInAgent(page, compliance, '/audit');
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Consents' }).click();
    await page.waitForURL('**/consents');
    await page.getByRole('heading', { level: 1, name: 'Consents' }).waitFor(wait);
    const rows = page.locator('.consent-table tbody tr');
    await rows.first().waitFor(wait);
    expect(await rows.count()).toBe(5);

    await page.getByLabel('Purpose').selectOption('marketing_contact');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL('**/consents?purpose=marketing_contact');
    await page.getByText('3 records shown.').waitFor(wait);
    // Exactly the API's records for this filter, newest first, with who and whether each is in force.
    const api = (await e.t.call('GET', '/api/v1/consents?purpose=marketing_contact')).json.data as Array<{ customerName: string; status: string; live: boolean }>;
    expect(api.map((c) => [c.customerName, c.status, c.live])).toEqual([
      ['Ann Archer', 'withdrawn', false],
      ['Ben Baker', 'granted', true],
      ['Ann Archer', 'granted', false],
    ]);
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())));
    expect(shown.map((r) => [r[1], r[2], r[3], r[4]])).toEqual([
      ['Ann Archer', 'Marketing contact', 'Withdrawn', 'No'],
      ['Ben Baker', 'Marketing contact', 'Granted', '✓ In force'],
      ['Ann Archer', 'Marketing contact', 'Granted', 'No'],
    ]);
    expect(shown[0]![6]).toContain('screen version signup/4');
    expect(shown[0]![8]).toBe('an API token');
    await screenshot(page, 'compliance-consents');

    // Each row links to its customer.
    await rows.first().getByRole('link', { name: 'Ann Archer' }).click();
    await page.waitForURL(`**/customers/${ann}`);
    await page.getByRole('heading', { level: 1, name: 'Ann Archer' }).waitFor(wait);
    expect(problems).toEqual([]);
  });

  it('a compliance officer opens a confirmed cancellation and reads its confirmation e-mail, without the reversal link’s secret', async () => {
    const { page, problems } = await newPage(e);
    await signInAgent(page, compliance, '/cancellations');
    await page.getByRole('heading', { level: 1, name: 'Cancellations' }).waitFor(wait);
    await page.getByText('3 cancellations shown.').waitFor(wait);

    await page.getByLabel('Status').selectOption('confirmed');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL('**/cancellations?status=confirmed');
    await page.getByText('2 cancellations shown.').waitFor(wait);
    const item = page.locator(`#cancellation-${confirmed.id}`);
    const facts = (await item.innerText()).replace(/\s+/g, ' ');
    for (const s of [confirmed.reference, 'Ann Archer', 'Pro (', 'through an agent', 'Steps taken 2', 'Shown besides “Cancel now” Nothing', 'Queued, not sent yet']) expect(facts).toContain(s);

    await item.getByText(`Confirmation e-mail of ${confirmed.reference}`).click();
    const mail = page.getByRole('region', { name: `Confirmation e-mail of ${confirmed.reference}` });
    await mail.waitFor(wait);
    const text = await mail.innerText();
    expect(text).toContain('ann@example.com');
    expect(text).toContain(`Your cancellation is confirmed. Cancellation reference: ${confirmed.reference}.`);
    expect(text).toContain('Dear Ann Archer');
    await screenshot(page, 'compliance-cancellations');

    // The logged-out one: its link is shown without the token.
    const other = page.locator(`#cancellation-${loggedOutId}`);
    await other.locator('summary').click();
    const otherMail = other.getByRole('region');
    await otherMail.waitFor(wait);
    expect(await otherMail.innerText()).toContain('reverse-cancellation#…redacted');
    expect(await page.content()).not.toContain(token);
    expect(problems).toEqual([]);
  });

  it('a plain agent has neither page in the navigation, and the API refuses the consent ledger', async () => {
    const agent = await makeAgent(e.t, 'agent');
    const { page } = await newPage(e);
    await signInAgent(page, agent, '/inbox');
    const nav = page.getByRole('navigation', { name: 'Console' });
    await nav.getByRole('link', { name: 'Inbox' }).waitFor(wait);
    expect(await nav.getByRole('link', { name: 'Consents' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Cancellations' }).count()).toBe(0);
    expect(await page.evaluate(async () => (await fetch('/api/v1/consents')).status)).toBe(403);
  });

  it('has no serious accessibility violation and nothing wider than the screen, at 1280 and 375 px', async () => {
    const { page, problems } = await newPage(e);
    await signInAgent(page, compliance, '/consents');
    const found: string[] = [];
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      for (const [path, heading] of [
        ['/consents', 'Consents'],
        ['/cancellations', 'Cancellations'],
      ] as const) {
        await page.goto(path);
        await page.getByRole('heading', { level: 1, name: heading }).waitFor(wait);
        await page.getByText(/\d+ (records|cancellations) shown/).waitFor(wait);
        if (path === '/cancellations') {
          await page.locator(`#cancellation-${confirmed.id} summary`).click();
          await page.getByRole('region', { name: `Confirmation e-mail of ${confirmed.reference}` }).waitFor(wait);
        }
        found.push(...(await seriousViolations(page)).map((v) => `${path} ${width}px: ${v}`));
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `${path} at ${width}px`).toBeLessThanOrEqual(width);
      }
    }
    expect(found).toEqual([]);
    expect(problems).toEqual([]);
  }, 120_000);
});
