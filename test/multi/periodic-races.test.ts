/**
 * The periodic work of `fairdesk serve` (src/start.ts) and `fairdesk billing run`, run by two servers
 * at the same moment: each task here runs twice at once through two separate connection pools on one
 * PostgreSQL database — what two processes do — and must have the effect of one run. PostgreSQL only:
 * the embedded store is one process by design (docs/scaling.md).
 */
import { createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAuditCheckpoints } from '../../src/app/audit-checkpoints.ts';
import { auditKeyId } from '../../src/app/audit-signing-key.ts';
import { verifyAuditLog } from '../../src/app/verify-audit-log.ts';
import { billingRun } from '../../src/app/billing-run.ts';
import { CHARGE_AFTER_CANCELLATION_ALERT, reconcileCharges } from '../../src/app/reconcile-charges.ts';
import { refreshSlaClocks } from '../../src/app/refresh-sla-clocks.ts';
import { sendDueNotices } from '../../src/app/send-due-notices.ts';
import { writeAudit } from '../../src/db/repositories/audit.ts';
import { enqueue } from '../../src/db/repositories/outbox.ts';
import { openStore, type Store } from '../../src/db/store.ts';
import { withTenant } from '../../src/db/with-tenant.ts';
import { onOneServer } from '../../src/jobs/periodic.ts';
import { JobsWorker } from '../../src/jobs/worker.ts';
import { makeCustomer, startTestApp, type TestApp } from '../support/app.ts';
import { injectCharge } from '../support/ledger.ts';
import { onPostgres } from '../support/store.ts';
import { withDatabase } from '../support/global-setup.ts';

const EXAMPLE = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'charter.yaml'), 'utf8');
const DAY = 86_400_000;
const at = (days: number) => new Date(Date.now() + days * DAY);

