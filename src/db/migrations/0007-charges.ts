import { sql, type Kysely } from 'kysely';

/**
 * The embedded billing ledger: every renewal charge and every refund of one, each also mirrored as a
 * spend entry (the charter's one source of a customer's spend). Amounts are positive minor units;
 * `kind` says which way the money went. Idempotent on (tenant_id, external_id), so a repeated billing
 * run or reconciliation never charges or refunds twice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table charges (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      subscription_id uuid not null,
      customer_id uuid not null,
      kind text not null check (kind in ('charge', 'refund')),
      amount_minor bigint not null check (amount_minor >= 0),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      period_start timestamptz,
      period_end timestamptz,
      at timestamptz not null,
      external_id text not null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, subscription_id) references subscriptions (tenant_id, id),
      foreign key (tenant_id, customer_id) references customers (tenant_id, id)
    );
    create unique index charges_tenant_external_id on charges (tenant_id, external_id);
    create index charges_tenant_subscription_at on charges (tenant_id, subscription_id, at);
    create index charges_tenant_customer_at on charges (tenant_id, customer_id, at);
  `.execute(db);
}
