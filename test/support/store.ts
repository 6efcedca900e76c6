import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openStore, type Store } from '../../src/db/store.ts';
import { withDatabase } from './global-setup.ts';

export const onPostgres = inject('pgTemplate') !== null;

/** Where a test's store lives: a fresh data folder, and on PostgreSQL a fresh database. */
export interface TestStoreLocation {
  dataDir: string;
  databaseUrl: string | undefined;
  /** Removes the folder (and drops the database). */
  dispose(): Promise<void>;
}

let counter = 0;

/**
 * A fresh, migrated place for one test's data: a copy of the PGlite template folder, or a clone
 * of the PostgreSQL template database when the run is on PostgreSQL.
 */
export async function freshStoreLocation(): Promise<TestStoreLocation> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fairdesk-t-'));
  const pgTemplate = inject('pgTemplate');
  if (!pgTemplate) {
    cpSync(inject('pgliteTemplate'), dataDir, { recursive: true });
    return { dataDir, databaseUrl: undefined, dispose: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `${pgTemplate.prefix}_${process.pid}_${++counter}`;
  const admin = new pg.Client({ connectionString: pgTemplate.adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${pgTemplate.template}`);
  } finally {
    await admin.end();
  }
  return {
    dataDir,
    databaseUrl: withDatabase(pgTemplate.adminUrl, name),
    dispose: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      const client = new pg.Client({ connectionString: pgTemplate.adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** Opens a fresh store for a test file; closing it also removes it. */
export async function openTestStore(): Promise<Store & { dispose(): Promise<void>; databaseUrl: string | undefined }> {
  const location = await freshStoreLocation();
  const store = await openStore({ dataDir: location.dataDir, databaseUrl: location.databaseUrl });
  return {
    ...store,
    databaseUrl: location.databaseUrl,
    async dispose() {
      await store.close();
      await location.dispose();
    },
  };
}