describe.skipIf(!onPostgres)('periodic work on two servers at once (skipped without DATABASE_URL: the embedded store is one process)', () => {
  let t: TestApp;
  /** The second server's connection pool on the same database. */
  let other: Store;
  let otherDir: string;
  let plan: string;
  const both = <T>(task: (db: Store['db']) => Promise<T>) => Promise.all([task(t.store.db), task(other.db)]);
  const count = async (query: string) => (await sql.raw<{ n: number }>(`select count(*)::int as n from (${query}) q`).execute(t.store.db)).rows[0]!.n;

  beforeAll(async () => {
    t = await startTestApp();
    otherDir = mkdtempSync(join(tmpdir(), 'fairdesk-other-'));
    other = await openStore({ databaseUrl: t.store.databaseUrl, dataDir: otherDir, migrate: false });
    const published = await t.call('POST', '/api/v1/charter/versions', { body: { source: EXAMPLE, effectiveAt: '2026-01-01T00:00:00Z' } });
    expect(published.status).toBe(201);
    const product = (await t.call('POST', '/api/v1/products', { body: { name: 'Fax Line' } })).json.id as string;
    plan = (await t.call('POST', '/api/v1/plans', { body: { productId: product, name: 'Pro', priceMinor: 1999, currency: 'EUR', interval: 'month', features: ['fax'] } })).json.id as string;
  }, 60_000);

  afterAll(async () => {
    await other?.close();
    if (otherDir) rmSync(otherDir, { recursive: true, force: true });
    await t?.close();
  });

  /** A monthly subscription past its first anniversary (a reminder is due), renewing in 20 days. */
  const subscribe = async (customerId: string) => {
    const res = await t.call('POST', '/api/v1/subscriptions', {
      body: { customerId, planId: plan, startedAt: at(-370).toISOString(), currentPeriodStart: at(-10).toISOString(), currentPeriodEnd: at(20).toISOString() },
    });
    expect(res.status, res.body).toBe(201);
    return res.json as { id: string; reference: string };
  };

  it('SLA refresh: each breach is audited once, and each cancel request puts one sla.breached event in the outbox', async () => {
    const conversations: string[] = [];
    for (let i = 0; i < 30; i++) {
      const customerId = await makeCustomer(t, t.a, { name: `Waiting ${i}`, emails: [`waiting${i}@example.com`] });
      // A third of them ask to cancel: a cancel request with its own clock.
      if (i % 3 === 0) await subscribe(customerId);
      const res = await t.call('POST', '/api/v1/conversations', {
        body: { customerId, channel: 'chat', subject: `Waiting ${i}`, message: { role: 'customer', text: i % 3 === 0 ? 'Please cancel my subscription.' : 'Hello, anyone there?' } },
      });
      expect(res.status, res.body).toBe(201);
      conversations.push(res.json.id as string);
    }
    const requests = await count(`select 1 from cancel_requests where status = 'open'`);
    expect(requests).toBe(10);
    // A month on, every clock has run out; both servers refresh at that moment.
    const later = at(30);
    const [x, y] = await both((db) => refreshSlaClocks(db, later));
    expect(x.breached + y.breached).toBe(30);
    expect(x.cancelRequests.breached + y.cancelRequests.breached).toBe(10);
    const audited = await t.store.db.selectFrom('audit_log').select(['entity_id', 'action']).where('action', '=', 'sla.breached').execute();
    expect(audited).toHaveLength(30);
    expect(new Set(audited.map((a) => a.entity_id))).toEqual(new Set(conversations));
    expect(await count(`select 1 from audit_log where action = 'cancel_request.sla.breached'`)).toBe(10);
    expect(await count(`select 1 from outbox where kind = 'sla.breached'`)).toBe(10);
    expect(await count(`select distinct payload->>'cancelRequestId' from outbox where kind = 'sla.breached'`)).toBe(10);
    // And again: nothing left to do for either.
    const [x2, y2] = await both((db) => refreshSlaClocks(db, later));
    expect(x2.changed + y2.changed + x2.cancelRequests.changed + y2.cancelRequests.changed).toBe(0);
  });

  it('notices: each subscription gets its reminder once, with one e-mail', async () => {
    const subs: string[] = [];
    for (let i = 0; i < 12; i++) {
      const customerId = await makeCustomer(t, t.a, { name: `Reminded ${i}`, emails: [`reminded${i}@example.com`] });
      subs.push((await subscribe(customerId)).id);
    }
    const mine = subs.map((s) => `'${s}'`).join(',');
    const [x, y] = await both((db) => sendDueNotices(db, { publicOrigin: 'https://help.example.com' }));
    expect(await count(`select 1 from notices where kind = 'annual_reminder' and subscription_id in (${mine})`)).toBe(12);
    expect(await count(`select 1 from outbox where kind = 'email.send' and payload->>'noticeId' in (select id::text from notices where subscription_id in (${mine}))`)).toBe(12);
    expect(x.annualReminder + y.annualReminder).toBeGreaterThanOrEqual(12);
    expect(await count(`select 1 from audit_log a join notices n on n.id::text = a.entity_id and a.tenant_id = n.tenant_id where n.subscription_id in (${mine})`)).toBe(12);
  });

  it('billing run racing billing run: each renewal charged once, a charge after cancellation refunded once', async () => {
    const customerId = await makeCustomer(t, t.a, { name: 'Billed Twice?' });
    const renewing: string[] = [];
    for (let i = 0; i < 8; i++) renewing.push((await subscribe(customerId)).id);
    const cancelled = await subscribe(customerId);
    const req = await t.call('POST', `/api/v1/subscriptions/${cancelled.id}/cancellations`, { body: { channel: 'portal', timing: 'period_end' } });
    expect(req.status, req.body).toBe(201);
    const confirmed = await t.call('POST', `/api/v1/cancellations/${req.json.id}/confirm`);
    expect(confirmed.status, confirmed.body).toBe(200);
    const until = at(25);
    const [x, y] = await both((db) => billingRun(db, { until }));
    const charged = [...x.tenants, ...y.tenants].flatMap((r) => r.charged).filter((c) => renewing.includes(c.subscriptionId));
    expect(charged.map((c) => c.subscriptionId).sort()).toEqual([...renewing].sort());
    const ids = [...renewing, cancelled.id].map((s) => `'${s}'`).join(',');
    expect(await count(`select 1 from charges where kind = 'charge' and subscription_id in (${ids})`)).toBe(8);
    expect(await count(`select 1 from invoices where subscription_id in (${ids})`)).toBe(8);
    expect(await count(`select 1 from audit_log where action = 'billing.charged' and entity_id in (select id::text from charges where subscription_id in (${ids}))`)).toBe(8);
    expect(await count(`select 1 from audit_log where action = 'subscription.ended' and entity_id = '${cancelled.id}'`)).toBe(1);

    // A charge slips through after the cancellation took effect; both servers' reconciliation sees it.
    const chargeId = randomUUID();
    await injectCharge(t.store.db, {
      tenant_id: t.a.id,
      id: chargeId,
      subscription_id: cancelled.id,
      customer_id: customerId,
      amount_minor: 1999,
      currency: 'EUR',
      period_start: confirmed.json.effectiveAt as string,
      period_end: at(50),
      at: new Date(new Date(confirmed.json.effectiveAt as string).getTime() + DAY),
      external_id: `manual:${chargeId}`,
    });
    const [r1, r2] = await both((db) => reconcileCharges(db));
    expect([...r1.refunded, ...r2.refunded].map((r) => r.chargeId)).toEqual([chargeId]);
    expect(await count(`select 1 from charges where kind = 'refund' and external_id = 'refund-of:${chargeId}'`)).toBe(1);
    expect(await count(`select 1 from audit_log where action = '${CHARGE_AFTER_CANCELLATION_ALERT}' and entity_id = '${chargeId}'`)).toBe(1);
  });

  it('audit checkpoints: one per tenant and head with the shared key, and the chain stays one chain', async () => {
    const privateKey = generateKeyPairSync('ed25519').privateKey;
    const publicKey = createPublicKey(privateKey);
    const key = { keyId: auditKeyId(publicKey), privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
    // Audit rows written from both pools at once chain onto one head (no fork).
    await both(async (db) => {
      for (let i = 0; i < 10; i++) await writeOneAuditRow(db, t.a.id, `Chained ${i}`);
    });
    const [x, y] = await both((db) => writeAuditCheckpoints(db, key));
    for (const tenantId of [t.a.id, t.b.id]) {
      const written = [...x, ...y].filter((c) => c.tenantId === tenantId && c.written);
      expect(written).toHaveLength(1);
      expect(await count(`select 1 from audit_checkpoints where tenant_id = '${tenantId}' and key_id = '${key.keyId}'`)).toBe(1);
    }
    // The whole chain verifies: hashes, seq continuity, the head and the checkpoint.
    const report = await verifyAuditLog(t.store.db, { tenantIds: [t.a.id], trustedKeys: [key] });
    expect(report.tenants[0]).toMatchObject({ firstBroken: null, checkpoints: 1 });
    expect(report.ok).toBe(true);
  });

  it('onOneServer: while one server runs a task, the other skips it; afterwards it runs', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const first = onOneServer(t.store, 'race test', async () => {
      started();
      await gate;
      return 'first';
    });
    await running;
    expect(await onOneServer(other, 'race test', async () => 'second')).toBe('skipped');
    expect(await onOneServer(other, 'another task', async () => 'other task')).toBe('other task');
    release();
    expect(await first).toBe('first');
    expect(await onOneServer(other, 'race test', async () => 'second')).toBe('second');
  });

  it('outbox lease: a worker whose lease ran out cannot finish the job another worker took over', async () => {
    // Far in the future, so no worker runs these records themselves.
    const record = (tx: Parameters<Parameters<typeof withTenant>[2]>[0], jobId: string, by: string) =>
      enqueue(tx, { tenantId: t.a.id, kind: 'test.effect', payload: { jobId, by }, runAfter: at(3650) });
    const jobId = await withTenant(t.store.db, t.a.id, (tx) => enqueue(tx, { tenantId: t.a.id, kind: 'test.slow', payload: {} }));
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => (entered = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = new JobsWorker({
      db: t.store.db,
      leaseMs: 300,
      handlers: {
        'test.slow': async (job, tx) => {
          await record(tx, job.id, 'A');
          entered();
          await gate;
        },
      },
    });
    const fast = new JobsWorker({ db: other.db, leaseMs: 60_000, handlers: { 'test.slow': async (job, tx) => void (await record(tx, job.id, 'B')) } });
    const aRun = slow.runDue();
    await inHandler;
    // A's lease runs out while it is still at work; B takes the job over and finishes it.
    for (;;) {
      const { rows } = await sql<{ due: boolean }>`select run_after <= now() as due from outbox where id = ${jobId}`.execute(other.db);
      if (rows[0]!.due) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await fast.runDue()).toBeGreaterThanOrEqual(1);
    release();
    await aRun;
    const effects = await t.store.db.selectFrom('outbox').select('payload').where('kind', '=', 'test.effect').execute();
    expect(effects.map((e) => (e.payload as { jobId: string; by: string })).filter((p) => p.jobId === jobId)).toEqual([{ jobId, by: 'B' }]);
    const job = await t.store.db.selectFrom('outbox').select(['state', 'attempts']).where('id', '=', jobId).executeTakeFirstOrThrow();
    expect(job).toEqual({ state: 'done', attempts: 2 });
  });

  it('outbox lease: a worker hands back the rest of its batch once half the lease is gone, rather than run it late', async () => {
    const ids = await withTenant(t.store.db, t.a.id, async (tx) => [
      await enqueue(tx, { tenantId: t.a.id, kind: 'test.detached', payload: { n: 1 }, runAfter: at(-1) }),
      await enqueue(tx, { tenantId: t.a.id, kind: 'test.detached', payload: { n: 2 } }),
    ]);
    const runs: Array<{ id: string; by: string }> = [];
    let entered!: () => void;
    const inFirst = new Promise<void>((r) => (entered = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = new JobsWorker({
      db: t.store.db,
      leaseMs: 400,
      handlers: {
        'test.detached': {
          detached: async (job) => {
            runs.push({ id: job.id, by: 'A' });
            if (job.id === ids[0]) {
              entered();
              await gate;
            }
          },
        },
      },
    });
    const fast = new JobsWorker({ db: other.db, handlers: { 'test.detached': { detached: async (job) => void runs.push({ id: job.id, by: 'B' }) } } });
    const aRun = slow.runDue();
    await inFirst;
    // The batch's lease ran out while A sent the first (a slow receiver): B takes both.
    for (;;) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from outbox where id in (${ids[0]}, ${ids[1]}) and run_after <= now()`.execute(other.db);
      if (rows[0]!.n === 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await fast.runDue();
    release();
    await aRun;
    // A sent the first (as B did: at-least-once when a single job outlasts its lease) but not the second.
    expect(runs.filter((r) => r.id === ids[1])).toEqual([{ id: ids[1], by: 'B' }]);
    expect(runs.filter((r) => r.id === ids[0]).map((r) => r.by).sort()).toEqual(['A', 'B']);
  });

  it('two servers starting at once on an empty database both come up (migrations and row-level security once)', async () => {
    const adminUrl = process.env.DATABASE_URL!;
    const name = `fdt_multi_start_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const dirs = [mkdtempSync(join(tmpdir(), 'fairdesk-s1-')), mkdtempSync(join(tmpdir(), 'fairdesk-s2-'))];
    try {
      const stores = await Promise.all(dirs.map((dataDir) => openStore({ databaseUrl: withDatabase(adminUrl, name), dataDir })));
      for (const s of stores) expect(Number((await s.db.selectFrom('tenants').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(0);
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  });
});

/** One audit row, written from the given pool. */
async function writeOneAuditRow(db: Store['db'], tenantId: string, name: string): Promise<void> {
  await withTenant(db, tenantId, async (tx) => {
    await writeAudit(tx, { tenantId, actor: 'test', action: 'test.chained', entityType: 'test', entityId: randomUUID(), fields: [name] });
  });
}
