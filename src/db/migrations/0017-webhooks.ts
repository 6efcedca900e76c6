import { sql, type Kysely } from 'kysely';

/**
 * Signed webhooks (issue 10, item 1).
 *
 * `webhook_endpoints`: a tenant's receivers, each with an event filter (`*` or event kinds) and its
 * signing secret (`whsec_…`, kept readable because every delivery is signed with it; after a rotation
 * the previous secret also signs until `previous_secret_expires_at`, so receivers can switch over).
 *
 * `webhook_deliveries`: one row per (event, endpoint) — the unique index makes a second fan-out of the
 * same event a no-op — holding the exact body sent, so every retry and replay sends the same bytes under
 * the same `webhook-id`. `webhook_delivery_attempts`: the log, one row per HTTP attempt.
 * Deleting an endpoint deletes its log with it (the audit log keeps that it existed).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table webhook_endpoints (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      url text not null,
      description text,
      events text[] not null check (cardinality(events) > 0),
      enabled boolean not null default true,
      secret text not null check (secret like 'whsec_%'),
      previous_secret text,
      previous_secret_expires_at timestamptz,
      secret_rotated_at timestamptz,
      created_by text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      check ((previous_secret is null) = (previous_secret_expires_at is null))
    );

    create table webhook_deliveries (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      endpoint_id uuid not null,
      event_id uuid not null,
      event_type text not null,
      body text not null,
      status text not null default 'pending' check (status in ('pending', 'retrying', 'succeeded', 'failed')),
      attempts int not null default 0,
      last_status_code int,
      last_error text,
      last_attempt_at timestamptz,
      succeeded_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, endpoint_id) references webhook_endpoints (tenant_id, id) on delete cascade
    );
    create unique index webhook_deliveries_tenant_endpoint_event on webhook_deliveries (tenant_id, endpoint_id, event_id);
    create index webhook_deliveries_tenant_endpoint_id on webhook_deliveries (tenant_id, endpoint_id, id);

    create table webhook_delivery_attempts (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      delivery_id uuid not null,
      job_id uuid not null,
      replay boolean not null default false,
      at timestamptz not null,
      duration_ms int not null check (duration_ms >= 0),
      status_code int,
      error text,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, delivery_id) references webhook_deliveries (tenant_id, id) on delete cascade,
      check (status_code is not null or error is not null)
    );
    create index webhook_delivery_attempts_tenant_delivery on webhook_delivery_attempts (tenant_id, delivery_id, id);
  `.execute(db);
}
