import { sql, type Kysely } from 'kysely';

/**
 * Notices before the fact (issue 6, item 11): announced plan price changes, trials, and the record of
 * every notice sent — unique per subscription, kind and period, so each is sent exactly once however
 * often the notice job or the billing run looks.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table subscriptions add column trial_ends_at timestamptz;

    create table price_changes (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      plan_id uuid not null,
      price_minor bigint not null check (price_minor >= 0),
      effective_at timestamptz not null,
      reason text not null,
      announced_at timestamptz not null,
      announced_by text not null,
      -- When the plan's list price became the new one (the notice job does it once effective).
      applied_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, plan_id) references plans (tenant_id, id)
    );
    create index price_changes_tenant_plan_effective on price_changes (tenant_id, plan_id, effective_at);

    create table notices (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      subscription_id uuid not null,
      customer_id uuid not null,
      kind text not null check (kind in ('price_change', 'annual_reminder', 'trial_reminder')),
      -- Which occurrence: the price change's id, the renewal or anniversary, the trial's end.
      period_key text not null,
      price_change_id uuid,
      sent_at timestamptz not null,
      -- The address it went to; null when the customer has no e-mail on file (recorded, not sent).
      to_address text,
      subject text not null,
      figures jsonb not null,
      email_job_id uuid,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, subscription_id) references subscriptions (tenant_id, id),
      foreign key (tenant_id, customer_id) references customers (tenant_id, id),
      foreign key (tenant_id, price_change_id) references price_changes (tenant_id, id)
    );
    create unique index notices_tenant_subscription_kind_period on notices (tenant_id, subscription_id, kind, period_key);
  `.execute(db);
}
