/**
 * `npx tsx scripts/webhooks-measure.ts [N]`: the figures in docs/webhooks.md. On a fresh embedded store:
 * the cost of posting N messages without and with a listening endpoint (the event row), then how long
 * the worker takes to fan out and deliver them to a receiver on 127.0.0.1, and the attempts' durations.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTenant } from '../src/app/create-tenant.ts';
import { openStore } from '../src/db/store.ts';
import { buildServer } from '../src/http/server.ts';
import { jobHandlers } from '../src/jobs/handlers.ts';
import { createMailer } from '../src/jobs/mailer.ts';
import { JobsWorker } from '../src/jobs/worker.ts';

const n = Number(process.argv[2] ?? 200);
const dataDir = mkdtempSync(join(tmpdir(), 'fairdesk-webhooks-'));
const store = await openStore({ dataDir });
// A receiver on this machine only: the operator allowance is on, as it must be for 127.0.0.1.
const webhooks = { policy: { allowPrivate: true, allow: [] } };
let received = 0;
const receiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    received++;
    res.end('ok');
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
const port = (receiver.address() as AddressInfo).port;
try {
  const app = await buildServer({ store, logger: false, webhooks });
  const { tenant, token } = await createTenant(store.db, { name: 'Measure', actor: 'script' });
  const call = async (url: string, body: unknown) => {
    const res = await app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json() as { id: string };
  };
  const customer = await call('/api/v1/customers', { name: 'Pat' });
  const conversation = await call('/api/v1/conversations', { customerId: customer.id, channel: 'chat', subject: 'Measuring' });
  const post = async (label: string) => {
    const started = performance.now();
    for (let i = 0; i < n; i++) await call(`/api/v1/conversations/${conversation.id}/messages`, { role: i % 2 ? 'agent' : 'customer', text: `message ${i}` });
    const ms = performance.now() - started;
    console.log(`${label}: ${n} messages in ${ms.toFixed(0)} ms (${(ms / n).toFixed(2)} ms each)`);
  };
  await post('no endpoint');
  await call('/api/v1/webhooks', { url: `http://127.0.0.1:${port}/in`, events: ['message.created'] });
  await post('one listening endpoint');

  const worker = new JobsWorker({ db: store.db, handlers: jobHandlers({ mailer: createMailer({ dataDir }), mailFrom: 'm@example.com', webhooks }), batchSize: 10 });
  const started = performance.now();
  const jobs = await worker.runDue();
  const ms = performance.now() - started;
  console.log(`worker: ${jobs} jobs (${n} events fanned out, ${received} deliveries received) in ${ms.toFixed(0)} ms — ${((received / ms) * 1000).toFixed(0)} deliveries/s`);
  const durations = (await store.db.selectFrom('webhook_delivery_attempts').select('duration_ms').where('tenant_id', '=', tenant.id).orderBy('duration_ms').execute()).map((r) => r.duration_ms);
  const at = (q: number) => durations[Math.min(durations.length - 1, Math.floor(q * durations.length))];
  console.log(`attempt duration (sign, connect, POST, answer): median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${durations[durations.length - 1]} ms over ${durations.length} attempts`);
  await app.close();
} finally {
  receiver.close();
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
}
