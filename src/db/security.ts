import { sql, type Kysely } from 'kysely';
import { APP_ROLE, APPEND_ONLY_TABLES, GLOBAL_TABLES, TENANT_SETTING, WORKER_ROLE } from './tables.ts';

/**
 * Makes row-level security hold for every tenant table, including ones a later migration adds:
 * creates the two roles (NOSUPERUSER, NOBYPASSRLS), ENABLEs and FORCEs RLS, adds the tenant
 * policy and grants. Idempotent; runs after migrations at every start.
 */
export async function secureSchema(db: Kysely<unknown>): Promise<void> {
  if (await isSecured(db)) return;
  // Several servers starting at once on one database (docs/scaling.md): one applies the DDL under a
  // transaction-scoped advisory lock, the others wait and then find nothing to do.
  await db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(${SECURE_LOCK[0]}, ${SECURE_LOCK[1]})`.execute(tx);
    if (!(await isSecured(tx))) await applySecurity(tx);
  });
}

/** The advisory lock key securing takes (Fairdesk's lock space, then 1). */
const SECURE_LOCK = [0x46445348, 1] as const;

async function applySecurity(db: Kysely<unknown>): Promise<void> {
  for (const role of [APP_ROLE, WORKER_ROLE]) {
    // Roles are cluster-wide: parallel test databases may race to create the same one.
    await sql
      .raw(
        `do $$ begin
           if not exists (select 1 from pg_roles where rolname = '${role}') then
             create role ${role} nologin nosuperuser nobypassrls;
           end if;
           if not pg_has_role(current_user, '${role}', 'member') then
             execute format('grant ${role} to %I', current_user);
           end if;
         exception when duplicate_object or unique_violation then null;
         end $$`,
      )
      .execute(db);
  }

  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(db);
  const globals = new Set<string>(GLOBAL_TABLES);
  const appendOnly = new Set<string>(APPEND_ONLY_TABLES);

  await sql.raw(`grant usage on schema public to ${APP_ROLE}, ${WORKER_ROLE}`).execute(db);
  for (const { table_name: table } of rows) {
    if (globals.has(table)) continue;
    const policy = `${table}_tenant_isolation`;
    await sql
      .raw(
        `alter table ${table} enable row level security;
         alter table ${table} force row level security;
         ${appendOnly.has(table) ? `grant select, insert on ${table} to ${APP_ROLE}; revoke update, delete, truncate on ${table} from ${APP_ROLE};` : `grant select, insert, update, delete on ${table} to ${APP_ROLE};`}
         do $$ begin
           if not exists (select 1 from pg_policies where schemaname = 'public' and tablename = '${table}' and policyname = '${policy}') then
             create policy ${policy} on ${table} to ${APP_ROLE}
               using (tenant_id = nullif(current_setting('${TENANT_SETTING}', true), '')::uuid)
               with check (tenant_id = nullif(current_setting('${TENANT_SETTING}', true), '')::uuid);
           end if;
         end $$;`,
      )
      .execute(db);
  }

  // The worker sees the outbox of every tenant to claim due jobs; it runs each job as APP_ROLE.
  await sql
    .raw(
      `grant select, update on outbox to ${WORKER_ROLE};
       do $$ begin
         if not exists (select 1 from pg_policies where schemaname = 'public' and tablename = 'outbox' and policyname = 'outbox_worker_claim') then
           create policy outbox_worker_claim on outbox to ${WORKER_ROLE} using (true) with check (true);
         end if;
       end $$;
       grant select on tenants to ${APP_ROLE};`,
    )
    .execute(db);
}

/**
 * One cheap query that says whether there is anything to do: both roles exist, every tenant
 * table already has RLS forced and its policy, and APP_ROLE cannot change an append-only table.
 * Spares every start of an up-to-date store the DDL.
 */
async function isSecured(db: Kysely<unknown>): Promise<boolean> {
  const globals = GLOBAL_TABLES.map((t) => `'${t}'`).join(', ');
  const appendOnly = APPEND_ONLY_TABLES.map((t) => `'${t}'`).join(', ');
  const { rows } = await sql
    .raw<{ roles: number; unsecured: number; worker_policy: number; mutable: number }>(
      `select
         (select count(*)::int from pg_roles where rolname in ('${APP_ROLE}', '${WORKER_ROLE}')) as roles,
         (select count(*)::int from pg_class c
            where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and c.relname not in (${globals})
              and not (c.relrowsecurity and c.relforcerowsecurity
                       and exists (select 1 from pg_policies p where p.schemaname = 'public' and p.tablename = c.relname
                                   and p.policyname = c.relname || '_tenant_isolation'))) as unsecured,
         (select count(*)::int from pg_policies where schemaname = 'public' and tablename = 'outbox' and policyname = 'outbox_worker_claim') as worker_policy,
         (select count(*)::int from pg_roles r, pg_class c
            where r.rolname = '${APP_ROLE}' and c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and c.relname in (${appendOnly})
              and (has_any_column_privilege(r.oid, c.oid, 'UPDATE') or has_table_privilege(r.oid, c.oid, 'DELETE')
                   or has_table_privilege(r.oid, c.oid, 'TRUNCATE') or not has_table_privilege(r.oid, c.oid, 'INSERT'))) as mutable`,
    )
    .execute(db);
  const r = rows[0];
  return r !== undefined && r.roles === 2 && r.unsecured === 0 && r.worker_policy === 1 && r.mutable === 0;
}
