import { sql, type Kysely } from 'kysely';

/**
 * A cancellation's confirmation e-mail is found by the cancellation id in its outbox payload (the
 * compliance list shows each one's delivery): an index so that is not a scan of the tenant's outbox.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index outbox_tenant_cancellation_email on outbox (tenant_id, (payload->>'cancellationId')) where kind = 'email.send'`.execute(db);
}
