import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { claimDueJobs, completeJob, failJob, releaseJob, type ClaimedJob } from '../db/repositories/outbox.ts';
import type { DB } from '../db/schema.ts';
import { withTenant, type Tx } from '../db/with-tenant.ts';
import { retryDelayMs } from './backoff.ts';

/** Does the side effect of one outbox job. Throwing schedules a retry with backoff. */
export type JobHandler = (job: ClaimedJob, tx: Tx) => Promise<void>;

/**
 * A job whose effect must not run inside a transaction — a webhook POST may take seconds, and PGlite
 * has one connection. It opens its own short transactions (so what it records survives its failure);
 * the worker completes the job after it returns, or backs off when it throws.
 */
export interface DetachedJobHandler {
  detached: (job: ClaimedJob, db: Kysely<DB>) => Promise<void>;
}

export interface WorkerOptions {
  db: Kysely<DB>;
  handlers: Record<string, JobHandler | DetachedJobHandler>;
  logger?: Logger | undefined;
  /** How often to look for due jobs when nobody wakes the worker. */
  pollMs?: number;
  /** How long a claimed job is leased before another worker may retry it. */
  leaseMs?: number;
  batchSize?: number;
}

/**
 * Runs outbox jobs inside `fairdesk serve`. It claims small batches (so on PGlite's single
 * connection a job never holds up API requests for long), runs each job's effect, and records the
 * outcome in the job's tenant transaction. Effects are at-least-once: a crash after the effect but
 * before the commit repeats it, so handlers make repeats harmless (stable Message-IDs, keys).
 *
 * Several servers on one PostgreSQL database share the outbox: a claim leases a job to one worker,
 * and a worker only records an outcome while its lease holds (see completeJob), so a job another
 * worker took over after the lease ran out is never finished twice (docs/scaling.md).
 */
export class JobsWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private wakeRequested = false;
  private stopRequested = false;

  constructor(private readonly options: WorkerOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Look for work now (called after a commit that enqueued a job). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopRequested = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Runs every due job once; returns how many ran. Used by tests and by the poll loop. */
  async runDue(): Promise<number> {
    const leaseMs = this.options.leaseMs ?? 60_000;
    let total = 0;
    for (;;) {
      const claimedAt = performance.now();
      const jobs = await claimDueJobs(this.options.db, this.options.batchSize ?? 10, leaseMs);
      if (jobs.length === 0) return total;
      for (const [i, job] of jobs.entries()) {
        // A batch of slow jobs (webhooks time out after 10 s each) could outlast the lease, and another
        // server would then run the rest as well: past half the lease, hand the unstarted ones back.
        if (performance.now() - claimedAt > leaseMs / 2) {
          for (const rest of jobs.slice(i)) await withTenant(this.options.db, rest.tenant_id, (tx) => releaseJob(tx, rest));
          break;
        }
        await this.runJob(job);
        total++;
      }
      if (this.stopRequested) return total; // finish the batch in hand, then let the server close
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.runDue()
        .then(() => undefined)
        .catch((error: unknown) => this.options.logger?.error({ err: error }, 'jobs worker: poll failed'))
        .finally(() => {
          this.running = null;
          const again = this.wakeRequested;
          this.wakeRequested = false;
          this.schedule(again ? 0 : (this.options.pollMs ?? 1000));
        });
    }, delayMs);
    this.timer.unref();
  }

  private async runJob(job: ClaimedJob): Promise<void> {
    const handler = this.options.handlers[job.kind];
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      if (typeof handler === 'function') {
        await withTenant(this.options.db, job.tenant_id, async (tx) => {
          await handler(job, tx);
          // Another worker holds the job now: roll this run's effect back, that one's counts.
          if (!(await completeJob(tx, job))) throw new LeaseLost();
        });
      } else {
        await handler.detached(job, this.options.db);
        if (!(await withTenant(this.options.db, job.tenant_id, (tx) => completeJob(tx, job)))) throw new LeaseLost();
      }
    } catch (error) {
      if (error instanceof LeaseLost) {
        this.options.logger?.warn({ jobId: job.id, kind: job.kind }, 'job lease ran out; another worker has it');
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      const delay = retryDelayMs(job.attempts);
      this.options.logger?.warn({ jobId: job.id, kind: job.kind, attempts: job.attempts, err: message }, delay === null ? 'job dead' : 'job failed; will retry');
      await withTenant(this.options.db, job.tenant_id, (tx) => failJob(tx, job, message.slice(0, 2000), delay));
    }
  }
}

/** The job was claimed by another worker while this one ran it (its lease ran out). */
class LeaseLost extends Error {}
