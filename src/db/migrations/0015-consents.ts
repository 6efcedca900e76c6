import { sql, type Kysely } from 'kysely';

/**
 * The consent ledger and credit inquiries (issue 7, item 5).
 *
 * `consents` is append-only (tables.ts): a grant, a refusal and a withdrawal are each a new row and
 * the latest per purpose decides. The evidence is a message of the customer's, or the screen version
 * and the SHA-256 of the text shown — never the text itself.
 *
 * `credit_inquiries` records every credit check: hard and soft ones with the consent they relied on
 * (written `pending` before the bureau is asked, so no bureau call happens without its record), and
 * estimates, which need no consent and never reach a bureau. A hard-inquiry grant serves one inquiry:
 * the partial unique index makes a second hard inquiry on the same grant impossible.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table consents (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      customer_id uuid not null,
      purpose text not null check (purpose in ('hard_credit_inquiry', 'soft_credit_inquiry', 'marketing_contact', 'call_recording', 'auto_renewal')),
      status text not null check (status in ('granted', 'refused', 'withdrawn')),
      scope text not null,
      evidence_message_id uuid,
      screen_version text,
      text_hash text check (text_hash ~ '^[0-9a-f]{64}$'),
      at timestamptz not null,
      expires_at timestamptz,
      recorded_by text not null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, customer_id) references customers (tenant_id, id),
      foreign key (tenant_id, evidence_message_id) references messages (tenant_id, id),
      -- Evidence is a message, or a screen version with the hash of the text shown: exactly one.
      check ((evidence_message_id is null) <> (screen_version is null)),
      check ((screen_version is null) = (text_hash is null)),
      check (status = 'granted' or expires_at is null)
    );
    create index consents_tenant_customer_purpose_at on consents (tenant_id, customer_id, purpose, at);

    create table credit_inquiries (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      customer_id uuid not null,
      kind text not null check (kind in ('hard', 'soft', 'estimate')),
      consent_id uuid,
      reason text not null,
      status text not null check (status in ('pending', 'completed', 'failed')),
      result jsonb,
      error text,
      at timestamptz not null,
      completed_at timestamptz,
      actor text not null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, customer_id) references customers (tenant_id, id),
      foreign key (tenant_id, consent_id) references consents (tenant_id, id),
      check ((kind = 'estimate') = (consent_id is null))
    );
    create index credit_inquiries_tenant_customer on credit_inquiries (tenant_id, customer_id, id);
    create unique index credit_inquiries_tenant_hard_consent on credit_inquiries (tenant_id, consent_id) where kind = 'hard';
  `.execute(db);
}
