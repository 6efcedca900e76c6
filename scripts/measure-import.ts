/**
 * Measures an import into a fresh tenant, twice (the second run is all skipped), and prints where the
 * database time went (statements by shape, their count and total time):
 *
 *   npx tsx scripts/measure-import.ts zendesk /tmp/zendesk-10k.json            # PGlite in a temp folder
 *   DATABASE_URL=postgres://… npx tsx scripts/measure-import.ts zendesk FILE    # a PostgreSQL server
 *
 * `--once` skips the second run; `--profile` prints the statement table. On PostgreSQL the script
 * creates a database `fairdesk_measure_<pid>` beside the URL's and drops it at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import { createTenant } from '../src/app/create-tenant.ts';
import { importFile } from '../src/app/import-file.ts';
import { verifyAuditLog } from '../src/app/verify-audit-log.ts';
import { IMPORT_KINDS, type ImportKind } from '../src/domain/imports.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { PGliteDialect } from '../src/db/pglite-dialect.ts';
import type { DB } from '../src/db/schema.ts';

const [kind, file] = process.argv.slice(2).filter((a) => !a.startsWith('--')) as [ImportKind, string];
if (!IMPORT_KINDS.includes(kind) || !file) throw new Error('usage: measure-import.ts KIND FILE [--once] [--profile]');
const once = process.argv.includes('--once');
const profile = process.argv.includes('--profile');

const stats = new Map<string, { n: number; ms: number }>();
const log = (event: LogEvent) => {
  if (!profile) return;
  // Statements by shape: values and multi-row lists collapsed.
  const shape = event.query.sql.replace(/\$\d+/g, '?').replace(/\(\?(, \?)*\)(, \(\?(, \?)*\))*/g, '(…)').replace(/\s+/g, ' ').slice(0, 110);
  const s = stats.get(shape) ?? { n: 0, ms: 0 };
  s.n++;
  s.ms += event.queryDurationMillis;
  stats.set(shape, s);
};

const url = process.env.DATABASE_URL;
let db: Kysely<DB>;
let cleanup: () => Promise<void>;
if (url) {
  const name = `fairdesk_measure_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: target.toString(), max: 5 });
  db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), log });
  cleanup = async () => {
    await db.destroy();
    await admin.query(`drop database ${name}`);
    await admin.end();
  };
} else {
  const dir = await mkdtemp(join(tmpdir(), 'fairdesk-measure-'));
  const pglite = await PGlite.create(join(dir, 'pg'), { parsers: { 1082: (value: string) => value } });
  db = new Kysely<DB>({ dialect: new PGliteDialect(pglite), log });
  cleanup = async () => {
    await db.destroy();
    await pglite.close();
    await rm(dir, { recursive: true, force: true });
  };
}

try {
  await migrateToLatest(db as Kysely<unknown>);
  const { tenant } = await createTenant(db, { name: 'Measure', slug: 'measure', actor: 'measure' });
  const scope = { db, tenantId: tenant.id, actor: 'measure' };
  for (const pass of once ? ['first'] : ['first', 'second']) {
    stats.clear();
    const started = performance.now();
    const cpu = process.cpuUsage();
    const result = await importFile(scope, { kind, path: file });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    const { records, imported, updated, skipped, rejected } = result;
    console.log(`${url ? 'PostgreSQL' : 'PGlite'} ${pass} import: ${records} records in ${seconds.toFixed(1)} s = ${Math.round(records / seconds)} records/s (${imported} imported, ${updated} updated, ${skipped} skipped, ${rejected} rejected); this process's CPU ${cpuSeconds.toFixed(1)} s; peak RSS so far ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
    if (profile) {
      const rows = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms);
      const total = rows.reduce((s, [, v]) => s + v.ms, 0);
      const count = rows.reduce((s, [, v]) => s + v.n, 0);
      console.log(`  ${count} statements (${(count / records).toFixed(1)} per record), ${(total / 1000).toFixed(1)} s in the database`);
      for (const [shape, v] of rows.slice(0, 25)) console.log(`  ${String(v.n).padStart(7)} ${(v.ms / 1000).toFixed(1).padStart(6)} s  ${shape}`);
    }
  }
  const audit = await verifyAuditLog(db, { tenantIds: [tenant.id], trustedKeys: [] });
  const rows = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).where('tenant_id', '=', tenant.id).executeTakeFirstOrThrow();
  console.log(`audit chain of ${rows.n} rows: ${audit.ok ? 'intact' : JSON.stringify(audit.tenants)}`);
} finally {
  await cleanup();
}
