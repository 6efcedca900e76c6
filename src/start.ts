import pino, { type Logger } from 'pino';
import { Redis } from 'ioredis';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { updateDataLock } from './db/data-lock.ts';
import { openStore, type Store } from './db/store.ts';
import { buildServer } from './http/server.ts';
import { jobHandlers } from './jobs/handlers.ts';
import { createMailer } from './jobs/mailer.ts';
import { JobsWorker } from './jobs/worker.ts';
import { every, onOneServer } from './jobs/periodic.ts';
import { purgeExpiredIdempotencyKeys } from './app/purge-idempotency-keys.ts';
import { refreshSlaClocks } from './app/refresh-sla-clocks.ts';
import { CHECKPOINT_INTERVAL_MS, writeAuditCheckpoints } from './app/audit-checkpoints.ts';
import { loadAuditSigningKey } from './app/audit-signing-key.ts';
import { reconcileCharges, RECONCILE_INTERVAL_MS } from './app/reconcile-charges.ts';
import { NOTICE_INTERVAL_MS, sendDueNotices } from './app/send-due-notices.ts';
import { adminSocketPath, startAdminServer, type AdminServer } from './cli/admin-socket.ts';
import { startInboundSmtp, type InboundSmtp } from './smtp/inbound.ts';

export interface Running {
  url: string;
  store: Store;
  app: FastifyInstance;
  worker: JobsWorker;
  admin: AdminServer | null;
  /** The inbound SMTP listener, when SMTP_LISTEN is set. */
  smtp: InboundSmtp | null;
  close(): Promise<void>;
}

/**
 * Starts Fairdesk: opens and migrates the store (taking the embedded folder's lock), starts the
 * HTTP server, the jobs worker and — on the embedded store — the admin socket for CLI commands.
 */
export async function startFairdesk(config: Config, options: { logger?: Logger | false; beforeListen?: (store: Store) => Promise<void> } = {}): Promise<Running> {
  const logger =
    options.logger === undefined
      ? pino({ level: config.logLevel, redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[redacted]' } })
      : options.logger;
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await options.beforeListen?.(store);
    // Loaded before listening, so a bad FAIRDESK_AUDIT_KEY fails the start rather than the first checkpoint.
    const auditKey = loadAuditSigningKey({ dataDir: config.dataDir, env: process.env, create: true })!;
    const mailer = createMailer({ smtpUrl: config.smtpUrl, dataDir: config.dataDir });
    // One policy for where webhooks may go: checked when an endpoint is saved and at every delivery.
    const webhooks = { policy: { allowPrivate: config.webhookAllowPrivate, allow: config.webhookAllow } };
    const worker = new JobsWorker({
      db: store.db,
      handlers: jobHandlers({ mailer, mailFrom: config.mailFrom, webhooks }),
      logger: logger || undefined,
      leaseMs: config.jobLeaseMs,
    });
    // Fail fast rather than queue: a request never waits on an unreachable Redis (the limit is skipped).
    const rateLimitRedis = config.rateLimitRedis ? new Redis(config.rateLimitRedis, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 }) : undefined;
    rateLimitRedis?.on('error', (error: Error) => logger && logger.warn({ err: error.message }, 'rate-limit Redis unreachable; limits not enforced meanwhile'));
    const app = await buildServer({ store, logger, onOutbox: () => worker.wake(), publicUrl: config.publicUrl, rateLimit: config.rateLimit, rateLimitRedis, webhooks });
    // Before the HTTP listener, so a taken SMTP port fails the start with nothing left listening.
    let smtp: InboundSmtp | null = null;
    if (config.smtpListen) {
      const split = config.smtpListen.lastIndexOf(':');
      smtp = await startInboundSmtp({
        db: store.db,
        host: config.smtpListen.slice(0, split).replace(/^\[|\]$/g, ''),
        port: Number(config.smtpListen.slice(split + 1)),
        routing: { domain: config.inboundDomain, addresses: config.inboundAddresses },
        maxBytes: config.smtpMaxBytes,
        logger: logger || undefined,
        onOutbox: () => worker.wake(),
      });
    }
    const address = await app.listen({ port: config.port, host: config.host }).catch(async (error: unknown) => {
      await smtp?.close();
      throw error;
    });
    worker.start();
    // Work that moves with time rather than with requests. With several servers on one PostgreSQL
    // database, one of them does each task per tick (onOneServer); each is also safe to run twice.
    const periodic = [
      every('idempotency key purge', 3_600_000, () => onOneServer(store, 'idempotency key purge', () => purgeExpiredIdempotencyKeys(store.db)), logger),
      // SLA clocks move with time, not only with messages.
      every('SLA refresh', 30_000, () => onOneServer(store, 'SLA refresh', () => refreshSlaClocks(store.db, new Date(), () => worker.wake())), logger),
      // Sign each tenant's audit chain head where it moved since the last checkpoint.
      every('audit checkpoint', CHECKPOINT_INTERVAL_MS, () => onOneServer(store, 'audit checkpoint', () => writeAuditCheckpoints(store.db, auditKey)), logger),
      // Refund (and alert on) any charge made after a cancellation took effect.
      every('charge reconciliation', RECONCILE_INTERVAL_MS, () => onOneServer(store, 'charge reconciliation', () => reconcileCharges(store.db)), logger),
      // Price- and terms-change notices to late subscribers, annual and trial reminders; price changes that took effect.
      every(
        'notices',
        NOTICE_INTERVAL_MS,
        () => onOneServer(store, 'notices', () => sendDueNotices(store.db, { publicOrigin: config.publicUrl ? new URL(config.publicUrl).origin : address, onOutbox: () => worker.wake() })),
        logger,
      ),
    ];
    let admin: AdminServer | null = null;
    if (store.kind === 'pglite') {
      admin = await startAdminServer(store, adminSocketPath(config.dataDir));
      updateDataLock(config.dataDir, { adminSocket: admin.path });
    }
    let closing: Promise<void> | null = null;
    return {
      url: address,
      store,
      app,
      worker,
      admin,
      smtp,
      close: () =>
        (closing ??= (async () => {
          await Promise.all(periodic.map((p) => p.stop()));
          await smtp?.close();
          await admin?.close();
          await app.close();
          await worker.stop();
          mailer.close();
          rateLimitRedis?.disconnect();
          await store.close();
        })()),
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
