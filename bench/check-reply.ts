/**
 * Draft-reply check latency: `POST /api/v1/conversations/:id/check-reply` on a 50-message
 * conversation (the issue asks p99 < 20 ms), through the real HTTP stack on the embedded store
 * (and PostgreSQL with DATABASE_URL_BENCH). Reference: the pure `checkDraftReply` on the same
 * messages in the same process, i.e. the work without HTTP and database.
 *
 * Run alone: `npx tsx bench/check-reply.ts [--quick]`.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTenant } from '../src/app/create-tenant.ts';
import { createCustomer } from '../src/app/create-customer.ts';
import { createConversation } from '../src/app/create-conversation.ts';
import { postMessage } from '../src/app/post-message.ts';
import { checkDraftReply } from '../src/domain/listening/index.ts';
import { openStore } from '../src/db/store.ts';
import { buildServer } from '../src/http/server.ts';
import { percentile, type Record } from './record.ts';

const CUSTOMER_LINES = [
  'My broadband keeps dropping every evening around eight.',
  'I restarted the router twice already, it did not help.',
  'No, I do not want to upgrade, I just want it to work.',
  'The light goes red for about two minutes.',
  'I cannot take another day off work for an engineer.',
];
const AGENT_LINES = [
  'So it drops every evening around eight, even after restarting. What lights do you see?',
  'Thanks for checking. That points to the line rather than your router.',
  'Understood, no upgrade. Let us fix what you have.',
  'I can book an engineer on Saturday morning so you need not miss work. Would that suit you?',
  'I have run a line test; I can see errors from 19:50 to 20:10.',
];

export async function benchCheckReply(opts: { quick?: boolean; databaseUrl?: string } = {}): Promise<Record[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fairdesk-bench-'));
  const store = await openStore({ dataDir, databaseUrl: opts.databaseUrl });
  try {
    const { tenant, token } = await createTenant(store.db, { name: `Bench ${Date.now()}`, actor: 'bench' });
    const scope = { db: store.db, tenantId: tenant.id, actor: 'bench' };
    const customer = await createCustomer(scope, { name: 'Bench Customer', emails: [], phones: [], attributes: {} });
    const { conversation } = await createConversation(scope, {
      customerId: customer.id,
      channel: 'chat',
      subject: 'Evening drop-outs',
      severity: 'normal',
      status: 'open',
      tags: [],
    });
    const messages: Array<{ role: 'customer' | 'agent'; text: string }> = [];
    for (let i = 0; i < 50; i++) {
      const role = i % 2 === 0 ? 'customer' : 'agent';
      const text = `${(role === 'customer' ? CUSTOMER_LINES : AGENT_LINES)[Math.floor(i / 2) % 5]} (${i})`;
      messages.push({ role, text });
      await postMessage(scope, conversation.id, { role, text, visibility: 'public' });
    }
    const app = await buildServer({ store, logger: false });
    await app.ready();
    const iterations = opts.quick ? 300 : 2000;
    const drafts = Array.from({ length: iterations }, (_, i) => `Draft ${i}: would you like to upgrade to Fibre 1000 today?`);

    const time = async (fn: (draft: string) => Promise<unknown> | unknown): Promise<number[]> => {
      for (let i = 0; i < 50; i++) await fn(`warm-up ${i}`);
      const times: number[] = [];
      for (const draft of drafts) {
        const start = performance.now();
        await fn(draft);
        times.push(performance.now() - start);
      }
      return times.sort((a, b) => a - b);
    };
    const viaHttp = await time(async (draft) => {
      const res = await app.inject({
        method: 'POST',
        url: `/api/v1/conversations/${conversation.id}/check-reply`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ text: draft }),
      });
      if (res.statusCode !== 200) throw new Error(`check-reply answered ${res.statusCode}: ${res.body}`);
    });
    const pure = await time((draft) => checkDraftReply(messages, draft));
    await app.close();
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const perSecond = 1000 / mean(viaHttp);
    const referencePerSecond = 1000 / mean(pure);
    return [
      {
        name: 'check-reply (50-message conversation, HTTP inject)',
        store: store.kind,
        unit: 'checks/s',
        value: Math.round(perSecond),
        reference: Math.round(referencePerSecond),
        ratio: Number((perSecond / referencePerSecond).toFixed(3)),
        p50Ms: Number(percentile(viaHttp, 50).toFixed(2)),
        p99Ms: Number(percentile(viaHttp, 99).toFixed(2)),
        rssMb: Math.round(process.memoryUsage().rss / 1e6),
      },
    ];
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const records = await benchCheckReply({ quick: process.argv.includes('--quick') });
  console.table(records);
}
