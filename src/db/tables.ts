/**
 * The global tables: the only tables not scoped to one tenant. Everything else is tenant data,
 * leads its primary key with tenant_id and is guarded by row-level security (see security.ts);
 * a schema test holds every table to this list.
 */
export const GLOBAL_TABLES = ['tenants', 'api_tokens', 'kysely_migration', 'kysely_migration_lock'] as const;

/**
 * Tenant tables the application may read and append to but never change or delete from: the
 * audit trail and its checkpoints, and the consent ledger (a withdrawal is a new record). security.ts grants APP_ROLE only SELECT and INSERT on them.
 */
export const APPEND_ONLY_TABLES = ['audit_log', 'audit_checkpoints', 'consents'] as const;

/** The role every tenant-scoped transaction runs as: no superuser, no RLS bypass. */
export const APP_ROLE = 'fairdesk_app';

/** The role the jobs worker uses to claim due outbox rows across tenants, and nothing else. */
export const WORKER_ROLE = 'fairdesk_worker';

/** The transaction-local setting that row-level security policies read the tenant id from. */
export const TENANT_SETTING = 'fairdesk.tenant_id';
