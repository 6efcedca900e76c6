import { sql, type Kysely } from 'kysely';

/**
 * The helpdesk core: tenants and tokens (global), then tenant data whose primary keys all lead
 * with tenant_id, so the same schema can be distributed by tenant on Citus.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table tenants (
      id uuid primary key,
      slug text not null unique,
      name text not null,
      created_at timestamptz not null default now()
    );

    create table api_tokens (
      token_hash text primary key,
      id uuid not null unique,
      tenant_id uuid not null references tenants (id),
      name text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz,
      revoked_at timestamptz
    );

    create table teams (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      name text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id)
    );
    create unique index teams_tenant_name on teams (tenant_id, lower(name));

    create table agents (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      name text not null,
      email text not null,
      role text not null check (role in ('agent', 'lead', 'compliance', 'admin')),
      team_id uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, team_id) references teams (tenant_id, id)
    );
    create unique index agents_tenant_email on agents (tenant_id, lower(email));

    create table customers (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      name text not null,
      emails text[] not null default '{}',
      phones text[] not null default '{}',
      external_id text,
      time_zone text,
      locale text,
      attributes jsonb not null default '{}',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id)
    );
    create unique index customers_tenant_external_id on customers (tenant_id, external_id) where external_id is not null;

    create table conversations (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      customer_id uuid not null,
      channel text not null check (channel in ('email', 'chat', 'phone', 'portal', 'social')),
      subject text not null,
      severity text not null default 'normal',
      status text not null default 'open' check (status in ('open', 'pending', 'resolved', 'closed')),
      assignee_id uuid,
      team_id uuid,
      tags text[] not null default '{}',
      first_reply_at timestamptz,
      waiting_since timestamptz,
      last_customer_message_at timestamptz,
      listening jsonb,
      search tsvector not null default ''::tsvector,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, customer_id) references customers (tenant_id, id),
      foreign key (tenant_id, assignee_id) references agents (tenant_id, id),
      foreign key (tenant_id, team_id) references teams (tenant_id, id)
    );
    create index conversations_tenant_customer on conversations (tenant_id, customer_id, id);
    create index conversations_tenant_status on conversations (tenant_id, status, id);
    create index conversations_tenant_assignee on conversations (tenant_id, assignee_id, id);
    create index conversations_tags on conversations using gin (tags);
    create index conversations_search on conversations using gin (search);

    create table messages (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      conversation_id uuid not null,
      role text not null check (role in ('customer', 'agent', 'system')),
      author_id text,
      text text not null,
      visibility text not null default 'public' check (visibility in ('public', 'internal')),
      labels text[] not null default '{}',
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, conversation_id) references conversations (tenant_id, id)
    );
    create index messages_tenant_conversation on messages (tenant_id, conversation_id, id);

    create table audit_log (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      at timestamptz not null default now(),
      actor text not null,
      action text not null,
      entity_type text not null,
      entity_id text not null,
      fields text[] not null default '{}',
      primary key (tenant_id, id)
    );

    create table idempotency_keys (
      tenant_id uuid not null references tenants (id),
      route text not null,
      key text not null,
      request_hash text not null,
      state text not null check (state in ('in_flight', 'done')),
      response_status int,
      response_body jsonb,
      created_at timestamptz not null default now(),
      locked_until timestamptz not null,
      primary key (tenant_id, route, key)
    );

    create table outbox (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      kind text not null,
      payload jsonb not null,
      state text not null default 'pending' check (state in ('pending', 'done', 'dead')),
      attempts int not null default 0,
      run_after timestamptz not null default now(),
      last_error text,
      created_at timestamptz not null default now(),
      done_at timestamptz,
      primary key (tenant_id, id)
    );
    create index outbox_due on outbox (run_after) where state = 'pending';
  `.execute(db);
}
