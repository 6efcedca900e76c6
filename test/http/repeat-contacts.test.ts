import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHistory } from '../../src/app/generate-history.ts';
import { makeCustomer, startTestApp, type TestApp } from '../support/app.ts';

const EXAMPLE = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'charter.yaml'), 'utf8');
const DAY = 86_400_000;
/** examples/charter.yaml: `repeatContact: { conversations: 3, days: 14 }`. */
const RULE = { conversations: 3, days: 14 };

let t: TestApp;
let nora: string;
let otto: string;
beforeAll(async () => {
  t = await startTestApp();
  for (const tenant of [t.a, t.b]) {
    const res = await t.call('POST', '/api/v1/charter/versions', { as: tenant, body: { source: EXAMPLE, effectiveAt: '2026-01-01T00:00:00Z' } });
    expect(res.status).toBe(201);
  }
  await generateHistory(t.store.db, t.a.id, { conversations: 800, seed: 3 });
  // Through the API: Nora contacts three times about billing (the rule: a root-cause case opens);
  // Otto three times about his router, and his case is then resolved; Una once.
  nora = await makeCustomer(t, t.a, { name: 'Nora Again', emails: ['nora@example.com'] });
  otto = await makeCustomer(t, t.a, { name: 'Otto Router', emails: ['otto@example.com'] });
  const una = await makeCustomer(t, t.a, { name: 'Una Once', emails: ['una@example.com'] });
  const open = async (customerId: string, channel: string, tags: string[]) => {
    const res = await t.call('POST', '/api/v1/conversations', { body: { customerId, channel, subject: 'Help', tags, message: { role: 'customer', text: 'It is happening again.' } } });
    expect(res.status).toBe(201);
  };
  for (let i = 0; i < 3; i++) await open(nora, 'email', ['billing']);
  for (let i = 0; i < 3; i++) await open(otto, 'chat', ['router', 'wifi']);
  await open(una, 'phone', []);
  const ottoCase = await t.store.db.selectFrom('conversations').select('id').where('tenant_id', '=', t.a.id).where('customer_id', '=', otto).where('kind', '=', 'root_cause').executeTakeFirstOrThrow();
  expect((await t.call('PATCH', `/api/v1/conversations/${ottoCase.id}`, { body: { status: 'resolved' } })).status).toBe(200);
}, 180_000);
afterAll(async () => t?.close());

interface Conv {
  id: string;
  customer_id: string;
  channel: string;
  tags: string[];
  subject: string;
  created_at: Date;
  opened_spend_minor: number | null;
}

/** Tenant A's customer conversations, with how many of the same customer's came in the rule's window before each. */
async function judged() {
  const rows = (await t.store.db
    .selectFrom('conversations')
    .select(['id', 'customer_id', 'channel', 'tags', 'subject', 'created_at', 'opened_spend_minor'])
    .where('tenant_id', '=', t.a.id)
    .where('kind', '=', 'customer')
    .execute()) as Conv[];
  const before = (a: Conv, b: Conv) => a.created_at.getTime() < b.created_at.getTime() || (a.created_at.getTime() === b.created_at.getTime() && a.id < b.id);
  return rows.map((c) => {
    const earlier = rows.filter((o) => o.customer_id === c.customer_id && before(o, c) && o.created_at.getTime() > c.created_at.getTime() - RULE.days * DAY).length;
    return { ...c, repeat: earlier >= 1, atRule: earlier >= RULE.conversations - 1 };
  });
}

const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 10);

