import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { generateOfferHistory, type OfferHistoryResult } from '../../src/app/generate-offer-history.ts';
import { harmWords } from '../../web/src/offers/words.ts';
import { makeCustomer } from '../support/app.ts';
import { onPostgres } from '../support/store.ts';
import { BUSINESS_CARD_YAML } from '../domain/offers/fixtures.ts';
import { makeAgent, newPage, screenshot, seriousViolations, startE2E, type E2E, signInAgent } from './support/browser.ts';

/** How long to wait for the page to show something (a bound, not a speed requirement). */
const wait = { timeout: 10_000 };

let e: E2E;
let agent: { id: string; email: string };
let lead: { id: string; email: string };
let card: string;
let broadband: string;
let conversationId: string;
let customerId: string;
let careConversationId: string;
/** The generated sales history (made by the incentives test; the decisions test reads it too). */
let gen: OfferHistoryResult;

async function ok(url: string, body: unknown, status = 201): Promise<Record<string, unknown> & { id: string }> {
  const res = await e.t.call('POST', url, { body });
  if (res.status !== status) throw new Error(`${url}: ${res.status} ${res.body}`);
  return res.json;
}

/** A business customer with `perMonth` card spend in each of the last 12 full months (through the usage API). */
async function businessCustomer(name: string, perMonth: number, extra: Record<string, unknown> = {}): Promise<string> {
  const id = await makeCustomer(e.t, e.t.a, { name, customerSince: '2020-01-01', attributes: { kind: 'business', revenue: 180000, region: 'GB', ...extra } });
  const now = new Date();
  for (let k = 1; k <= 12; k++) {
    const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - k, 15)).toISOString();
    await ok(`/api/v1/customers/${id}/usage`, { unit: 'card_spend', quantity: perMonth, at, externalId: `${id}-${k}` });
  }
  return id;
}

beforeAll(async () => {
  e = await startE2E();
  agent = await makeAgent(e.t, 'agent');
  lead = await makeAgent(e.t, 'lead');
  // A charter, so "Reports" opens on a parity report rather than a 404.
  await ok('/api/v1/charter/versions', { source: readFileSync('examples/charter.yaml', 'utf8'), effectiveAt: '2026-01-01T00:00:00Z' });
  card = (await ok('/api/v1/products', { name: 'Business Rewards Card' })).id;
  broadband = (await ok('/api/v1/products', { name: 'Broadband' })).id; // no fit published: never offered
  await ok(`/api/v1/products/${card}/fit`, { source: BUSINESS_CARD_YAML });

  // (a) A business that spent £10 a month on the card for a year: the card is worth £25 a year to it.
  customerId = await businessCustomer('Northwind Traders', 1000);
  conversationId = (
    await ok('/api/v1/conversations', { customerId, assigneeId: agent.id, channel: 'chat', subject: 'Cashback on our spending', message: { role: 'customer', text: 'We spend a lot on the card. Is there anything with cashback?' } })
  ).id;
  // A customer flagged as needing extra care.
  const careful = await businessCustomer('Fabrikam Care', 1000, { vulnerable: true });
  careConversationId = (
    await ok('/api/v1/conversations', { customerId: careful, channel: 'chat', subject: 'Cashback for a small firm', message: { role: 'customer', text: 'I would like cashback on what we spend.' } })
  ).id;

}, 180_000);
afterAll(async () => e?.close());

/** The rows of a table (by its caption) as arrays of cell texts, header row first. */
async function tableRows(p: Page, caption: string): Promise<string[][]> {
  const table = p.getByRole('table', { name: caption });
  await table.waitFor(wait);
  return table.evaluate((el) => [...(el as HTMLTableElement).rows].map((r) => [...r.cells].map((c) => (c as HTMLElement).innerText.trim())));
}

