import { CompiledQuery, type Kysely } from 'kysely';
import { BOOKKEEPING_TABLES, countRows, listTables, migrationLevel, quoteIdent, type TableInfo } from '../db/inventory.ts';
import type { Store } from '../db/store.ts';

export interface MigrateStoreOptions {
  /** Copy although the target already holds tenants; rows whose key is already there are left as they are. */
  force?: boolean;
  /** Rows per read and per insert statement (fewer when a table has many columns). */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface TableCopy {
  table: string;
  source: number;
  copied: number;
  skipped: number;
  target: number;
}

export interface MigrateStoreResult {
  migration: string | null;
  tables: TableCopy[];
  rows: number;
  seconds: number;
  ok: boolean;
}

type AnyDb = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- generic over schemas

/** PostgreSQL's limit on bind parameters per statement is 65,535. */
const MAX_PARAMETERS = 60_000;

/**
 * Copies every table of one store into another (in practice: an embedded data folder into a
 * PostgreSQL database), both already migrated to the same level. Tables are found in the catalog
 * and copied parents first; each value travels as PostgreSQL's own text form (`col::text` out,
 * an untyped parameter in, parsed by the column's type), so timestamps keep their microseconds,
 * numerics their digits and JSON its exact shape. The whole copy is one transaction on the target,
 * which also checks the row counts per table before it commits: a failure leaves the target as it was.
 *
 * The target role must be allowed to bypass row-level security (a superuser or BYPASSRLS role):
 * every tenant table FORCEs it, and rows of all tenants are written at once. The append-only
 * tables (audit log, checkpoints, consents) forbid update and delete only, so inserting is allowed.
 */
export async function migrateStore(source: Store, target: Store, options: MigrateStoreOptions = {}): Promise<MigrateStoreResult> {
  const started = performance.now();
  const batchSize = options.batchSize ?? 1000;
  const sourceLevel = await migrationLevel(source.db);
  const targetLevel = await migrationLevel(target.db);
  if (sourceLevel !== targetLevel) throw new Error(`the stores are at different migrations (source ${sourceLevel}, target ${targetLevel}); run the same Fairdesk on both`);

  const [role] = (
    await target.db.executeQuery<{ ok: boolean; name: string }>(
      CompiledQuery.raw(`select (rolsuper or rolbypassrls) as ok, rolname as name from pg_roles where rolname = current_user`),
    )
  ).rows;
  if (!role?.ok) {
    throw new Error(
      `the target role ${role?.name ?? '(unknown)'} may not bypass row-level security; connect as the database owner with BYPASSRLS ` +
        '(ALTER ROLE … BYPASSRLS) or as a superuser for the copy, then run Fairdesk as its usual role',
    );
  }
  const [tenants] = (await target.db.executeQuery<{ n: string }>(CompiledQuery.raw(`select count(*)::text as n from tenants`))).rows;
  if (Number(tenants?.n ?? 0) > 0 && !options.force) {
    throw new Error(`the target already holds ${tenants?.n} tenant(s); copy into an empty database, or pass --force to add to it (rows already there are kept)`);
  }

  const skip = new Set<string>(BOOKKEEPING_TABLES);
  const tables = (await listTables(source.db)).filter((t) => !skip.has(t.name));
  const targetTables = new Map((await listTables(target.db)).map((t) => [t.name, t]));
  for (const t of tables) {
    const other = targetTables.get(t.name);
    if (!other) throw new Error(`the target has no table ${t.name}`);
    const missing = t.columns.filter((c) => !other.columns.includes(c));
    if (missing.length) throw new Error(`the target's ${t.name} lacks the column(s) ${missing.join(', ')}`);
  }
  const sourceCounts = await countRows(source.db, tables.map((t) => t.name));
  const total = Object.values(sourceCounts).reduce((a, b) => a + b, 0);

  const copies = await target.db.transaction().execute(async (tx) => {
    const before = await countRows(tx, tables.map((t) => t.name));
    const result: TableCopy[] = [];
    let done = 0;
    options.onProgress?.(0, total);
    for (const table of tables) {
      const { copied, read } = await copyTable(source.db, tx, table, batchSize, Boolean(options.force), (n) => {
        done += n;
        options.onProgress?.(done, total);
      });
      result.push({ table: table.name, source: read, copied, skipped: read - copied, target: 0 });
    }
    await resetSequences(tx);
    const after = await countRows(tx, tables.map((t) => t.name));
    for (const r of result) {
      r.target = after[r.table] ?? 0;
      const expected = (before[r.table] ?? 0) + r.copied;
      if (r.source !== sourceCounts[r.table] || r.target !== expected) {
        throw new Error(`${r.table}: read ${r.source} of ${sourceCounts[r.table]} rows, the target has ${r.target} where ${expected} were expected; nothing was copied`);
      }
    }
    return result;
  });
  return { migration: sourceLevel, tables: copies, rows: total, seconds: (performance.now() - started) / 1000, ok: true };
}

/** Reads a table in primary-key order (keyset paging) and inserts each batch into the target. */
async function copyTable(from: AnyDb, to: AnyDb, table: TableInfo, batchSize: number, force: boolean, progress: (n: number) => void): Promise<{ read: number; copied: number }> {
  const columns = table.columns;
  const perStatement = Math.max(1, Math.min(batchSize, Math.floor(MAX_PARAMETERS / columns.length)));
  const key = table.primaryKey.length ? table.primaryKey : columns;
  const keyIndexes = key.map((k) => columns.indexOf(k));
  const select = columns.map((c) => `${quoteIdent(c)}::text as ${quoteIdent(c)}`).join(', ');
  const order = key.map(quoteIdent).join(', ');
  const keyTuple = `(${order})`;
  const conflict = force ? ' on conflict do nothing' : '';
  let last: (string | null)[] | null = null;
  let read = 0;
  let copied = 0;
  for (;;) {
    const where: string = last ? ` where ${keyTuple} > (${key.map((_, i) => `$${i + 1}`).join(', ')})` : '';
    const batch: Record<string, string | null>[] = (
      await from.executeQuery<Record<string, string | null>>(
        CompiledQuery.raw(`select ${select} from ${quoteIdent(table.name)}${where} order by ${order} limit ${perStatement}`, last ?? []),
      )
    ).rows;
    if (batch.length === 0) break;
    const values: (string | null)[] = [];
    const tuples = batch.map((row, r) => {
      for (const c of columns) values.push(row[c] ?? null);
      return `(${columns.map((_, i) => `$${r * columns.length + i + 1}`).join(', ')})`;
    });
    const inserted = await to.executeQuery(
      CompiledQuery.raw(`insert into ${quoteIdent(table.name)} (${columns.map(quoteIdent).join(', ')}) values ${tuples.join(', ')}${conflict}`, values),
    );
    copied += Number(inserted.numAffectedRows ?? 0n);
    read += batch.length;
    progress(batch.length);
    const lastRow: Record<string, string | null> = batch.at(-1)!;
    last = keyIndexes.map((i): string | null => lastRow[columns[i]!] ?? null);
    if (batch.length < perStatement) break;
  }
  return { read, copied };
}

/** Serial and identity columns: move each sequence past the largest value copied. */
async function resetSequences(tx: AnyDb): Promise<void> {
  const { rows } = await tx.executeQuery<{ table_name: string; column_name: string; seq: string }>(
    CompiledQuery.raw(
      `select table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name) as seq
         from information_schema.columns
        where table_schema = 'public' and pg_get_serial_sequence(quote_ident(table_name), column_name) is not null`,
    ),
  );
  for (const r of rows) {
    await tx.executeQuery(
      CompiledQuery.raw(`select setval('${r.seq.replace(/'/g, "''")}', coalesce((select max(${quoteIdent(r.column_name)}) from ${quoteIdent(r.table_name)}), 0) + 1, false)`),
    );
  }
}
