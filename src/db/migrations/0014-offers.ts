import { sql, type Kysely } from 'kysely';

/**
 * Fair offers (issue 7): each product's fit as published versions (like the charter), campaigns,
 * every offer with the gate decision it was made under (inputs, version, reasons), and the outcomes
 * recorded after a sale (complaints, refunds and cancellations reported from elsewhere).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table product_fits (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      product_id uuid not null,
      version integer not null check (version > 0),
      source text not null,
      fit jsonb not null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, product_id) references products (tenant_id, id)
    );
    create unique index product_fits_tenant_product_version on product_fits (tenant_id, product_id, version);

    create table campaigns (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      name text not null,
      product_ids uuid[] not null,
      audience jsonb not null,
      situation text not null,
      owner_id uuid not null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, owner_id) references agents (tenant_id, id)
    );
    create unique index campaigns_tenant_name on campaigns (tenant_id, name);

    create table offers (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      customer_id uuid not null,
      product_id uuid not null,
      plan_id uuid,
      fit_version integer,
      conversation_id uuid,
      campaign_id uuid,
      cancellation_id uuid,
      agent_id uuid,
      status text not null check (status in ('refused', 'presented', 'awaiting_extra_care', 'accepted', 'declined')),
      decision jsonb not null,
      inputs jsonb not null,
      value_minor bigint,
      currency text,
      stated_need text,
      presented_at timestamptz not null default now(),
      lead_reviewed_at timestamptz,
      lead_reviewed_by text,
      key_facts_read_at timestamptz,
      decided_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, customer_id) references customers (tenant_id, id),
      foreign key (tenant_id, product_id) references products (tenant_id, id),
      foreign key (tenant_id, conversation_id) references conversations (tenant_id, id),
      foreign key (tenant_id, campaign_id) references campaigns (tenant_id, id),
      foreign key (tenant_id, agent_id) references agents (tenant_id, id)
    );
    create index offers_tenant_customer_product on offers (tenant_id, customer_id, product_id, presented_at);
    create index offers_tenant_status_decided on offers (tenant_id, status, decided_at);
    create index offers_tenant_cancellation on offers (tenant_id, cancellation_id) where cancellation_id is not null;

    create table offer_outcomes (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      offer_id uuid not null,
      kind text not null check (kind in ('complaint', 'refund', 'cancellation')),
      upheld boolean,
      at timestamptz not null,
      note text,
      recorded_by text not null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, offer_id) references offers (tenant_id, id)
    );
    create index offer_outcomes_tenant_offer on offer_outcomes (tenant_id, offer_id);
  `.execute(db);
}
