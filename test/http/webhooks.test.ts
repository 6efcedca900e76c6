import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshSlaClocks } from '../../src/app/refresh-sla-clocks.ts';
import type { WebhookNetwork } from '../../src/app/webhook-target.ts';
import { postWebhook, type WebhookPoster } from '../../src/app/webhook-sender.ts';
import { classifyAddress } from '../../src/domain/webhooks.ts';
import { jobHandlers } from '../../src/jobs/handlers.ts';
import { createMailer } from '../../src/jobs/mailer.ts';
import { JobsWorker } from '../../src/jobs/worker.ts';
import { makeCustomer, startTestApp, type TestApp } from '../support/app.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- parsed JSON in tests */

// The operator's policy, shared by the API and the worker; tests that need a local receiver switch it on.
const network: WebhookNetwork = { policy: { allowPrivate: false, allow: [] }, timeoutMs: 2000 };
const refuseByDefault = () => (network.policy = { allowPrivate: false, allow: [] });
const allowPrivate = () => (network.policy = { allowPrivate: true, allow: [] });

/**
 * The tests' endpoints at public addresses (93.184.215.14) exist only to be created, listed and refused:
 * this guard keeps any delivery to them from leaving the machine. Only loopback receivers are contacted.
 */
const offMachine: string[] = [];
const loopbackOnly: WebhookPoster = async (target, headers, body, timeoutMs) => {
  if (classifyAddress(target.address) === 'loopback') return postWebhook(target, headers, body, timeoutMs);
  offMachine.push(target.address);
  return { statusCode: null, error: 'test guard: not sent off this machine', durationMs: 0 };
};

let t: TestApp;
let worker: JobsWorker;
beforeAll(async () => {
  t = await startTestApp({ webhooks: network });
  worker = new JobsWorker({
    db: t.store.db,
    handlers: jobHandlers({ mailer: createMailer({ dataDir: t.store.dataDir }), mailFrom: 'help@example.com', webhooks: network, postWebhook: loopbackOnly }),
  });
});
afterAll(async () => t?.close());

