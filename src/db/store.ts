import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { join } from 'node:path';
import { acquireDataLock } from './data-lock.ts';
import { migrateToLatest } from './migrate.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { DB } from './schema.ts';

export type StoreKind = 'pglite' | 'postgres';

/** An open database: the embedded PGlite folder or a PostgreSQL server. */
export interface Store {
  db: Kysely<DB>;
  kind: StoreKind;
  /** Where the data lives, for messages (a folder, or the server without its password). */
  location: string;
  /** The data folder (mail, lock, admin socket) even when the database is a server. */
  dataDir: string;
  /**
   * Embedded store only: a gzipped tarball of the PGlite data folder, taken while holding the
   * dialect's queue, so no transaction is half-way through; `beforeDump` runs on that same held
   * connection first (e.g. to count rows that match the dump exactly).
   */
  dumpDataDir?: <T>(beforeDump: (db: Kysely<DB>) => Promise<T>) => Promise<{ tarball: Uint8Array; before: T }>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** PostgreSQL connection string; when absent, the embedded store in dataDir is used. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Run migrations and re-apply row-level security (default true). */
  migrate?: boolean;
  /** Take the data folder's PID lock (default true for the embedded store). */
  lock?: boolean;
  poolSize?: number;
}

/** Opens (and by default migrates) the store that the configuration names. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const store = options.databaseUrl ? openPostgres(options.databaseUrl, options) : await openPGlite(options);
  if (options.migrate !== false) {
    try {
      await migrateToLatest(store.db as Kysely<unknown>);
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}

async function openPGlite(options: StoreOptions): Promise<Store> {
  const release = options.lock === false ? () => {} : acquireDataLock(options.dataDir);
  try {
    // Calendar dates stay 'YYYY-MM-DD' strings on both stores: a Date would shift with the time zone.
    const pglite = await PGlite.create(join(options.dataDir, 'pg'), { parsers: { 1082: (value: string) => value } });
    const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
    return {
      db,
      kind: 'pglite',
      location: options.dataDir,
      dataDir: options.dataDir,
      dumpDataDir: (beforeDump) =>
        db.connection().execute(async (held) => {
          const before = await beforeDump(held);
          // A checkpoint first, so a restore replays little WAL.
          await pglite.exec('checkpoint');
          const blob = await pglite.dumpDataDir('gzip');
          return { tarball: new Uint8Array(await blob.arrayBuffer()), before };
        }),
      async close() {
        await db.destroy();
        await pglite.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

function openPostgres(databaseUrl: string, options: StoreOptions): Store {
  const types = new pg.TypeOverrides();
  // Counts and other int8 values come back as numbers, as they do from PGlite.
  types.setTypeParser(20, (value: string) => Number(value));
  types.setTypeParser(1082, (value: string) => value);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.poolSize ?? 10, types });
  // An idle pooled connection that the server ends (a restart, a dropped database) must not crash
  // the process: the pool discards it and the next query opens a new one.
  pool.on('error', (error) => {
    process.emitWarning(`PostgreSQL connection lost while idle: ${error.message}`);
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    location: redactUrl(databaseUrl),
    dataDir: options.dataDir,
    async close() {
      await db.destroy();
    },
  };
}

/** A connection string without its password, safe to print. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}
