import { sql, type Kysely } from 'kysely';

/**
 * What a product gives (issue 6, item 1: "the features and the benefit each gives"): a list of
 * `{name, benefit}`; plans include some of these features by name, and usage units are feature names.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table products add column features jsonb not null default '[]'::jsonb`.execute(db);
}
