import type { Kysely } from 'kysely';
import { purgeIdempotencyKeys } from '../db/repositories/idempotency.ts';
import type { DB } from '../db/schema.ts';
import { withTenant } from '../db/with-tenant.ts';

/** Idempotency keys are kept this long (the API promises at least 24 hours). */
export const IDEMPOTENCY_KEY_HOURS = 48;

/** Forgets idempotency keys past their retention, tenant by tenant; returns how many went. */
export async function purgeExpiredIdempotencyKeys(db: Kysely<DB>): Promise<number> {
  const tenants = await db.selectFrom('tenants').select('id').execute();
  let purged = 0;
  for (const { id } of tenants) purged += await withTenant(db, id, (tx) => purgeIdempotencyKeys(tx, id, IDEMPOTENCY_KEY_HOURS));
  return purged;
}
