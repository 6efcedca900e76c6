import { sql, type Kysely } from 'kysely';
import type { DB, OutboxRow } from '../schema.ts';
import type { Tx } from '../with-tenant.ts';
import { newId } from '../ids.ts';
import { WORKER_ROLE } from '../tables.ts';

/** Writes a side effect to run after commit; it happens if and only if the change commits. */
export async function enqueue(
  tx: Tx,
  job: { tenantId: string; kind: string; payload: Record<string, unknown>; runAfter?: Date },
): Promise<string> {
  const id = newId();
  await tx
    .insertInto('outbox')
    .values({
      tenant_id: job.tenantId,
      id,
      kind: job.kind,
      payload: JSON.stringify(job.payload),
      ...(job.runAfter ? { run_after: job.runAfter } : {}),
    })
    .execute();
  return id;
}

/** A claimed job: its lease runs until `leaseUntil`, after which another worker may take it. */
export type ClaimedJob = OutboxRow;

/**
 * Claims up to `limit` due jobs across tenants, leasing each for `leaseMs` by pushing its
 * run_after forward, so a worker that dies mid-job lets another retry it after the lease.
 * FOR UPDATE SKIP LOCKED lets several servers on one PostgreSQL database claim without overlap.
 */
export async function claimDueJobs(db: Kysely<DB>, limit: number, leaseMs: number): Promise<ClaimedJob[]> {
  return db.transaction().execute(async (tx) => {
    await sql.raw(`set local role ${WORKER_ROLE}`).execute(tx);
    const due = await tx
      .selectFrom('outbox')
      .select(['tenant_id', 'id'])
      .where('state', '=', 'pending')
      .where('run_after', '<=', sql<Date>`now()`)
      .orderBy('run_after')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return [];
    const claimed: ClaimedJob[] = [];
    for (const job of due) {
      const row = await tx
        .updateTable('outbox')
        .set({ run_after: sql`now() + ${`${leaseMs} milliseconds`}::interval`, attempts: sql`attempts + 1` })
        .where('tenant_id', '=', job.tenant_id)
        .where('id', '=', job.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      claimed.push(row);
    }
    return claimed;
  });
}

/**
 * The claim a job is held under: its `attempts` after the claim. A worker whose lease ran out may find
 * the job claimed again by another (attempts moved on) or finished; then its write changes nothing.
 */
type Lease = { tenant_id: string; id: string; attempts: number };

/**
 * Marks a job done inside the tenant transaction that carried out its effect. False when the lease
 * was lost (another worker claimed the job since): the caller rolls its effect back.
 */
export async function completeJob(tx: Tx, job: Lease): Promise<boolean> {
  const result = await tx
    .updateTable('outbox')
    .set({ state: 'done', done_at: sql`now()`, last_error: null })
    .where('tenant_id', '=', job.tenant_id)
    .where('id', '=', job.id)
    .where('state', '=', 'pending')
    .where('attempts', '=', job.attempts)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Records a failure: retried after `retryInMs`, or dead after the last attempt (only while the lease holds). */
export async function failJob(tx: Tx, job: Lease, error: string, retryInMs: number | null): Promise<boolean> {
  const result = await tx
    .updateTable('outbox')
    .set(
      retryInMs === null
        ? { state: 'dead', last_error: error }
        : { last_error: error, run_after: sql`now() + ${`${retryInMs} milliseconds`}::interval` },
    )
    .where('tenant_id', '=', job.tenant_id)
    .where('id', '=', job.id)
    .where('state', '=', 'pending')
    .where('attempts', '=', job.attempts)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Hands back a claimed job that was not started (its lease was running short): due at once, and the
 * claim's attempt not counted. Nothing happens when the lease was already lost.
 */
export async function releaseJob(tx: Tx, job: Lease): Promise<void> {
  await tx
    .updateTable('outbox')
    .set({ run_after: sql`now()`, attempts: sql`attempts - 1` })
    .where('tenant_id', '=', job.tenant_id)
    .where('id', '=', job.id)
    .where('state', '=', 'pending')
    .where('attempts', '=', job.attempts)
    .execute();
}
