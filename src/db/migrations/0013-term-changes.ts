import { sql, type Kysely } from 'kysely';

/**
 * Notices of a change of terms (issue 6, item 11: "when a plan's price or terms change"): the
 * announced change in plain words, and a `terms_change` notice kind that points at it. Each
 * subscriber is told once per change, by the same unique key of `notices` as price changes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table term_changes (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      plan_id uuid not null,
      -- The change in plain words, as every notice states it.
      summary text not null,
      details text,
      effective_at timestamptz not null,
      announced_at timestamptz not null,
      announced_by text not null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, plan_id) references plans (tenant_id, id)
    );
    create index term_changes_tenant_plan_effective on term_changes (tenant_id, plan_id, effective_at);

    alter table notices add column term_change_id uuid;
    alter table notices add constraint notices_term_change_fk foreign key (tenant_id, term_change_id) references term_changes (tenant_id, id);
    alter table notices drop constraint notices_kind_check;
    alter table notices add constraint notices_kind_check check (kind in ('price_change', 'terms_change', 'annual_reminder', 'trial_reminder'));
  `.execute(db);
}
