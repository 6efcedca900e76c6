import { sql, type Kysely } from 'kysely';

/** When a customer's personal data was erased (the record stays, as a reference for what the law keeps). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table customers add column erased_at timestamptz`.execute(db);
}
