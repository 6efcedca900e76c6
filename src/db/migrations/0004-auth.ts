import { sql, type Kysely } from 'kysely';

/**
 * Sign-in: agent passwords (argon2id), sessions for agents and customers (only hashes of the
 * tokens are stored), single-use magic links for the portal, scoped API tokens, and a log of who
 * read which customer's record.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table agents add column password_hash text;

    alter table api_tokens
      add column scopes text[] not null default '{*}',
      add column created_by text not null default 'system';

    create table sessions (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      token_hash text not null,
      kind text not null check (kind in ('agent', 'customer')),
      agent_id uuid,
      customer_id uuid,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null,
      revoked_at timestamptz,
      user_agent text,
      primary key (tenant_id, id),
      foreign key (tenant_id, agent_id) references agents (tenant_id, id),
      foreign key (tenant_id, customer_id) references customers (tenant_id, id),
      check ((kind = 'agent') = (agent_id is not null) and (kind = 'customer') = (customer_id is not null))
    );
    create unique index sessions_tenant_token on sessions (tenant_id, token_hash);
    create index sessions_tenant_agent on sessions (tenant_id, agent_id) where revoked_at is null;

    create table magic_links (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      token_hash text not null,
      customer_id uuid not null,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, customer_id) references customers (tenant_id, id)
    );
    create unique index magic_links_tenant_token on magic_links (tenant_id, token_hash);

    create table record_reads (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      at timestamptz not null default now(),
      actor text not null,
      customer_id uuid not null,
      what text not null,
      primary key (tenant_id, id)
    );
    create index record_reads_tenant_customer on record_reads (tenant_id, customer_id, at);
  `.execute(db);
}
