import { sql, type Kysely } from 'kysely';

/** The audit log browser filters by record (`GET /api/v1/audit?entityId=`): an index so that is not a scan of the tenant's log. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index audit_log_tenant_entity on audit_log (tenant_id, entity_id, seq)`.execute(db);
}