/** A receiver on 127.0.0.1 that records every request and answers with the next status in `statuses` (then 200). */
async function receiver(statuses: number[] = []) {
  const got: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return { got, port, url: `http://127.0.0.1:${port}/fairdesk`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const create = (body: Record<string, unknown>) => t.call('POST', '/api/v1/webhooks', { body });
const deliveries = async (id: string) => (await t.call('GET', `/api/v1/webhooks/${id}/deliveries`)).json.data as any[];
const auditActions = async (entityId: string) =>
  (await t.store.db.selectFrom('audit_log').select('action').where('tenant_id', '=', t.a.id).where('entity_id', '=', entityId).orderBy('seq').execute()).map((r) => r.action);
/** Makes every pending job due now: the backoff is seen to be set, then skipped instead of waited for. */
const makeAllDue = () => t.store.db.updateTable('outbox').set({ run_after: sql`now()` }).where('state', '=', 'pending').execute();
const verify = (secret: string, req: { headers: IncomingHttpHeaders; body: string }) =>
  new Webhook(secret).verify(req.body, {
    'webhook-id': String(req.headers['webhook-id']),
    'webhook-timestamp': String(req.headers['webhook-timestamp']),
    'webhook-signature': String(req.headers['webhook-signature']),
  }) as any;

/** A customer's new chat conversation with one message from them: a conversation.created and a message.created event. */
async function conversation() {
  const customerId = await makeCustomer(t, t.a, { name: 'Hook Customer' });
  const res = await t.call('POST', '/api/v1/conversations', { body: { customerId, channel: 'chat', subject: 'Where is my parcel?', message: { role: 'customer', text: 'It has not come yet.' } } });
  expect(res.status).toBe(201);
  return { customerId, conversationId: res.json.id as string, messageId: res.json.messages[0].id as string };
}

describe('webhook endpoints', () => {
  it('are created with a secret shown once, listed, changed by merge patch and removed — each change audited', async () => {
    refuseByDefault();
    const created = await create({ url: 'https://93.184.215.14/hooks/fairdesk', description: 'CRM sync', events: ['message.created', 'conversation.created', 'message.created'] });
    expect(created.status).toBe(201);
    const { id, secret } = created.json;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(created.json).toMatchObject({ url: 'https://93.184.215.14/hooks/fairdesk', description: 'CRM sync', events: ['message.created', 'conversation.created'], enabled: true });

    const got = await t.call('GET', `/api/v1/webhooks/${id}`);
    expect(got.status).toBe(200);
    expect(got.json).not.toHaveProperty('secret');
    expect(got.body).not.toContain(secret.slice('whsec_'.length));
    const list = await t.call('GET', '/api/v1/webhooks');
    expect(list.json.data.map((w: any) => w.id)).toContain(id);
    expect(list.body).not.toContain(secret.slice('whsec_'.length));

    const patched = await t.call('PATCH', `/api/v1/webhooks/${id}`, { body: { events: ['*'], enabled: false, description: null } });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ events: ['*'], enabled: false, description: null, url: 'https://93.184.215.14/hooks/fairdesk' });

    const rotated = await t.call('POST', `/api/v1/webhooks/${id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.json.secret).toMatch(/^whsec_/);
    expect(rotated.json.secret).not.toBe(secret);

    expect((await t.call('DELETE', `/api/v1/webhooks/${id}`)).status).toBe(204);
    expect((await t.call('GET', `/api/v1/webhooks/${id}`)).status).toBe(404);
    expect((await t.call('DELETE', `/api/v1/webhooks/${id}`)).status).toBe(404);
    expect(await auditActions(id)).toEqual(['webhook.created', 'webhook.updated', 'webhook.secret_rotated', 'webhook.deleted']);
    // Another tenant does not see it, even by id.
    const other = await create({ url: 'https://93.184.215.14/b', enabled: false });
    expect((await t.call('GET', `/api/v1/webhooks/${other.json.id}`, { as: t.b })).status).toBe(404);
    expect((await t.call('DELETE', `/api/v1/webhooks/${other.json.id}`, { as: t.b })).status).toBe(404);
    expect((await t.call('DELETE', `/api/v1/webhooks/${other.json.id}`)).status).toBe(204);
  });

  it('answer bad input with problem+json naming the field, and write nothing', async () => {
    const before = (await t.call('GET', '/api/v1/webhooks')).json.data.length;
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ url: 'https://93.184.215.14/x', events: ['message.sent'] }, 400, '/events/0'],
      [{ url: 'https://93.184.215.14/x', events: [] }, 400, '/events'],
      [{ url: 'https://93.184.215.14/x', secret: 'whsec_mine' }, 400, '/secret'],
      [{ url: 'ftp://93.184.215.14/x' }, 422, '/url'],
      [{ url: 'https://user:pass@93.184.215.14/x' }, 422, '/url'],
      [{ url: 'not a url' }, 422, '/url'],
      [{ url: 'https://nowhere.invalid/x' }, 422, '/url'],
    ];
    for (const [body, status, pointer] of cases) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json.errors.map((e: any) => e.pointer)).toContain(pointer);
    }
    expect((await t.call('GET', '/api/v1/webhooks')).json.data.length).toBe(before);
  });

  it('refuse 127.0.0.1 by default — and every other loopback, private, link-local or CGNAT target, however it is spelled', async () => {
    refuseByDefault();
    const before = (await t.call('GET', '/api/v1/webhooks')).json.data.length;
    const refused = await create({ url: 'http://127.0.0.1:8080/hook' });
    expect(refused.status).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json.errors).toEqual([
      {
        pointer: '/url',
        detail: '127.0.0.1 is a loopback address; webhooks go to public addresses unless the operator allows it (FAIRDESK_WEBHOOK_ALLOW or FAIRDESK_WEBHOOK_ALLOW_PRIVATE=1)',
      },
    ]);
    for (const url of [
      'http://localhost:8080/hook',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://2130706433/hook',
      'http://0x7f.1/hook',
      'http://10.1.2.3/hook',
      'http://192.168.0.10/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://100.64.0.1/hook',
      'http://[fd00::1]/hook',
      'http://0.0.0.0:8080/hook',
    ]) {
      const res = await create({ url });
      expect(res.status, url).toBe(422);
      expect(res.json.errors[0].pointer, url).toBe('/url');
    }
    // A changed URL is checked as well.
    const ok = await create({ url: 'https://93.184.215.14/ok', enabled: false });
    const patched = await t.call('PATCH', `/api/v1/webhooks/${ok.json.id}`, { body: { url: 'http://127.0.0.1/hook' } });
    expect(patched.status).toBe(422);
    expect(patched.json.errors[0].pointer).toBe('/url');
    expect((await t.call('GET', `/api/v1/webhooks/${ok.json.id}`)).json.url).toBe('https://93.184.215.14/ok');
    expect((await t.call('GET', '/api/v1/webhooks')).json.data.length).toBe(before + 1);
    await t.call('DELETE', `/api/v1/webhooks/${ok.json.id}`);
  });

  it('refuse a name that resolves to a private address among public ones (every answer is checked)', async () => {
    refuseByDefault();
    network.resolve = async (host) => (host === 'mixed.fairdesk.test' ? [{ address: '93.184.215.14', family: 4 }, { address: '10.0.0.7', family: 4 }] : []);
    try {
      const res = await create({ url: 'https://mixed.fairdesk.test/hook' });
      expect(res.status).toBe(422);
      expect(res.json.errors[0].detail).toMatch(/^mixed\.fairdesk\.test resolves to 10\.0\.0\.7, a private address/);
    } finally {
      delete network.resolve;
    }
  });
});

describe('deliveries', () => {
  it('reach a local receiver (operator allowance on), signed as the standardwebhooks library verifies', async () => {
    allowPrivate();
    const r = await receiver();
    try {
      const created = await create({ url: r.url, events: ['conversation.created', 'message.created'] });
      expect(created.status).toBe(201);
      const { id, secret } = created.json;
      const c = await conversation();
      await worker.runDue();

      expect(r.got).toHaveLength(2);
      const events = r.got.map((req) => verify(secret, req));
      expect(events.map((e) => e.type).sort()).toEqual(['conversation.created', 'message.created']);
      const conv = events.find((e) => e.type === 'conversation.created');
      expect(conv.data).toMatchObject({ conversationId: c.conversationId, customerId: c.customerId, channel: 'chat' });
      const msg = events.find((e) => e.type === 'message.created');
      expect(msg.data).toMatchObject({ messageId: c.messageId, conversationId: c.conversationId, role: 'customer', visibility: 'public' });
      expect(r.got.some((req) => req.body.includes('It has not come yet.') || req.body.includes('parcel'))).toBe(false); // no text leaves
      for (const req of r.got) {
        expect(req.headers['content-type']).toBe('application/json');
        expect(req.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
        // A wrong secret or a changed body does not verify.
        expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(req.body, req.headers as Record<string, string>)).toThrow();
        expect(() => new Webhook(secret).verify(req.body.replace(/}$/, ' }'), req.headers as Record<string, string>)).toThrow();
      }

      const log = await deliveries(id);
      expect(log).toHaveLength(2);
      for (const d of log) {
        expect(d.status).toBe('succeeded');
        expect(d.attempts).toHaveLength(1);
        expect(d.attempts[0]).toMatchObject({ statusCode: 200, error: null, replay: false });
        expect(r.got.map((req) => req.headers['webhook-id'])).toContain(d.messageId);
      }
      await t.call('DELETE', `/api/v1/webhooks/${id}`);
    } finally {
      await r.close();
    }
  });

  it('are redelivered with backoff after the receiver failed (500), with the same webhook-id; the log shows both attempts; replay sends it once more', async () => {
    allowPrivate();
    const r = await receiver([500]);
    try {
      const { id, secret } = (await create({ url: r.url, events: ['message.created'] })).json;
      const c = await conversation();
      await worker.runDue();
      expect(r.got).toHaveLength(1);
      let [delivery] = await deliveries(id);
      expect(delivery).toMatchObject({ status: 'retrying', eventType: 'message.created' });
      expect(delivery.attempts).toEqual([expect.objectContaining({ statusCode: 500, error: 'HTTP 500', replay: false })]);

      // The job backs off (2 s or more from now), so running due jobs now sends nothing.
      const job = await t.store.db.selectFrom('outbox').select(['run_after', 'attempts', 'last_error', 'state']).where('tenant_id', '=', t.a.id).where('kind', '=', 'webhook.deliver').where(sql`payload->>'deliveryId'`, '=', delivery.id).executeTakeFirstOrThrow();
      expect(job).toMatchObject({ attempts: 1, last_error: 'HTTP 500', state: 'pending' });
      expect(job.run_after.getTime()).toBeGreaterThan(Date.now() + 1000);
      await worker.runDue();
      expect(r.got).toHaveLength(1);

      await makeAllDue();
      await worker.runDue();
      expect(r.got).toHaveLength(2);
      expect(r.got[1]!.headers['webhook-id']).toBe(r.got[0]!.headers['webhook-id']);
      expect(r.got[1]!.body).toBe(r.got[0]!.body);
      expect(verify(secret, r.got[1]!).data.messageId).toBe(c.messageId);
      [delivery] = await deliveries(id);
      expect(delivery.status).toBe('succeeded');
      expect(delivery.attempts.map((a: any) => a.statusCode)).toEqual([500, 200]);
      for (const a of delivery.attempts) expect(a.durationMs).toBeGreaterThanOrEqual(0);

      const replay = await t.call('POST', `/api/v1/webhooks/${id}/deliveries/${delivery.id}/replay`);
      expect(replay.status).toBe(202);
      expect(replay.json.status).toBe('pending');
      await worker.runDue();
      expect(r.got).toHaveLength(3);
      expect(r.got[2]!.headers['webhook-id']).toBe(delivery.messageId);
      expect(r.got[2]!.body).toBe(r.got[0]!.body);
      verify(secret, r.got[2]!);
      [delivery] = await deliveries(id);
      expect(delivery.attempts.map((a: any) => [a.statusCode, a.replay])).toEqual([
        [500, false],
        [200, false],
        [200, true],
      ]);
      expect(await auditActions(delivery.id)).toEqual(['webhook.delivery_replayed']);

      // Replay is scoped: another endpoint's path, another tenant, an unknown id are not found.
      const other = (await create({ url: 'https://93.184.215.14/other', events: ['sla.breached'], enabled: false })).json.id;
      expect((await t.call('POST', `/api/v1/webhooks/${other}/deliveries/${delivery.id}/replay`)).status).toBe(404);
      expect((await t.call('POST', `/api/v1/webhooks/${id}/deliveries/${delivery.id}/replay`, { as: t.b })).status).toBe(404);
      expect((await t.call('GET', `/api/v1/webhooks/${id}/deliveries`, { as: t.b })).status).toBe(404);
      await t.call('DELETE', `/api/v1/webhooks/${other}`);
      await t.call('DELETE', `/api/v1/webhooks/${id}`);
    } finally {
      await r.close();
    }
  });

  it('go only to enabled endpoints whose filter takes the event', async () => {
    allowPrivate();
    const r = await receiver();
    try {
      const slaOnly = (await create({ url: r.url, events: ['sla.breached'] })).json.id;
      const disabled = (await create({ url: r.url, events: ['*'], enabled: false })).json.id;
      await conversation();
      await worker.runDue();
      expect(r.got).toHaveLength(0);
      expect(await deliveries(slaOnly)).toEqual([]);
      expect(await deliveries(disabled)).toEqual([]);
      await t.call('DELETE', `/api/v1/webhooks/${slaOnly}`);
      await t.call('DELETE', `/api/v1/webhooks/${disabled}`);
    } finally {
      await r.close();
    }
  });

  it('check the target again at delivery time: an address the operator no longer allows is not contacted', async () => {
    allowPrivate();
    const r = await receiver();
    try {
      const { id } = (await create({ url: r.url, events: ['message.created'] })).json;
      refuseByDefault();
      await conversation();
      await worker.runDue();
      expect(r.got).toHaveLength(0);
      const [delivery] = await deliveries(id);
      expect(delivery.status).toBe('retrying');
      expect(delivery.attempts).toEqual([expect.objectContaining({ statusCode: null, error: expect.stringMatching(/^refused: 127\.0\.0\.1 is a loopback address/) })]);
      await t.call('DELETE', `/api/v1/webhooks/${id}`);
    } finally {
      await r.close();
    }
  });

  it('connect to the address that was checked, not to a later DNS answer, keeping the host name in the Host header', async () => {
    network.policy = { allowPrivate: false, allow: ['hooks.fairdesk.test'] };
    const r = await receiver();
    const answers = ['127.0.0.1'];
    network.resolve = async (host) => (host === 'hooks.fairdesk.test' ? [{ address: answers.shift() ?? '10.9.9.9', family: 4 }] : []);
    try {
      const created = await create({ url: `http://hooks.fairdesk.test:${r.port}/in`, events: ['message.created'] });
      expect(created.status).toBe(201);
      answers.push('127.0.0.1'); // the delivery's own resolution; the system resolver does not know this name at all
      await conversation();
      await worker.runDue();
      expect(r.got).toHaveLength(1);
      expect(r.got[0]!.headers.host).toBe(`hooks.fairdesk.test:${r.port}`);
      verify(created.json.secret, r.got[0]!);
      await t.call('DELETE', `/api/v1/webhooks/${created.json.id}`);
    } finally {
      delete network.resolve;
      await r.close();
    }
  });

  it('are signed with the new and the old secret for a day after a rotation', async () => {
    allowPrivate();
    const r = await receiver();
    try {
      const { id, secret: old } = (await create({ url: r.url, events: ['message.created'] })).json;
      const fresh = (await t.call('POST', `/api/v1/webhooks/${id}/rotate-secret`)).json.secret as string;
      await conversation();
      await worker.runDue();
      expect(r.got).toHaveLength(1);
      expect(String(r.got[0]!.headers['webhook-signature']).split(' ')).toHaveLength(2);
      verify(fresh, r.got[0]!);
      verify(old, r.got[0]!);
      await t.call('DELETE', `/api/v1/webhooks/${id}`);
    } finally {
      await r.close();
    }
  });

  it('carry cancellation.confirmed from the confirmation\'s own transaction, with ids and facts', async () => {
    allowPrivate();
    const r = await receiver();
    try {
      const { id, secret } = (await create({ url: r.url, events: ['cancellation.confirmed'] })).json;
      const product = (await t.call('POST', '/api/v1/products', { body: { name: 'Hook Line' } })).json.id;
      const plan = (await t.call('POST', '/api/v1/plans', { body: { productId: product, name: 'Basic', priceMinor: 999, currency: 'EUR', interval: 'month' } })).json.id;
      const customerId = await makeCustomer(t, t.a, { name: 'Leaving Customer', emails: ['leaving@example.com'] });
      const sub = (await t.call('POST', '/api/v1/subscriptions', { body: { customerId, planId: plan } })).json;
      const attempt = await t.call('POST', `/api/v1/subscriptions/${sub.id}/cancellations`, { body: { channel: 'agent', timing: 'period_end' } });
      expect(attempt.status).toBe(201);
      const confirmed = await t.call('POST', `/api/v1/cancellations/${attempt.json.id}/confirm`);
      expect(confirmed.status).toBe(200);
      await worker.runDue();
      expect(r.got).toHaveLength(1);
      const event = verify(secret, r.got[0]!);
      expect(event.type).toBe('cancellation.confirmed');
      expect(event.data).toMatchObject({ cancellationId: attempt.json.id, subscriptionId: sub.id, customerId, channel: 'agent', currency: 'EUR' });
      expect(event.data.reference).toMatch(/^[A-Z0-9-]+$/);
      expect(r.got[0]!.body).not.toContain('leaving@example.com');
      await t.call('DELETE', `/api/v1/webhooks/${id}`);
    } finally {
      await r.close();
    }
  });

  it("tell an endpoint listening for sla.breached when a conversation's first-response target passes unmet", async () => {
    allowPrivate();
    const r = await receiver();
    try {
      const charter = await t.call('POST', '/api/v1/charter/versions', { body: { source: readFileSync('examples/charter.yaml', 'utf8'), effectiveAt: '2026-01-01T00:00:00Z' } });
      expect(charter.status).toBe(201);
      const { secret, id } = (await create({ url: r.url, events: ['sla.breached'] })).json;
      const c = await conversation();
      // A month on, nobody has answered: the clock refresh finds the breach and wakes the worker.
      let woken = 0;
      await refreshSlaClocks(t.store.db, new Date(Date.now() + 30 * 86_400_000), () => woken++);
      expect(woken).toBe(1);
      await worker.runDue();
      const breaches = r.got.map((req) => verify(secret, req)).filter((e) => e.data.conversationId === c.conversationId);
      expect(breaches).toHaveLength(1);
      expect(breaches[0].type).toBe('sla.breached');
      expect(breaches[0].data).toMatchObject({ clock: 'conversation', customerId: c.customerId, targets: expect.arrayContaining(['first_response']) });
      // Refreshing again does not repeat it: the clock is already breached.
      await refreshSlaClocks(t.store.db, new Date(Date.now() + 31 * 86_400_000));
      await worker.runDue();
      expect(r.got.map((req) => verify(secret, req)).filter((e) => e.data.conversationId === c.conversationId)).toHaveLength(1);
      await t.call('DELETE', `/api/v1/webhooks/${id}`);
    } finally {
      await r.close();
    }
  });

  it('cost a tenant without endpoints no outbox row for its messages', async () => {
    const customerId = await makeCustomer(t, t.b, { name: 'Quiet Customer' });
    const res = await t.call('POST', '/api/v1/conversations', { as: t.b, body: { customerId, channel: 'chat', subject: 'Hello', message: { role: 'customer', text: 'Hi' } } });
    expect(res.status).toBe(201);
    const events = await t.store.db.selectFrom('outbox').select('kind').where('tenant_id', '=', t.b.id).where('kind', 'in', ['conversation.created', 'message.created']).execute();
    expect(events).toEqual([]);
  });

  it('give up on a receiver that does not answer within the timeout', async () => {
    allowPrivate();
    const silent = createServer(() => {}); // accepts, never answers
    await new Promise<void>((res) => silent.listen(0, '127.0.0.1', () => res()));
    const port = (silent.address() as AddressInfo).port;
    const saved = network.timeoutMs;
    network.timeoutMs = 300;
    try {
      const { id } = (await create({ url: `http://127.0.0.1:${port}/slow`, events: ['message.created'] })).json;
      await conversation();
      await worker.runDue();
      const [delivery] = await deliveries(id);
      expect(delivery.attempts).toEqual([expect.objectContaining({ statusCode: null, error: 'timed out after 300 ms' })]);
      expect(delivery.attempts[0].durationMs).toBeGreaterThanOrEqual(250);
      await t.call('DELETE', `/api/v1/webhooks/${id}`);
    } finally {
      network.timeoutMs = saved;
      silent.closeAllConnections();
      await new Promise<void>((res) => silent.close(() => res()));
    }
  });
});

afterAll(() => {
  // Nothing was ever sent to a test endpoint at a public address.
  expect(offMachine).toEqual([]);
});
