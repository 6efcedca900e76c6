import { sql, type Kysely } from 'kysely';

/**
 * The service charter: immutable published versions, spend entries (the one source of a customer's
 * value), exceptions, SLA clocks kept on each conversation, root-cause cases and closure requests.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table charter_versions (
      tenant_id uuid not null references tenants (id),
      version int not null,
      source text not null,
      document jsonb not null,
      effective_at timestamptz not null,
      change_note text,
      published_at timestamptz not null default now(),
      published_by text not null,
      primary key (tenant_id, version)
    );
    -- A published version is a promise: nothing may change or remove it, whoever asks.
    create function forbid_change() returns trigger language plpgsql as $$
    begin
      raise exception '% rows are append-only', tg_table_name using errcode = '42501';
    end $$;
    create trigger charter_versions_immutable before update or delete on charter_versions
      for each row execute function forbid_change();

    create table spend_entries (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      customer_id uuid not null,
      amount_minor bigint not null,
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      at timestamptz not null,
      source text not null,
      external_id text not null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, customer_id) references customers (tenant_id, id)
    );
    create unique index spend_entries_tenant_external_id on spend_entries (tenant_id, external_id);
    create index spend_entries_tenant_customer_at on spend_entries (tenant_id, customer_id, at);

    create table charter_exceptions (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      customer_id uuid not null,
      what text not null,
      reason text not null,
      approver_id uuid not null,
      expires_at timestamptz not null,
      created_by text not null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, customer_id) references customers (tenant_id, id),
      foreign key (tenant_id, approver_id) references agents (tenant_id, id)
    );
    create index charter_exceptions_tenant_customer on charter_exceptions (tenant_id, customer_id);

    alter table customers add column customer_since date, add column closed_at timestamptz;

    -- Fair routing assigns within a team to available agents, up to each agent's cap.
    alter table agents
      add column available boolean not null default true,
      add column max_open int not null default 20 check (max_open > 0);
    -- Where round-robin assignment continues next time, per team.
    alter table teams add column route_cursor int not null default 0;

    alter table conversations
      add column kind text not null default 'customer' check (kind in ('customer', 'root_cause')),
      add column resolved_at timestamptz,
      add column charter_version int,
      add column tier text,
      add column opened_spend_minor bigint,
      add column first_response_due_at timestamptz,
      add column resolution_due_at timestamptz,
      add column min_first_response_due_at timestamptz,
      add column min_resolution_due_at timestamptz,
      add column first_response_business_minutes int,
      add column sla_state text check (sla_state in ('on_track', 'at_risk', 'breached', 'met'));
    create index conversations_tenant_sla on conversations (tenant_id, sla_state, id) where sla_state in ('on_track', 'at_risk');
    create index conversations_tenant_created on conversations (tenant_id, created_at);

    create table conversation_links (
      tenant_id uuid not null references tenants (id),
      case_id uuid not null,
      conversation_id uuid not null,
      primary key (tenant_id, case_id, conversation_id),
      foreign key (tenant_id, case_id) references conversations (tenant_id, id),
      foreign key (tenant_id, conversation_id) references conversations (tenant_id, id)
    );

    create table customer_closures (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      customer_id uuid not null,
      reason text not null,
      note text,
      state text not null check (state in ('awaiting_approval', 'approved', 'rejected')),
      requested_by text not null,
      lead_approver_id uuid,
      compliance_approver_id uuid,
      created_at timestamptz not null default now(),
      decided_at timestamptz,
      primary key (tenant_id, id),
      foreign key (tenant_id, customer_id) references customers (tenant_id, id)
    );
  `.execute(db);
}
