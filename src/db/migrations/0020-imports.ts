import { sql, type Kysely } from 'kysely';

/**
 * Importers (issue 10, item 2).
 *
 * `import_runs` is one run of `fairdesk import KIND FILE` (or POST /imports/{kind}): the file's
 * SHA-256, how many records are committed (`checkpoint`, written in the same transaction as each
 * batch, so a re-run after a crash continues exactly there) and the running summary.
 *
 * `external_refs` maps a record of another system (source `zendesk`, kind `ticket`, id `123`) to the
 * Fairdesk row made from it, with a fingerprint of what was imported: importing the same file again
 * finds every record and changes nothing.
 *
 * GIN indexes on customers' e-mails and phones: the customer importers match on them row by row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table import_runs (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      kind text not null check (kind in ('zendesk', 'customers-csv', 'transcripts', 'usage', 'billing')),
      source_name text not null,
      file_sha256 text not null check (file_sha256 ~ '^[0-9a-f]{64}$'),
      status text not null check (status in ('running', 'completed')),
      checkpoint int not null default 0,
      summary jsonb not null,
      actor text not null,
      started_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      finished_at timestamptz,
      primary key (tenant_id, id)
    );
    create index import_runs_tenant_file on import_runs (tenant_id, kind, file_sha256, status);

    create table external_refs (
      tenant_id uuid not null references tenants (id),
      source text not null,
      kind text not null,
      external_id text not null,
      entity_id uuid not null,
      fingerprint text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, source, kind, external_id)
    );

    create index customers_emails on customers using gin (emails);
    create index customers_phones on customers using gin (phones);
  `.execute(db);
}
