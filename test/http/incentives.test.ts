import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOfferHistory, type OfferHistoryResult } from '../../src/app/generate-offer-history.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
let gen: OfferHistoryResult;
beforeAll(async () => {
  t = await startTestApp();
  gen = await generateOfferHistory({ db: t.store.db, tenantId: t.a.id, actor: 'test' }, { seed: 7 });
}, 180_000);
afterAll(async () => t?.close());

describe('incentives net of harm on a generated tenant', () => {
  it('flags the high-harm agent (not the top seller) and claws back their credit; the top seller is not flagged', async () => {
    const r = await t.call('GET', '/api/v1/reports/incentives');
    expect(r.status).toBe(200);
    const rows = r.json.agents as Array<{ id: string; name: string; sales: number; harmfulSales: number; harmRate: number; flagged: boolean; clawedBack: number; withheld: number; payable: number; vested: number }>;
    const bad = rows.find((a) => a.id === gen.highHarmAgentId)!;
    const top = rows.find((a) => a.id === gen.topSellerId)!;
    expect(top.sales).toBe(Math.max(...rows.map((a) => a.sales)));
    expect(bad.sales).toBeLessThan(top.sales);
    expect(bad.flagged).toBe(true);
    expect(bad.clawedBack).toBe(bad.harmfulSales);
    expect(bad.clawedBack).toBeGreaterThan(0);
    expect(bad.payable).toBe(0);
    expect(bad.withheld).toBe(bad.vested);
    expect(top.flagged).toBe(false);
    expect(top.payable).toBe(top.vested);
    // Only the high-harm agent is an outlier; an agent with fewer than 10 sales is never flagged.
    expect(rows.filter((a) => a.flagged).map((a) => a.id)).toEqual([gen.highHarmAgentId]);
    expect(rows.find((a) => a.sales < 10)?.flagged).toBe(false);
    expect(r.json.totals.sales).toBe(gen.sales);
    expect(r.json.p90HarmRate.agents).toBeGreaterThan(0);
    expect(r.json.campaigns).toHaveLength(2);
  });

  it('answers CSV for spreadsheets, one row per agent and per campaign', async () => {
    const r = await t.call('GET', '/api/v1/reports/incentives', { headers: { accept: 'text/csv' } });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/csv/);
    const lines = r.body.trim().split('\n');
    expect(lines[0]).toBe('kind,id,name,sales,harmful_sales,harm_rate,vested,pending,clawed_back,withheld,payable,flagged,flag_reason');
    expect(lines).toHaveLength(1 + gen.agents.length + 2);
    expect(lines.find((l) => l.includes(gen.highHarmAgentId))).toMatch(/,true,harm rate \d/);
  });

  it('every sale was a real gate decision, joined to its agent and campaign, with its harms', async () => {
    const page = await t.call('GET', `/api/v1/offers?agentId=${gen.highHarmAgentId}&limit=200`);
    expect(page.status).toBe(200);
    const offers = page.json.data as Array<{ status: string; decision: { version: string; outcome: string }; campaignId: string; harms: string[] }>;
    expect(offers.length).toBe(gen.agents[1]!.sales);
    expect(offers.every((o) => o.status === 'accepted' && o.decision.version === 'offer-gates/1' && o.decision.outcome === 'eligible')).toBe(true);
    expect(offers.every((o) => gen.campaignIds.includes(o.campaignId))).toBe(true);
    const kinds = new Set(offers.flatMap((o) => o.harms));
    // Harm is found from the ledger of what happened, not only from outcomes typed in: unused cards are found from usage.
    expect([...kinds].some((k) => k === 'benefits_unused')).toBe(true);
  });
});
