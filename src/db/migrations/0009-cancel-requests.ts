import { sql, type Kysely } from 'kysely';

/**
 * Cancel requests raised in conversations (issue 6, item 6): a customer message the listening
 * analyzer labels `cancel_request` opens one, with its own same-business-day clock. At most one is
 * open per conversation; it is closed by carrying the cancellation out (with its reference) or by
 * dismissing it with a reason. The agent may post one clarification while it is open.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table cancel_requests (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      conversation_id uuid not null,
      customer_id uuid not null,
      message_id uuid not null,
      subscription_id uuid,
      status text not null check (status in ('open', 'carried_out', 'dismissed')),
      requested_at timestamptz not null,
      due_at timestamptz not null,
      charter_version integer,
      sla_state text not null check (sla_state in ('on_track', 'at_risk', 'breached', 'met')),
      clarification_message_id uuid,
      cancellation_id uuid,
      cancellation_reference text,
      dismiss_reason text,
      closed_at timestamptz,
      closed_by text,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, conversation_id) references conversations (tenant_id, id),
      foreign key (tenant_id, customer_id) references customers (tenant_id, id),
      foreign key (tenant_id, message_id) references messages (tenant_id, id),
      foreign key (tenant_id, subscription_id) references subscriptions (tenant_id, id),
      foreign key (tenant_id, clarification_message_id) references messages (tenant_id, id),
      foreign key (tenant_id, cancellation_id) references cancellations (tenant_id, id)
    );
    create unique index cancel_requests_tenant_open_conversation on cancel_requests (tenant_id, conversation_id) where status = 'open';
    create index cancel_requests_tenant_conversation on cancel_requests (tenant_id, conversation_id, id);
    create index cancel_requests_tenant_status on cancel_requests (tenant_id, status, id);
  `.execute(db);
}