describe('the repeat-contacts report', () => {
  it('counts repeats under the charter’s rule, per channel and week, as judged here from the conversations', async () => {
    const res = await t.call('GET', '/api/v1/reports/repeat-contacts');
    expect(res.status).toBe(200);
    const r = res.json;
    expect(r.rule).toEqual(RULE);
    const from = Date.parse(r.from);
    const to = Date.parse(r.to);
    const inPeriod = (await judged()).filter((c) => c.created_at.getTime() >= from && c.created_at.getTime() < to);
    const repeats = inPeriod.filter((c) => c.repeat);
    expect(inPeriod.length).toBe(807);
    expect(r.conversations).toBe(inPeriod.length);
    expect(r.repeatContacts).toBe(repeats.length);
    expect(repeats.length).toBeGreaterThan(100); // 800 conversations over ~100 customers and 86 days
    expect(r.repeatSharePct).toBe(share(repeats.length, inPeriod.length));
    expect(r.repeatCustomers).toBe(new Set(repeats.map((c) => c.customer_id)).size);
    const atRule = new Set(inPeriod.filter((c) => c.atRule).map((c) => c.customer_id));
    expect(atRule.has(nora) && atRule.has(otto)).toBe(true);
    expect(r.customersAtRule).toBe(atRule.size);

    const channels = [...new Set(inPeriod.map((c) => c.channel))].sort();
    expect(r.channels).toEqual(
      channels.map((channel) => {
        const all = inPeriod.filter((c) => c.channel === channel);
        const rep = all.filter((c) => c.repeat).length;
        return { channel, conversations: all.length, repeatContacts: rep, repeatSharePct: share(rep, all.length) };
      }),
    );

    // Spend bands as parity draws them: quintile edges (interpolated) of each customer's highest spend
    // when a conversation opened, over the period's customers with spend; band 0 is no spend.
    const spendOf = (c: Conv) => Number(c.opened_spend_minor ?? 0);
    const perCustomer = new Map<string, number>();
    for (const c of inPeriod) if (spendOf(c) > 0) perCustomer.set(c.customer_id, Math.max(perCustomer.get(c.customer_id) ?? 0, spendOf(c)));
    const sorted = [...perCustomer.values()].sort((x, y) => x - y);
    const edge = (p: number) => {
      const at = p * (sorted.length - 1);
      return sorted[Math.floor(at)]! + (sorted[Math.ceil(at)]! - sorted[Math.floor(at)]!) * (at - Math.floor(at));
    };
    const edges = [0.2, 0.4, 0.6, 0.8].map(edge);
    const bandOf = (c: Conv) => (spendOf(c) <= 0 ? 0 : 1 + edges.filter((e) => spendOf(c) > e).length);
    const bandNumbers = [...new Set(inPeriod.map(bandOf))].sort();
    expect(bandNumbers).toEqual([0, 1, 2, 3, 4, 5]);
    expect(r.spendBands.map((b: { band: number; label: string; conversations: number; repeatContacts: number }) => [b.band, b.conversations, b.repeatContacts])).toEqual(
      bandNumbers.map((band) => {
        const all = inPeriod.filter((c) => bandOf(c) === band);
        return [band, all.length, all.filter((c) => c.repeat).length];
      }),
    );
    expect(r.spendBands[1].label).toBe('Lowest fifth');

    // Weeks from Monday 00:00 UTC (1970-01-05 was a Monday), the first one clipped to the period.
    const monday = Date.UTC(1970, 0, 5);
    const weekOf = (ms: number) => monday + Math.floor((ms - monday) / (7 * DAY)) * 7 * DAY;
    const weeks: number[] = [];
    for (let w = weekOf(from); w < to; w += 7 * DAY) weeks.push(w);
    expect(r.weeks.map((w: { start: string }) => Date.parse(w.start))).toEqual(weeks.map((w) => Math.max(w, from)));
    expect(r.weeks.map((w: { conversations: number; repeatContacts: number }) => [w.conversations, w.repeatContacts])).toEqual(
      weeks.map((w) => {
        const all = inPeriod.filter((c) => weekOf(c.created_at.getTime()) === w);
        return [all.length, all.filter((c) => c.repeat).length];
      }),
    );

    // Reasons: tags, or the subject when untagged ("generated" tags every generated conversation).
    const counts = new Map<string, number>();
    for (const c of repeats) for (const reason of c.tags.length > 0 ? c.tags : [c.subject]) counts.set(reason, (counts.get(reason) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10);
    expect(r.topReasons).toEqual(top.map(([reason, n]) => ({ reason, repeatContacts: n })));
    expect(r.topReasons).toContainEqual({ reason: 'billing', repeatContacts: 2 });
    expect(r.topReasons).toContainEqual({ reason: 'wifi', repeatContacts: 2 });
  });

  it('lists the root-cause cases opened with their state and linked conversations', async () => {
    const r = (await t.call('GET', '/api/v1/reports/repeat-contacts')).json;
    expect(r.rootCauseCases.opened).toBe(2);
    expect(r.rootCauseCases.byStatus).toEqual({ open: 1, resolved: 1 });
    expect(r.rootCauseCases.cases.map((c: { customerId: string; status: string; linkedConversations: number }) => [c.customerId, c.status, c.linkedConversations])).toEqual([
      [otto, 'resolved', 3],
      [nora, 'open', 3],
    ]);
  });

  it('answers CSV, and shows another tenant only its own', async () => {
    const q = `from=${new Date(Date.now() - 30 * DAY).toISOString()}&to=${new Date(Date.now() + 1000).toISOString()}`;
    const json = (await t.call('GET', `/api/v1/reports/repeat-contacts?${q}`)).json;
    const csv = await t.call('GET', `/api/v1/reports/repeat-contacts?${q}`, { headers: { accept: 'text/csv' } });
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe('kind,start,end,channel,conversations,repeat_contacts,repeat_share_pct');
    expect(lines).toHaveLength(1 + json.weeks.length + json.channels.length + json.spendBands.length + 1);
    expect(lines.at(-1)).toBe(`total,${json.from},${json.to},all,${json.conversations},${json.repeatContacts},${json.repeatSharePct}`);

    const b = (await t.call('GET', '/api/v1/reports/repeat-contacts', { as: t.b })).json;
    expect([b.conversations, b.repeatContacts, b.rootCauseCases.opened, b.topReasons]).toEqual([0, 0, 0, []]);
  });

  it('refuses an empty period naming the parameter', async () => {
    const res = await t.call('GET', '/api/v1/reports/repeat-contacts?from=2026-05-01T00:00:00Z&to=2026-05-01T00:00:00Z');
    expect(res.status).toBe(422);
    expect(res.json.errors[0].parameter).toBe('from');
  });
});
