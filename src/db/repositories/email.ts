import { sql, type Insertable } from 'kysely';
import type { AttachmentsTable, ConversationRow, EmailMessagesTable } from '../schema.ts';
import type { Tx } from '../with-tenant.ts';

/** An attachment without its bytes: what a message lists. */
export interface AttachmentMeta {
  id: string;
  message_id: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
}

export async function insertEmailMessage(tx: Tx, values: Insertable<EmailMessagesTable>): Promise<void> {
  await tx.insertInto('email_messages').values(values).execute();
}

/** True when a mail with this Message-ID is already stored in the tenant (a redelivery). */
export async function emailMessageExists(tx: Tx, tenantId: string, headerId: string): Promise<boolean> {
  const row = await tx.selectFrom('email_messages').select('message_id').where('tenant_id', '=', tenantId).where('header_id', '=', headerId).executeTakeFirst();
  return row !== undefined;
}

/**
 * The conversations of `customerId` that hold any of the given Message-IDs, with the id that matched.
 * The customer condition is the scoping rule: a mail can only join its own sender's threads.
 */
export async function conversationsByHeaderIds(
  tx: Tx,
  tenantId: string,
  customerId: string,
  headerIds: readonly string[],
): Promise<Array<{ header_id: string; conversation: ConversationRow }>> {
  if (headerIds.length === 0) return [];
  const rows = await tx
    .selectFrom('email_messages as e')
    .innerJoin('messages as m', (j) => j.onRef('m.tenant_id', '=', 'e.tenant_id').onRef('m.id', '=', 'e.message_id'))
    .innerJoin('conversations as c', (j) => j.onRef('c.tenant_id', '=', 'm.tenant_id').onRef('c.id', '=', 'm.conversation_id'))
    .selectAll('c')
    .select('e.header_id')
    .where('e.tenant_id', '=', tenantId)
    .where('e.header_id', 'in', headerIds)
    .where('c.customer_id', '=', customerId)
    .execute();
  return rows.map(({ header_id, ...conversation }) => ({ header_id, conversation: conversation as ConversationRow }));
}

/** The e-mail trail of a conversation, oldest first: what a reply's In-Reply-To and References are built from. */
export async function conversationEmailTrail(tx: Tx, tenantId: string, conversationId: string) {
  return tx
    .selectFrom('email_messages as e')
    .innerJoin('messages as m', (j) => j.onRef('m.tenant_id', '=', 'e.tenant_id').onRef('m.id', '=', 'e.message_id'))
    .select(['e.header_id', 'e.direction', 'e.address', 'e.mailbox', 'm.id as message_id'])
    .where('e.tenant_id', '=', tenantId)
    .where('m.conversation_id', '=', conversationId)
    .orderBy('m.id')
    .execute();
}

/**
 * Stores a file. The bytes travel as base64 and PostgreSQL decodes them: a bytea parameter goes as hex
 * text that PGlite parses slowly (7 MiB: 5.5 s as a parameter, 0.8 s through decode; docs/email.md).
 */
export async function insertAttachment(tx: Tx, values: Omit<Insertable<AttachmentsTable>, 'content'> & { content: Buffer }): Promise<void> {
  await tx
    .insertInto('attachments')
    .values({ ...values, content: sql<Uint8Array>`decode(${values.content.toString('base64')}, 'base64')` })
    .execute();
}

const META = ['a.id', 'a.message_id', 'a.filename', 'a.content_type', 'a.size', 'a.sha256'] as const;

/** The attachments (without bytes) of a conversation's messages, oldest first. */
export async function listConversationAttachments(tx: Tx, tenantId: string, conversationId: string): Promise<AttachmentMeta[]> {
  return tx
    .selectFrom('attachments as a')
    .innerJoin('messages as m', (j) => j.onRef('m.tenant_id', '=', 'a.tenant_id').onRef('m.id', '=', 'a.message_id'))
    .select(META)
    .where('a.tenant_id', '=', tenantId)
    .where('m.conversation_id', '=', conversationId)
    .orderBy('a.id')
    .execute();
}

/** One attachment with its bytes and the customer whose conversation it belongs to (for the read log). */
export async function findAttachment(tx: Tx, tenantId: string, id: string): Promise<(AttachmentMeta & { content: Buffer; customer_id: string }) | undefined> {
  const row = await tx
    .selectFrom('attachments as a')
    .innerJoin('messages as m', (j) => j.onRef('m.tenant_id', '=', 'a.tenant_id').onRef('m.id', '=', 'a.message_id'))
    .innerJoin('conversations as c', (j) => j.onRef('c.tenant_id', '=', 'm.tenant_id').onRef('c.id', '=', 'm.conversation_id'))
    // As base64, like the insert: reading bytea as such is 6x slower on PGlite.
    .select([...META, sql<string>`encode(a.content, 'base64')`.as('content_base64'), 'c.customer_id'])
    .where('a.tenant_id', '=', tenantId)
    .where('a.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { content_base64, ...meta } = row;
  return { ...meta, content: Buffer.from(content_base64, 'base64') };
}

/** Erasure: a customer's attachments go, and the addresses of their mail; the Message-IDs stay for threading. */
export async function eraseCustomerEmail(tx: Tx, tenantId: string, customerId: string): Promise<number> {
  const messages = tx
    .selectFrom('messages as m')
    .innerJoin('conversations as c', (j) => j.onRef('c.tenant_id', '=', 'm.tenant_id').onRef('c.id', '=', 'm.conversation_id'))
    .select('m.id')
    .where('m.tenant_id', '=', tenantId)
    .where('c.customer_id', '=', customerId);
  const removed = await tx.deleteFrom('attachments').where('tenant_id', '=', tenantId).where('message_id', 'in', messages).executeTakeFirst();
  await tx
    .updateTable('email_messages')
    .set({ address: null })
    .where('tenant_id', '=', tenantId)
    .where('message_id', 'in', messages)
    .where(sql<boolean>`address is not null`)
    .execute();
  return Number(removed.numDeletedRows);
}
