import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../../src/app/create-tenant.ts';
import { enqueue } from '../../src/db/repositories/outbox.ts';
import { withTenant } from '../../src/db/with-tenant.ts';
import { newId } from '../../src/db/ids.ts';
import { jobHandlers } from '../../src/jobs/handlers.ts';
import { createMailer } from '../../src/jobs/mailer.ts';
import { JobsWorker, type JobHandler } from '../../src/jobs/worker.ts';
import { MAX_ATTEMPTS } from '../../src/jobs/backoff.ts';
import { openTestStore } from '../support/store.ts';

let store: Awaited<ReturnType<typeof openTestStore>>;
let tenantId: string;
beforeAll(async () => {
  store = await openTestStore();
  tenantId = (await createTenant(store.db, { name: 'Jobs', actor: 'test' })).tenant.id;
});
afterAll(async () => store?.dispose());

const addJob = (kind: string, payload: Record<string, unknown>) => withTenant(store.db, tenantId, (tx) => enqueue(tx, { tenantId, kind, payload }));
const jobState = (id: string) =>
  store.db.selectFrom('outbox').select(['state', 'attempts', 'last_error', 'run_after']).where('id', '=', id).executeTakeFirstOrThrow();
const makeDue = (id: string) => store.db.updateTable('outbox').set({ run_after: sql`now()` }).where('id', '=', id).execute();

describe('the outbox worker', () => {
  it('sends e-mail as .eml files when no SMTP server is configured', async () => {
    const mailer = createMailer({ dataDir: store.dataDir });
    const worker = new JobsWorker({ db: store.db, handlers: jobHandlers({ mailer, mailFrom: 'Support <help@example.com>' }) });
    const id = await addJob('email.send', { to: 'pat@example.com', subject: 'Re: Your bill', text: 'It is fixed.', conversationId: 'c-1' });
    expect(await worker.runDue()).toBeGreaterThanOrEqual(1);
    expect((await jobState(id)).state).toBe('done');
    const dir = join(store.dataDir, 'mail');
    const file = readdirSync(dir).find((f) => f.includes(id));
    expect(file).toBeDefined();
    const eml = readFileSync(join(dir, file!), 'utf8');
    expect(eml).toMatch(/^To: pat@example.com$/m);
    expect(eml).toMatch(/^Subject: Re: Your bill$/m);
    expect(eml).toContain(`Message-ID: <${id}@fairdesk>`);
    expect(eml).toContain('It is fixed.');
  });

  it('sends real SMTP when SMTP_URL is set', async () => {
    const received: string[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, callback) {
        let data = '';
        stream.on('data', (c: Buffer) => (data += c.toString()));
        stream.on('end', () => {
          received.push(data);
          callback();
        });
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.server.address() as { port: number }).port;
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, dataDir: store.dataDir });
    const worker = new JobsWorker({ db: store.db, handlers: jobHandlers({ mailer, mailFrom: 'help@example.com' }) });
    const id = await addJob('email.send', { to: 'sam@example.com', subject: 'Hello', text: 'Over SMTP.' });
    await worker.runDue();
    mailer.close();
    await new Promise<void>((r) => server.close(() => r()));
    expect((await jobState(id)).state).toBe('done');
    expect(received).toHaveLength(1);
    expect(received[0]).toContain('Over SMTP.');
  });

  it('retries a failing job with backoff, then marks it dead after the last attempt', async () => {
    let calls = 0;
    const failing: JobHandler = async () => {
      calls++;
      throw new Error('receiver down');
    };
    const worker = new JobsWorker({ db: store.db, handlers: { flaky: failing } });
    const id = await addJob('flaky', {});
    await worker.runDue();
    const after1 = await jobState(id);
    expect(after1).toMatchObject({ state: 'pending', attempts: 1, last_error: 'receiver down' });
    expect(after1.run_after.getTime()).toBeGreaterThan(Date.now() + 1000); // backed off, not due now
    for (let i = 1; i < MAX_ATTEMPTS; i++) {
      await makeDue(id);
      await worker.runDue();
    }
    expect(await jobState(id)).toMatchObject({ state: 'dead', attempts: MAX_ATTEMPTS });
    expect(calls).toBe(MAX_ATTEMPTS);
  });

  it('a job whose effect fails leaves no partial effect: its transaction rolls back', async () => {
    const worker = new JobsWorker({
      db: store.db,
      handlers: {
        'write-then-fail': async (job, tx) => {
          await tx.insertInto('customers').values({ tenant_id: job.tenant_id, id: newId(), name: 'Half-done', attributes: '{}' }).execute();
          throw new Error('after writing');
        },
      },
    });
    await addJob('write-then-fail', {});
    await worker.runDue();
    const halfDone = await store.db.selectFrom('customers').select('id').where('tenant_id', '=', tenantId).where('name', '=', 'Half-done').execute();
    expect(halfDone).toEqual([]);
  });

  it('a detached job (a webhook POST) runs outside a transaction: what it records survives its failure, and it backs off', async () => {
    const worker = new JobsWorker({
      db: store.db,
      handlers: {
        detachedFail: {
          detached: async (job, db) => {
            await withTenant(db, job.tenant_id, (tx) => tx.insertInto('customers').values({ tenant_id: job.tenant_id, id: newId(), name: `Logged ${job.id}`, attributes: '{}' }).execute());
            throw new Error('receiver said 500');
          },
        },
      },
    });
    const id = await addJob('detachedFail', {});
    await worker.runDue();
    expect(await jobState(id)).toMatchObject({ state: 'pending', attempts: 1, last_error: 'receiver said 500' });
    const logged = await store.db.selectFrom('customers').select('id').where('tenant_id', '=', tenantId).where('name', '=', `Logged ${id}`).execute();
    expect(logged).toHaveLength(1);
  });

  it('two workers never run the same job twice', async () => {
    const counts = new Map<string, number>();
    const handler: JobHandler = async (job) => {
      counts.set(job.id, (counts.get(job.id) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 2));
    };
    const ids = await Promise.all(Array.from({ length: 40 }, () => addJob('count', {})));
    const w1 = new JobsWorker({ db: store.db, handlers: { count: handler }, batchSize: 3 });
    const w2 = new JobsWorker({ db: store.db, handlers: { count: handler }, batchSize: 3 });
    await Promise.all([w1.runDue(), w2.runDue()]);
    for (const id of ids) expect(counts.get(id)).toBe(1);
  });
});
