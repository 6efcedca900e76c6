import { sql, type Kysely } from 'kysely';

/**
 * The rest of the cancellation flow: how many API steps the customer took (the flow-health report's
 * "clicks"), when an attempt ended without a cancellation (withdrawn, offer accepted, reversed), and
 * single-use reversal tokens for cancellations made on the logged-out route (only the hash is kept).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table cancellations
      add column steps integer not null default 1 check (steps >= 1),
      add column ended_at timestamptz;
    create index cancellations_tenant_created on cancellations (tenant_id, created_at);

    create table cancellation_reversals (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      cancellation_id uuid not null,
      token_hash text not null,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, cancellation_id) references cancellations (tenant_id, id)
    );
    create unique index cancellation_reversals_tenant_token on cancellation_reversals (tenant_id, token_hash);
    create index cancellation_reversals_tenant_cancellation on cancellation_reversals (tenant_id, cancellation_id);
  `.execute(db);
}
