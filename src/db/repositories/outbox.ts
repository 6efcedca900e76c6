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

/** Marks a job done inside the tenant transaction that carried out its effect. */
export async function completeJob(tx: Tx, job: { tenant_id: string; id: string }): Promise<void> {
  await tx
    .updateTable('outbox')
    .set({ state: 'done', done_at: sql`now()`, last_error: null })
    .where('tenant_id', '=', job.tenant_id)
    .where('id', '=', job.id)
    .execute();
}

/** Records a failure: retried after `retryInMs`, or dead after the last attempt. */
export async function failJob(
  tx: Tx,
  job: { tenant_id: string; id: string },
  error: string,
  retryInMs: number | null,
): Promise<void> {
  await tx
    .updateTable('outbox')
    .set(
      retryInMs === null
        ? { state: 'dead', last_error: error }
        : { last_error: error, run_after: sql`now() + ${`${retryInMs} milliseconds`}::interval` },
    )
    .where('tenant_id', '=', job.tenant_id)
    .where('id', '=', job.id)
    .execute();
}
