import { sql, type Kysely } from 'kysely';

/**
 * Invoices and account credit in the embedded billing ledger (issue 6, item 1).
 *
 * - `invoices`: every charge belongs to one. A per-tenant, gap-free human number (`INV-000123`) is
 *   allocated from `invoice_sequences` inside the charging transaction (the counter row is locked until
 *   commit, so a rolled-back charge gives its number back). `total = subtotal - credit applied` = what was
 *   charged. Idempotent on `external_id` (the renewal key), like the charge.
 * - `invoice_lines`: the plan for the period (positive) and a credit applied (its own negative line).
 * - `credits`: account credit granted to a customer in one currency, with the reason.
 * - `credit_balances`: the credit still available per customer and currency; its row is the lock that
 *   keeps a grant and two billing runs from spending the same credit twice.
 * - `charges.invoice_id`: required for charges (a check), the invoice a refund gives money back on.
 *
 * Backfill: each existing charge gets an invoice (numbered per tenant in the order the money moved,
 * one plan line named after the subscription's current plan); each refund references the invoice of the
 * charge it refunds (`refund-of:<charge>`), else the subscription's latest invoice whose period started
 * at or before the refund's period (or time), else none.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table invoice_sequences (
      tenant_id uuid not null references tenants (id),
      last_number bigint not null check (last_number >= 0),
      primary key (tenant_id)
    );

    create table invoices (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      number bigint not null check (number >= 1),
      customer_id uuid not null,
      subscription_id uuid not null,
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      period_start timestamptz,
      period_end timestamptz,
      issued_at timestamptz not null,
      subtotal_minor bigint not null check (subtotal_minor >= 0),
      credit_applied_minor bigint not null default 0 check (credit_applied_minor >= 0),
      total_minor bigint not null check (total_minor >= 0 and total_minor = subtotal_minor - credit_applied_minor),
      external_id text not null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, customer_id) references customers (tenant_id, id),
      foreign key (tenant_id, subscription_id) references subscriptions (tenant_id, id)
    );
    create unique index invoices_tenant_number on invoices (tenant_id, number);
    create unique index invoices_tenant_external_id on invoices (tenant_id, external_id);
    create index invoices_tenant_customer_number on invoices (tenant_id, customer_id, number);
    create index invoices_tenant_subscription_period on invoices (tenant_id, subscription_id, period_start);

    create table invoice_lines (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      invoice_id uuid not null,
      position integer not null check (position >= 1),
      kind text not null check (kind in ('plan', 'credit')),
      description text not null,
      period_start timestamptz,
      period_end timestamptz,
      amount_minor bigint not null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, invoice_id) references invoices (tenant_id, id),
      check ((kind = 'plan' and amount_minor >= 0) or (kind = 'credit' and amount_minor < 0))
    );
    create unique index invoice_lines_tenant_invoice_position on invoice_lines (tenant_id, invoice_id, position);

    create table credits (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      customer_id uuid not null,
      amount_minor bigint not null check (amount_minor > 0),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      reason text not null,
      granted_by text not null,
      granted_at timestamptz not null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, customer_id) references customers (tenant_id, id)
    );
    create index credits_tenant_customer_granted on credits (tenant_id, customer_id, granted_at);

    create table credit_balances (
      tenant_id uuid not null references tenants (id),
      customer_id uuid not null,
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      balance_minor bigint not null check (balance_minor >= 0),
      primary key (tenant_id, customer_id, currency),
      foreign key (tenant_id, customer_id) references customers (tenant_id, id)
    );

    alter table charges add column invoice_id uuid;
    alter table charges add constraint charges_invoice_fk foreign key (tenant_id, invoice_id) references invoices (tenant_id, id);
    create index charges_tenant_invoice on charges (tenant_id, invoice_id);
  `.execute(db);

  // Backfill: one invoice per existing charge (its id is the charge's id, a UUIDv7), numbered per tenant.
  await sql`
    insert into invoices (tenant_id, id, number, customer_id, subscription_id, currency, period_start, period_end, issued_at,
                          subtotal_minor, credit_applied_minor, total_minor, external_id)
    select c.tenant_id, c.id, row_number() over (partition by c.tenant_id order by c.at, c.id), c.customer_id, c.subscription_id,
           c.currency, c.period_start, c.period_end, c.at, c.amount_minor, 0, c.amount_minor, c.external_id
    from charges c
    where c.kind = 'charge'
  `.execute(db);
  await sql`
    insert into invoice_lines (tenant_id, id, invoice_id, position, kind, description, period_start, period_end, amount_minor)
    select i.tenant_id, gen_random_uuid(), i.id, 1, 'plan', coalesce(p.name, 'Subscription'), i.period_start, i.period_end, i.subtotal_minor
    from invoices i
    join subscriptions s on s.tenant_id = i.tenant_id and s.id = i.subscription_id
    left join plans p on p.tenant_id = s.tenant_id and p.id = s.plan_id
  `.execute(db);
  await sql`update charges set invoice_id = id where kind = 'charge'`.execute(db);
  await sql`
    update charges r set invoice_id = c.invoice_id
    from charges c
    where r.kind = 'refund' and c.tenant_id = r.tenant_id and c.kind = 'charge' and r.external_id = 'refund-of:' || c.id::text
  `.execute(db);
  await sql`
    update charges r set invoice_id = (
      select i.id from invoices i
      where i.tenant_id = r.tenant_id and i.subscription_id = r.subscription_id
        and coalesce(i.period_start, i.issued_at) <= coalesce(r.period_start, r.at)
      order by coalesce(i.period_start, i.issued_at) desc, i.number desc
      limit 1)
    where r.kind = 'refund' and r.invoice_id is null
  `.execute(db);
  await sql`
    insert into invoice_sequences (tenant_id, last_number)
    select tenant_id, max(number) from invoices group by tenant_id
  `.execute(db);

  // From now on no charge lacks an invoice.
  await sql`alter table charges add constraint charges_charge_has_invoice check (kind <> 'charge' or invoice_id is not null)`.execute(db);
}
