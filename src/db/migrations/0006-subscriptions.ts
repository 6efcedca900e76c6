import { sql, type Kysely } from 'kysely';

/**
 * Subscriptions and fair cancellation: the catalog (products and their plans), customers'
 * subscriptions with their price history, usage events (kept so a customer's months aggregate fast)
 * and cancellation attempts, each holding the domain state machine's state as it was last applied.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table products (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      name text not null,
      description text,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id)
    );

    create table plans (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      product_id uuid not null,
      name text not null,
      price_minor bigint not null check (price_minor >= 0),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      interval text not null check (interval in ('month', 'year')),
      features text[] not null default '{}',
      limits jsonb not null default '{}',
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, product_id) references products (tenant_id, id)
    );
    create index plans_tenant_product on plans (tenant_id, product_id);

    create table subscriptions (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      customer_id uuid not null,
      plan_id uuid not null,
      status text not null check (status in ('trialing', 'active', 'paused', 'cancelled')),
      current_period_start timestamptz not null,
      current_period_end timestamptz not null,
      price_history jsonb not null,
      renews_at timestamptz,
      started_at timestamptz not null,
      reference text not null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, customer_id) references customers (tenant_id, id),
      foreign key (tenant_id, plan_id) references plans (tenant_id, id),
      check (current_period_end > current_period_start)
    );
    create unique index subscriptions_tenant_reference on subscriptions (tenant_id, reference);
    create index subscriptions_tenant_customer on subscriptions (tenant_id, customer_id);

    -- Usage units are feature names (see the cancellation domain); quantities are whole units.
    create table usage_events (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      customer_id uuid not null,
      unit text not null,
      quantity bigint not null check (quantity > 0),
      at timestamptz not null,
      external_id text not null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, customer_id) references customers (tenant_id, id)
    );
    create unique index usage_events_tenant_external_id on usage_events (tenant_id, external_id);
    create index usage_events_tenant_customer_at on usage_events (tenant_id, customer_id, at);

    create table cancellations (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      subscription_id uuid not null,
      state jsonb not null,
      status text not null,
      channel text not null,
      reason text,
      timing text not null check (timing in ('period_end', 'immediate')),
      shown jsonb,
      effective_at timestamptz,
      refund_minor bigint,
      reference text not null,
      created_at timestamptz not null default now(),
      confirmed_at timestamptz,
      primary key (tenant_id, id),
      foreign key (tenant_id, subscription_id) references subscriptions (tenant_id, id)
    );
    create unique index cancellations_tenant_reference on cancellations (tenant_id, reference);
    create index cancellations_tenant_subscription on cancellations (tenant_id, subscription_id);
  `.execute(db);
}
