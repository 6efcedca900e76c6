import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openStore } from '../../src/db/store.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PGlite data folder that each test file copies (migrating costs 3–5 s). */
    pgliteTemplate: string;
    /** On PostgreSQL: a migrated template database each test file clones, and the admin URL. */
    pgTemplate: { adminUrl: string; template: string; prefix: string } | null;
  }
}

/**
 * Prepared once per run: a migrated store that test files copy instead of migrating again.
 * With DATABASE_URL set, the run gets its own template database (a fresh one per run, with a
 * random prefix, so parallel runs and workers never collide); it is dropped at the end.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = mkdtempSync(join(tmpdir(), 'fairdesk-test-'));
  const template = join(root, 'template');
  const store = await openStore({ dataDir: template });
  await store.close();
  project.provide('pgliteTemplate', template);

  const adminUrl = process.env.DATABASE_URL;
  let cleanupPg = async () => {};
  if (adminUrl) {
    const prefix = `fdt_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const templateDb = `${prefix}_tpl`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${templateDb}`);
    const pgStore = await openStore({ databaseUrl: withDatabase(adminUrl, templateDb), dataDir: join(root, 'pg-template-data') });
    await pgStore.close();
    project.provide('pgTemplate', { adminUrl, template: templateDb, prefix });
    cleanupPg = async () => {
      const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [`${prefix}%`]);
      for (const { datname } of rows) await admin.query(`drop database if exists ${datname} with (force)`);
      await admin.end();
    };
  } else {
    project.provide('pgTemplate', null);
  }

  return async () => {
    await cleanupPg();
    rmSync(root, { recursive: true, force: true });
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
