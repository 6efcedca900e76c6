import { PGlite } from '@electric-sql/pglite';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Kysely } from 'kysely';
import { z } from 'zod';
import { acquireDataLock, liveLockHolder } from '../db/data-lock.ts';
import { countRows, latestMigration, migrationLevel } from '../db/inventory.ts';
import { PGliteDialect } from '../db/pglite-dialect.ts';
import { readTar, writeTar } from '../db/tar.ts';
import type { Store } from '../db/store.ts';
import { AUDIT_KEY_FILE } from './audit-signing-key.ts';

/** The archive's members: the manifest, PGlite's own tarball of its folder, and the audit signing key. */
const MANIFEST = 'manifest.json';
const PGDATA = 'pgdata.tar.gz';
const FORMAT = 'fairdesk-backup/1';

export const BackupManifestSchema = z.object({
  format: z.literal(FORMAT),
  fairdeskVersion: z.string(),
  migration: z.string(),
  createdAt: z.string(),
  /** Rows per table at the instant of the dump (counted on the same held connection). */
  tables: z.record(z.string(), z.number().int().min(0)),
  files: z.array(z.object({ name: z.string(), bytes: z.number().int().min(0), sha256: z.string() })),
});
export type BackupManifest = z.infer<typeof BackupManifestSchema>;

export function fairdeskVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** The error for `fairdesk backup` on PostgreSQL: a server has its own, better tools. */
export const USE_PG_DUMP =
  'backup and restore are for the embedded store; on PostgreSQL use pg_dump and pg_restore (e.g. pg_dump -Fc -f fairdesk.dump "$DATABASE_URL"), ' +
  'and keep FAIRDESK_AUDIT_KEY with it';

/**
 * Writes a consistent backup of the embedded store to `out` (a path the caller resolved): PGlite's
 * dump of its folder taken while no transaction is open, the row counts at that instant, and the
 * audit signing key of the data folder (without it, restored checkpoints could not be verified).
 * The file is written beside its destination and renamed, so `out` is whole or absent; mode 0600,
 * since it holds every customer's data and a private key.
 */
export async function backupStore(store: Store, out: string): Promise<BackupManifest & { path: string; bytes: number }> {
  if (store.kind !== 'pglite' || !store.dumpDataDir) throw new Error(USE_PG_DUMP);
  const { tarball, before } = await store.dumpDataDir(async (db) => ({ tables: await countRows(db), migration: await migrationLevel(db) }));
  const files = [{ name: PGDATA, data: tarball }];
  const keyFile = join(store.dataDir, AUDIT_KEY_FILE);
  if (existsSync(keyFile)) files.push({ name: AUDIT_KEY_FILE, data: readFileSync(keyFile) });
  const manifest: BackupManifest = {
    format: FORMAT,
    fairdeskVersion: fairdeskVersion(),
    migration: before.migration ?? '',
    createdAt: new Date().toISOString(),
    tables: before.tables,
    files: files.map((f) => ({ name: f.name, bytes: f.data.byteLength, sha256: sha256(f.data) })),
  };
  const archive = writeTar([{ name: MANIFEST, data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) }, ...files]);
  mkdirSync(dirname(out), { recursive: true });
  const partial = join(dirname(out), `.${basename(out)}.${process.pid}.partial`);
  writeFileSync(partial, archive, { mode: 0o600 });
  renameSync(partial, out);
  return { ...manifest, path: out, bytes: archive.length };
}

/** Reads a backup file and checks every member against the manifest's sha256 before anything is written. */
export function readBackup(file: string): { manifest: BackupManifest; files: Map<string, Buffer> } {
  const files = readTar(readFileSync(file));
  const raw = files.get(MANIFEST);
  if (!raw) throw new Error(`${file} is not a Fairdesk backup (no ${MANIFEST})`);
  const parsed = BackupManifestSchema.safeParse(JSON.parse(raw.toString('utf8')));
  if (!parsed.success) throw new Error(`${file}: the manifest is not one this Fairdesk reads (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  for (const f of parsed.data.files) {
    const data = files.get(f.name);
    if (!data) throw new Error(`${file}: ${f.name} is missing`);
    if (data.length !== f.bytes || sha256(data) !== f.sha256) throw new Error(`${file}: ${f.name} does not match its sha256 in the manifest; the file is damaged`);
  }
  if (!files.has(PGDATA)) throw new Error(`${file}: no database in the backup`);
  return { manifest: parsed.data, files };
}

export interface RestoreResult {
  manifest: BackupManifest;
  dataDir: string;
  rows: number;
  tables: number;
  auditKey: boolean;
}

/**
 * Restores a backup into a data folder that is empty or new (or, with `force`, replaces the store
 * in it). Refuses while any process holds the folder. After unpacking, counts the rows of every
 * table and compares them with the manifest; a mismatch removes what was written.
 */
export async function restoreBackup(options: { file: string; dataDir: string; force: boolean }): Promise<RestoreResult> {
  const { manifest, files } = readBackup(options.file);
  if (manifest.migration > latestMigration()) {
    throw new Error(`the backup is at migration ${manifest.migration}, newer than this Fairdesk knows (${latestMigration()}); restore it with Fairdesk ${manifest.fairdeskVersion} or newer`);
  }
  const holder = liveLockHolder(options.dataDir);
  if (holder) throw new Error(`the data folder ${options.dataDir} is in use by process ${holder.pid}; stop the server before restoring into it`);
  const present = existsSync(options.dataDir) ? readdirSync(options.dataDir).filter((f) => f !== 'fairdesk.lock') : [];
  if (present.length > 0 && !options.force) {
    throw new Error(`the data folder ${options.dataDir} is not empty (${present.slice(0, 5).join(', ')}); restore into a new folder, or pass --force to replace its store`);
  }
  const release = acquireDataLock(options.dataDir);
  const pgDir = join(options.dataDir, 'pg');
  try {
    rmSync(pgDir, { recursive: true, force: true });
    mkdirSync(pgDir, { recursive: true });
    const pglite = await PGlite.create(pgDir, { loadDataDir: new Blob([new Uint8Array(files.get(PGDATA)!)]) });
    const db = new Kysely<unknown>({ dialect: new PGliteDialect(pglite) });
    let counts: Record<string, number>;
    try {
      counts = await countRows(db);
    } finally {
      await db.destroy();
      await pglite.close();
    }
    const differ = Object.keys({ ...manifest.tables, ...counts }).filter((t) => manifest.tables[t] !== counts[t]);
    if (differ.length > 0) {
      rmSync(pgDir, { recursive: true, force: true });
      throw new Error(`the restored store does not match the backup's row counts (${differ.map((t) => `${t}: ${counts[t] ?? 'missing'} ≠ ${manifest.tables[t] ?? 'missing'}`).join(', ')}); nothing was kept`);
    }
    const key = files.get(AUDIT_KEY_FILE);
    if (key) {
      writeFileSync(join(options.dataDir, AUDIT_KEY_FILE), key, { mode: 0o600 });
      chmodSync(join(options.dataDir, AUDIT_KEY_FILE), 0o600);
    }
    return {
      manifest,
      dataDir: options.dataDir,
      rows: Object.values(counts).reduce((a, b) => a + b, 0),
      tables: Object.keys(counts).length,
      auditKey: Boolean(key),
    };
  } finally {
    release();
  }
}
