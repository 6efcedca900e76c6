import { CompiledQuery, type Kysely } from 'kysely';
import { migrations } from './migrations/index.ts';

/** Migration bookkeeping: written by the migrator on each store, never copied between stores. */
export const BOOKKEEPING_TABLES = ['kysely_migration', 'kysely_migration_lock'] as const;

/** A table as the copy sees it: the columns it can insert (not generated ones) and its primary key. */
export interface TableInfo {
  name: string;
  columns: string[];
  primaryKey: string[];
}

type AnyDb = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- generic over schemas

async function rows<R>(db: AnyDb, sqlText: string, parameters: unknown[] = []): Promise<R[]> {
  return (await db.executeQuery<R>(CompiledQuery.raw(sqlText, parameters))).rows;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Every base table of the public schema, parents before children (by foreign keys), so a copy in
 * this order never inserts a row before the row it points at. Read from the catalog, not from a
 * list in the code, so tables added by later migrations are covered without changes here.
 */
export async function listTables(db: AnyDb): Promise<TableInfo[]> {
  const tables = await rows<{ table_name: string }>(
    db,
    `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const columns = await rows<{ table_name: string; column_name: string }>(
    db,
    `select table_name, column_name from information_schema.columns
      where table_schema = 'public' and is_generated = 'NEVER' order by table_name, ordinal_position`,
  );
  const keys = await rows<{ table_name: string; column_name: string }>(
    db,
    `select kcu.table_name, kcu.column_name from information_schema.table_constraints tc
       join information_schema.key_column_usage kcu
         on kcu.constraint_schema = tc.constraint_schema and kcu.constraint_name = tc.constraint_name and kcu.table_name = tc.table_name
      where tc.table_schema = 'public' and tc.constraint_type = 'PRIMARY KEY'
      order by kcu.table_name, kcu.ordinal_position`,
  );
  // pg_constraint rather than information_schema.constraint_column_usage, which shows only tables the user owns.
  const references = await rows<{ child: string; parent: string }>(
    db,
    `select c.relname as child, p.relname as parent from pg_constraint k
       join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
      where k.contype = 'f' and k.connamespace = 'public'::regnamespace`,
  );
  const infos = new Map<string, TableInfo>();
  for (const { table_name } of tables) infos.set(table_name, { name: table_name, columns: [], primaryKey: [] });
  for (const c of columns) infos.get(c.table_name)?.columns.push(c.column_name);
  for (const k of keys) infos.get(k.table_name)?.primaryKey.push(k.column_name);

  // Kahn's algorithm; a table's own self-reference does not hold it back (its rows go in key order).
  const parents = new Map<string, Set<string>>([...infos.keys()].map((t) => [t, new Set<string>()]));
  for (const r of references) if (r.child !== r.parent && infos.has(r.parent)) parents.get(r.child)?.add(r.parent);
  const ordered: TableInfo[] = [];
  const placed = new Set<string>();
  while (placed.size < infos.size) {
    const ready = [...infos.keys()].filter((t) => !placed.has(t) && [...parents.get(t)!].every((p) => placed.has(p)));
    if (ready.length === 0) {
      const stuck = [...infos.keys()].filter((t) => !placed.has(t));
      throw new Error(`foreign keys form a cycle between ${stuck.join(', ')}; cannot order the copy`);
    }
    for (const t of ready) {
      placed.add(t);
      ordered.push(infos.get(t)!);
    }
  }
  return ordered;
}

/** Rows per table (every base table of the public schema), read in the caller's transaction or session. */
export async function countRows(db: AnyDb, tables?: string[]): Promise<Record<string, number>> {
  const names = tables ?? (await listTables(db)).map((t) => t.name);
  const counts: Record<string, number> = {};
  for (const name of [...names].sort()) {
    const [row] = await rows<{ n: string | number | bigint }>(db, `select count(*)::text as n from ${quoteIdent(name)}`);
    counts[name] = Number(row?.n ?? 0);
  }
  return counts;
}

/** The last migration the store has applied, or null for an empty database. */
export async function migrationLevel(db: AnyDb): Promise<string | null> {
  const [row] = await rows<{ name: string }>(
    db,
    `select name from kysely_migration where exists (select 1 from information_schema.tables where table_name = 'kysely_migration') order by name desc limit 1`,
  ).catch(() => []);
  return row?.name ?? null;
}

/** The last migration this build of Fairdesk knows. */
export function latestMigration(): string {
  return Object.keys(migrations).sort().at(-1)!;
}
