import { Migrator, type Kysely } from 'kysely';
import { migrations } from './migrations/index.ts';
import { secureSchema } from './security.ts';

/** Brings the schema up to date and re-applies row-level security; safe to run at every start. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const name = failed ? ` (${failed.migrationName})` : '';
    throw new Error(`database migration failed${name}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  await secureSchema(db);
}
