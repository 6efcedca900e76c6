import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from './schema.ts';
import { APP_ROLE, TENANT_SETTING } from './tables.ts';

export type Tx = Transaction<DB>;

/**
 * Runs `work` in one transaction scoped to a tenant: as the NOSUPERUSER, NOBYPASSRLS role, with
 * the tenant id set transaction-locally for the row-level security policies. Repositories still
 * filter by tenant id themselves; this is the second, independent guard.
 * Given an open transaction, it scopes the rest of that transaction instead of opening another.
 */
export async function withTenant<T>(db: Kysely<DB>, tenantId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  const scoped = async (tx: Tx) => {
    // One round trip: set_config('role', …, true) is SET LOCAL ROLE.
    await sql`select set_config(${TENANT_SETTING}, ${tenantId}, true), set_config('role', ${APP_ROLE}, true)`.execute(tx);
    return work(tx);
  };
  return db.isTransaction ? scoped(db as Tx) : db.transaction().execute(scoped);
}
