import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { withTenant, type Tx } from '../db/with-tenant.ts';

/** Who is acting, as written into the audit log: `token:<id>`, `cli`, `system`, `agent:<id>`. */
export type Actor = string;

/** What every tenant use-case needs: the database, the tenant, and who acts. */
export interface TenantScope {
  db: Kysely<DB>;
  tenantId: string;
  actor: Actor;
  /** Called after a commit that enqueued outbox jobs, so the worker need not wait for its poll. */
  onOutbox?: () => void;
}

/**
 * Work the caller wants done inside the use-case's own transaction, after it succeeded and
 * before it commits — used to store an idempotent response atomically with the record.
 */
export interface TxHooks<T> {
  beforeCommit?: (tx: Tx, result: T) => Promise<void>;
}

/** Runs a use-case body in one tenant transaction, then the caller's hook, then commits. */
export async function inTenantTx<T>(scope: TenantScope, work: (tx: Tx) => Promise<T>, hooks?: TxHooks<T>): Promise<T> {
  return withTenant(scope.db, scope.tenantId, async (tx) => {
    const result = await work(tx);
    await hooks?.beforeCommit?.(tx, result);
    return result;
  });
}
