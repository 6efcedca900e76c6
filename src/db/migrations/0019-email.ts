import { sql, type Kysely } from 'kysely';

/**
 * E-mail in and out (issue 10, item 5).
 *
 * `email_messages` gives a message its RFC 5322 Message-ID: a customer's mail as it arrived, or the
 * `<outboxJobId@fairdesk>` of our reply. The unique (tenant_id, header_id) index is what makes a
 * redelivered mail a no-op and what a reply's In-Reply-To / References are matched against. `address`
 * is the customer's address (the sender of a mail in, the recipient of a reply out); `mailbox` is our
 * address the mail was sent to (and the Reply-To of our answers).
 *
 * `attachments` keeps each file of a mail in the database (bytea), with its size and SHA-256, so a
 * backup of the store holds them too; the SMTP listener caps a whole message (docs/email.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table email_messages (
      tenant_id uuid not null references tenants (id),
      message_id uuid not null,
      header_id text not null check (length(header_id) between 3 and 998),
      direction text not null check (direction in ('in', 'out')),
      address text,
      mailbox text,
      created_at timestamptz not null default now(),
      primary key (tenant_id, message_id),
      foreign key (tenant_id, message_id) references messages (tenant_id, id)
    );
    create unique index email_messages_tenant_header on email_messages (tenant_id, header_id);

    create table attachments (
      tenant_id uuid not null references tenants (id),
      id uuid not null,
      message_id uuid not null,
      filename text not null check (length(filename) between 1 and 255),
      content_type text not null,
      size int not null check (size >= 0),
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      content bytea not null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, message_id) references messages (tenant_id, id),
      check (octet_length(content) = size)
    );
    create index attachments_tenant_message on attachments (tenant_id, message_id, id);
  `.execute(db);
}
