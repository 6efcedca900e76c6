import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import type { Tx } from '../with-tenant.ts';
import { withTenant } from '../with-tenant.ts';

export interface IdempotencyKeyRef {
  tenantId: string;
  route: string;
  key: string;
}

export type ClaimResult =
  | { kind: 'claimed' }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'mismatch' }
  | { kind: 'in_flight' };

/**
 * Claims a key in its own short transaction. A new key (or one whose holder died and whose lease
 * ran out) is leased to this request; a finished one is replayed; a live lease answers in_flight.
 */
export async function claimIdempotencyKey(
  db: Kysely<DB>,
  ref: IdempotencyKeyRef,
  requestHash: string,
  leaseMs: number,
): Promise<ClaimResult> {
  return withTenant(db, ref.tenantId, async (tx) => {
    const lease = sql<Date>`now() + ${`${leaseMs} milliseconds`}::interval`;
    const inserted = await tx
      .insertInto('idempotency_keys')
      .values({
        tenant_id: ref.tenantId,
        route: ref.route,
        key: ref.key,
        request_hash: requestHash,
        state: 'in_flight',
        locked_until: lease,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'route', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) return { kind: 'claimed' };

    const row = await tx
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'state', 'response_status', 'response_body', sql<boolean>`locked_until < now()`.as('expired')])
      .where('tenant_id', '=', ref.tenantId)
      .where('route', '=', ref.route)
      .where('key', '=', ref.key)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (row.request_hash !== requestHash) return { kind: 'mismatch' };
    if (row.state === 'done') return { kind: 'replay', status: row.response_status ?? 200, body: row.response_body };
    if (!row.expired) return { kind: 'in_flight' };
    await tx
      .updateTable('idempotency_keys')
      .set({ locked_until: lease })
      .where('tenant_id', '=', ref.tenantId)
      .where('route', '=', ref.route)
      .where('key', '=', ref.key)
      .execute();
    return { kind: 'claimed' };
  });
}

/** Stores the response inside the transaction that made the record: both commit, or neither. */
export async function completeIdempotencyKey(tx: Tx, ref: IdempotencyKeyRef, status: number, body: unknown): Promise<void> {
  await tx
    .updateTable('idempotency_keys')
    .set({ state: 'done', response_status: status, response_body: JSON.stringify(body) })
    .where('tenant_id', '=', ref.tenantId)
    .where('route', '=', ref.route)
    .where('key', '=', ref.key)
    .execute();
}

/** Gives a key back after the request failed, so a corrected retry may use it. */
export async function releaseIdempotencyKey(db: Kysely<DB>, ref: IdempotencyKeyRef): Promise<void> {
  await withTenant(db, ref.tenantId, (tx) =>
    tx
      .deleteFrom('idempotency_keys')
      .where('tenant_id', '=', ref.tenantId)
      .where('route', '=', ref.route)
      .where('key', '=', ref.key)
      .where('state', '=', 'in_flight')
      .execute(),
  );
}

/** Forgets keys older than `olderThanHours` (at least 24, as the API promises). */
export async function purgeIdempotencyKeys(tx: Tx, tenantId: string, olderThanHours: number): Promise<number> {
  const result = await tx
    .deleteFrom('idempotency_keys')
    .where('tenant_id', '=', tenantId)
    .where('created_at', '<', sql<Date>`now() - ${`${Math.max(24, olderThanHours)} hours`}::interval`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