describe(`offers in Chromium (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('an agent sees a suitable offer with its value and a blocked one with its reasons, presents it with a stated need, and the customer declines', async () => {
    const { page, problems } = await newPage(e);
    await signInAgent(page, agent);
    await page.goto(`/inbox/${conversationId}`);
    const panel = page.getByRole('region', { name: 'Offers' });
    await panel.getByText('Suitable (0)', { exact: true }).waitFor(wait);
    // With no need stated nothing is suitable: an unprompted upsell is refused.
    await panel.getByText('Not suitable (2)').click();
    const blocked = panel.getByRole('list', { name: 'Not suitable' });
    expect(await blocked.innerText()).toMatch(/Business Rewards Card[\s\S]*Stated need: no need stated by the customer/);

    // The needs offered are the products' own.
    const select = panel.getByLabel('Need the customer stated');
    expect(await select.locator('option').allInnerTexts()).toEqual(['none stated', 'business spending', 'cashback']);
    await select.selectOption('cashback');
    await panel.getByText('Suitable (1)', { exact: true }).waitFor(wait);
    const api = (await e.t.call('GET', `/api/v1/customers/${customerId}/offers?conversationId=${conversationId}&statedNeed=cashback`)).json;
    expect(api.eligible).toEqual([expect.objectContaining({ productId: card, value: 2500, currency: 'GBP' })]);
    const suitable = panel.getByRole('list', { name: 'Suitable offers' });
    const text = await suitable.innerText();
    expect(text).toContain('Business Rewards Card');
    expect(text).toContain('Worth £25.00 a year to the customer');
    expect(text).toContain(`positive in ${Math.round(api.eligible[0].robustness.positiveShare * 1000) / 10}% of ${api.eligible[0].robustness.resamples} resamples`);
    // The terms and the key-facts card unfold.
    await suitable.getByText(/How the value is worked out \(3 terms\)/).click();
    expect(await suitable.innerText()).toMatch(/fixed fees a year: −£95\.00 a year/);
    await suitable.getByText('Key-facts card').click();
    expect(await suitable.innerText()).toContain('Annual fee GBP 95');

    // Broadband has no fit: blocked, with each failed gate and its reason, and no button.
    expect(await panel.getByText('Not suitable (1)', { exact: true }).count()).toBe(1);
    const blockedText = await blocked.innerText();
    expect(blockedText).toContain('Broadband');
    expect(blockedText).toMatch(/Target market: the product has published no fit/);
    expect(blockedText).toMatch(/Key-facts card: the product has no key-facts card/);
    expect(await blocked.getByRole('button').count()).toBe(0);
    await screenshot(page, 'console-offers');

    await suitable.getByRole('button', { name: /Present offer/ }).click();
    const made = panel.getByRole('list', { name: 'Offers in this conversation' });
    await made.getByText('Presented, waiting for the customer').waitFor(wait);
    expect(await made.innerText()).toContain('need stated: cashback');
    // Presented once: no second "Present offer" for it.
    expect(await suitable.getByRole('button', { name: /Present offer/ }).count()).toBe(0);
    await made.getByRole('button', { name: 'Customer declines' }).click();
    await made.getByText('Declined', { exact: true }).waitFor(wait);
    expect(await made.getByRole('button').count()).toBe(0);

    const offers = (await e.t.call('GET', `/api/v1/offers?customerId=${customerId}`)).json.data;
    expect(offers).toEqual([expect.objectContaining({ productId: card, status: 'declined', statedNeed: 'cashback', agentId: agent.id, conversationId })]);
    // Not offered again for 90 days: the card is now among the unsuitable, with the reason.
    await panel.getByText('Not suitable (2)').waitFor(wait);
    expect(await blocked.innerText()).toMatch(/Asked again after a no: the customer said no to this product on/);
    expect(await panel.getByText('Suitable (0)', { exact: true }).count()).toBe(1);

    // The customer's timeline has the offer: product, status, value, who presented it, the need.
    await page.getByRole('link', { name: 'Northwind Traders' }).click();
    await page.waitForURL(`**/customers/${customerId}`);
    const timeline = page.getByRole('list', { name: 'Timeline, newest first' });
    await timeline.waitFor(wait);
    const entry = timeline.getByRole('listitem').filter({ hasText: 'Business Rewards Card' });
    expect(await entry.locator('.badge').innerText()).toBe('Offer');
    expect(await entry.innerText()).toContain('Business Rewards Card — declined; worth £25.00 a year to the customer; presented by Robin agent; need stated: cashback');
    expect(await entry.locator('time').getAttribute('datetime')).toBe(offers[0].presentedAt);
    expect(problems).toEqual([]);
  });

  it('an offer on the extra-care path shows its steps, and accepting too early shows the gate that refuses it', async () => {
    const { page, problems } = await newPage(e);
    await signInAgent(page, agent);
    await page.goto(`/inbox/${careConversationId}`);
    const panel = page.getByRole('region', { name: 'Offers' });
    await panel.getByLabel('Need the customer stated').selectOption('cashback');
    const suitable = panel.getByRole('list', { name: 'Suitable offers' });
    await suitable.getByText('Extra care', { exact: true }).waitFor(wait);
    await suitable.getByRole('button', { name: /Present offer/ }).click();
    const made = panel.getByRole('list', { name: 'Offers in this conversation' });
    await made.getByText('Awaiting extra care').waitFor(wait);
    const steps = made.getByRole('list', { name: /Extra-care steps/ });
    expect(await steps.innerText()).toMatch(/Key facts not yet read[\s\S]*Lead review pending[\s\S]*Decision not before/);
    // Accepting now is refused: the problem and the gate are shown (the 422 is expected here).
    await made.getByRole('button', { name: 'Customer accepts' }).click();
    const alert = made.getByRole('alert');
    await alert.waitFor(wait);
    expect(await alert.innerText()).toMatch(/Extra care: a lead has not reviewed the offer/);
    await made.getByRole('button', { name: 'Key facts read' }).click();
    await steps.getByText(/Key facts read with the customer \(/).waitFor(wait);
    expect(problems.filter((p) => !/^422 POST \/api\/v1\/offers\/[^/]+\/accept$/.test(p))).toEqual([]);
  });

  it('a lead opens the incentives report on a generated sales history: the high-harm agent is flagged, the top seller is not, figures as the API has them, CSV downloads', async () => {
    // The lead's generator: seven sellers, 128 sales through the real gates; one (not the top seller) harms often.
    gen = await generateOfferHistory({ db: e.t.store.db, tenantId: e.t.a.id, actor: 'test' }, { seed: 7 });
    const { page, problems } = await newPage(e);
    await signInAgent(page, lead);
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('navigation', { name: 'Reports' }).getByRole('link', { name: 'Incentives' }).click();
    await page.waitForURL('**/reports/incentives');
    await page.getByRole('heading', { level: 1, name: 'Incentives and harmful sales' }).waitFor(wait);

    type Row = { id: string; name: string; sales: number; harmfulSales: number; harmRate: number; vested: number; pending: number; clawedBack: number; withheld: number; payable: number; flagged: boolean; flagReason: string | null };
    const api = (await e.t.call('GET', '/api/v1/reports/incentives')).json as { agents: Row[]; campaigns: Row[]; policy: { vestingDays: number } };
    const high = api.agents.find((a) => a.id === gen.highHarmAgentId)!;
    const top = api.agents.find((a) => a.id === gen.topSellerId)!;
    expect(high.flagged).toBe(true);
    expect(top.flagged).toBe(false);
    expect(top.sales).toBeGreaterThan(high.sales);
    const flaggedNames = [...api.agents, ...api.campaigns].filter((r) => r.flagged).map((r) => r.name);

    // The alert names every flagged agent or campaign with the API's reason, and nobody else; the policy is the response's.
    const alert = page.locator('.report-alert');
    await alert.waitFor(wait);
    const alertText = await alert.innerText();
    expect(alertText).toContain(`${high.name}: ${high.flagReason}`);
    expect(alertText).not.toContain(top.name);
    expect(await alert.getByRole('listitem').allInnerTexts()).toEqual(flaggedNames.map((n) => expect.stringContaining(`${n}: `)));
    expect(await page.getByRole('region', { name: 'The policy' }).innerText()).toContain(`held up for ${api.policy.vestingDays} days`);

    // The chart: one bar per agent, the 90th-percentile line in the legend, the flagged marked in text as well as colour.
    const chart = page.getByRole('img', { name: 'Harm rate per agent (% of their sales)' });
    await chart.waitFor(wait);
    expect(await chart.locator('rect.series-0').count()).toBe(api.agents.length);
    const marked = await chart.locator('.chart-row.flagged .chart-label').allTextContents();
    expect(marked).toEqual(api.agents.filter((a) => a.flagged).map((a) => expect.stringContaining('⚑')));
    expect(marked.join(' ')).toContain(high.name.split(' ')[0]);
    expect(await page.getByRole('list', { name: /^Legend: Harm rate per agent/ }).innerText()).toMatch(/Harm rate[\s\S]*90th percentile of agents[\s\S]*⚑ Flagged/);
    const rows = await tableRows(page, 'Harm rate per agent (% of their sales)');
    expect(rows.slice(1)).toEqual(api.agents.map((a) => [a.flagged ? `${a.name} (flagged)` : a.name, `${Math.round(a.harmRate * 1000) / 10}%`]));
    const sales = await tableRows(page, 'Sales and harmful sales per agent');
    expect(sales.slice(1).map((r) => r.slice(1))).toEqual(api.agents.map((a) => [String(a.sales), String(a.harmfulSales)]));

    // The tables per agent and per campaign.
    const pct = (v: number) => `${Math.round(v * 1000) / 10}%`;
    const figures = (r: Row) => [r.name, r.sales, r.harmfulSales, pct(r.harmRate), r.vested, r.pending, r.clawedBack, r.withheld, r.payable].map(String);
    const agents = await tableRows(page, 'Incentives per agent');
    expect(agents[0]).toEqual(['Agent', 'Sales', 'Harmful', 'Harm rate', 'Vested', 'Pending', 'Clawed back', 'Withheld', 'Payable', 'Harms', 'Flagged']);
    expect(agents.slice(1).map((r) => r.slice(0, 9))).toEqual(api.agents.map(figures));
    expect(agents.slice(1).map((r) => r[10]!.startsWith('⚑ Yes: '))).toEqual(api.agents.map((a) => a.flagged));
    expect(agents.find((r) => r[0] === top.name)![10]).toBe('No');
    expect(agents.find((r) => r[0] === high.name)![9]).toMatch(/: \d/);
    const campaigns = await tableRows(page, 'Incentives per campaign');
    expect(campaigns.slice(1).map((r) => r.slice(0, 9))).toEqual(api.campaigns.map(figures));
    await screenshot(page, 'reports-incentives');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('incentives.csv');
    const csv = await (await download.createReadStream()).toArray();
    const lines = Buffer.concat(csv).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toBe('group,id,name,sales,harmful_sales,harm_rate,vested,pending,clawed_back,withheld,payable,flagged,flag_reason');
    expect(lines).toHaveLength(1 + api.agents.length + api.campaigns.length);
    expect(lines.find((l) => l.includes(gen.highHarmAgentId))).toMatch(new RegExp(`^agent,${gen.highHarmAgentId},${high.name},${high.sales},${high.harmfulSales},[0-9.]+,\\d+,\\d+,\\d+,\\d+,0,true,`));
    expect(lines.find((l) => l.includes(gen.topSellerId))).toMatch(new RegExp(`^agent,${gen.topSellerId},${top.name},${top.sales},${top.harmfulSales},.*,false,$`));
    expect(problems).toEqual([]);
  }, 120_000);

  it('compliance browses offer decisions: filters, the gates of each offer with their reasons, and More', async () => {
    const { page, problems } = await newPage(e);
    await signInAgent(page, lead);
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Offer decisions' }).click();
    await page.waitForURL('**/offers');
    await page.getByRole('heading', { level: 1, name: 'Offer decisions' }).waitFor(wait);
    const list = page.getByRole('list', { name: 'Offer decisions, newest first' });
    await list.waitFor(wait);
    // 20 a page (the generated history is there too).
    const all = (await e.t.call('GET', '/api/v1/offers?limit=200')).json.data as Array<{ id: string; status: string; agentId: string; presentedAt: string }>;
    expect(await list.locator(':scope > li').count()).toBe(Math.min(20, all.length));

    // Only the high-harm seller's sales: the first 20 of them, newest first; the harms are on the lines.
    const high = gen.agents.find((a) => a.id === gen.highHarmAgentId)!;
    type Listed = { id: string; customerId: string; presentedAt: string; harms: string[]; productName: string };
    const theirs = (await e.t.call('GET', `/api/v1/offers?status=accepted&agentId=${high.id}&limit=200`)).json.data as Listed[];
    expect(theirs.length).toBe(high.sales);
    await page.getByLabel('Status').selectOption('accepted');
    await page.getByLabel('Agent').selectOption({ label: high.name });
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(`**/offers?status=accepted&agentId=${high.id}`);
    await page.getByText('20 offers shown, more to load.').waitFor(wait);
    const firstPage = theirs.slice(0, 20);
    expect(await list.locator(':scope > li time').evaluateAll((els) => els.map((el) => el.getAttribute('datetime')))).toEqual(firstPage.map((o) => o.presentedAt));
    expect(await list.getByText(/^Harm: /).count()).toBe(firstPage.filter((o) => o.harms.length > 0).length);

    // The first unfolds to its gates, value terms, fit version, key facts and outcomes.
    const first = list.locator(':scope > li').first();
    await first.locator('summary').click();
    const body = await first.innerText();
    expect(body).toMatch(/✓ Passed — Target market/);
    expect(body).toMatch(/✓ Passed — Need/);
    expect(body).toContain('Product fit version: 1');
    expect(body).toMatch(/fixed fees a year: −£95\.00 a year/);
    expect(body).toContain('Annual fee GBP 95');
    expect(body).toContain(`by ${high.name}`);
    await screenshot(page, 'offer-decisions');

    // A harmed sale's customer: the timeline says what happened after the sale.
    const k = firstPage.findIndex((o) => o.harms.length > 0);
    expect(k).toBeGreaterThanOrEqual(0);
    const harmed = list.locator(':scope > li').nth(k);
    await harmed.locator('summary').click();
    expect(await harmed.innerText()).toMatch(/After the sale[\s\S]*\(harmful\)/);
    await harmed.getByRole('link', { name: 'open the customer' }).click();
    await page.waitForURL(`**/customers/${firstPage[k]!.customerId}`);
    const entry = page.getByRole('list', { name: 'Timeline, newest first' }).getByRole('listitem').filter({ hasText: firstPage[k]!.productName });
    await entry.waitFor(wait);
    expect(await entry.innerText()).toContain(`accepted; worth `);
    expect(await entry.innerText()).toContain(`presented by ${high.name}; `);
    expect(await entry.innerText()).toContain(`harm after the sale: ${firstPage[k]!.harms.map(harmWords).join(', ')}`);

    // A declined offer: the gates it passed when it was presented.
    await page.goto('/offers?status=declined');
    await list.locator(':scope > li').first().locator('summary').click();
    expect(await list.innerText()).toMatch(/✓ Passed — No means no/);

    // Keyset paging: 20 a page, "More" brings the rest.
    await page.goto('/offers');
    await page.getByText('20 offers shown, more to load.').waitFor(wait);
    await page.getByRole('button', { name: 'More' }).click();
    await page.getByText('40 offers shown, more to load.').waitFor(wait);
    // The same offers as the API's first 40, newest first, none twice.
    const shown = await list.locator(':scope > li time').evaluateAll((els) => els.map((el) => el.getAttribute('datetime')));
    expect(shown).toEqual(all.slice(0, 40).map((o) => o.presentedAt));
    expect(problems).toEqual([]);
  });

  it('the offers panel, the incentives report and offer decisions have no serious or critical accessibility violation at 1280 and 375 px', async () => {
    const { page, problems } = await newPage(e);
    await signInAgent(page, lead);
    const found: string[] = [];
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`/inbox/${conversationId}`);
      const panel = page.getByRole('region', { name: 'Offers' });
      await panel.getByText(/Not suitable \(\d\)/).click();
      await panel.getByRole('list', { name: 'Not suitable' }).waitFor(wait);
      found.push(...(await seriousViolations(page)).map((v) => `conversation ${width}px: ${v}`));
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      if (width === 375) await screenshot(page, 'console-offers-phone');

      await page.goto('/reports/incentives');
      await page.getByRole('table', { name: 'Incentives per agent' }).waitFor(wait);
      found.push(...(await seriousViolations(page)).map((v) => `incentives ${width}px: ${v}`));
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

      await page.goto('/offers');
      const list = page.getByRole('list', { name: 'Offer decisions, newest first' });
      await list.locator(':scope > li').first().locator('summary').click();
      found.push(...(await seriousViolations(page)).map((v) => `decisions ${width}px: ${v}`));
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    }
    expect(found).toEqual([]);
    expect(problems).toEqual([]);
  });
});
