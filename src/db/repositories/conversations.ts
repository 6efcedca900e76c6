import { sql, type Insertable, type Updateable } from 'kysely';
import type { Channel, ConversationRow, ConversationsTable, ConversationStatus, MessageRow } from '../schema.ts';
import type { Tx } from '../with-tenant.ts';
import { pageQuery, type Page, type PageRequest } from './paging.ts';

/** The text-search configuration for subjects and messages. */
export const SEARCH_CONFIG = 'english';

export async function insertConversation(tx: Tx, values: Insertable<ConversationsTable>): Promise<ConversationRow> {
  return tx
    .insertInto('conversations')
    .values({ ...values, search: sql`to_tsvector(${SEARCH_CONFIG}::regconfig, ${values.subject})` } as never)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Several conversations in one statement (the importers' batches), each with its subject indexed. */
export async function insertConversations(tx: Tx, rows: Array<Insertable<ConversationsTable>>): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .insertInto('conversations')
    .values(rows.map((values) => ({ ...values, search: sql`to_tsvector(${SEARCH_CONFIG}::regconfig, ${values.subject})` }) as never))
    .execute();
}

export async function findConversation(tx: Tx, tenantId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  let query = tx.selectFrom('conversations').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  if (opts.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function updateConversation(
  tx: Tx,
  tenantId: string,
  id: string,
  changes: Updateable<ConversationsTable>,
  opts: { appendSearchText?: string | string[] } = {},
): Promise<ConversationRow> {
  // Several texts are appended one after the other, as that many single appends would.
  const texts = typeof opts.appendSearchText === 'string' ? [opts.appendSearchText] : (opts.appendSearchText ?? []);
  const search = texts.length > 0
    ? { search: sql`search || ${sql.join(texts.map((text) => sql`to_tsvector(${SEARCH_CONFIG}::regconfig, ${text})`), sql` || `)}` }
    : changes.subject !== undefined
      ? { search: sql`search || to_tsvector(${SEARCH_CONFIG}::regconfig, ${changes.subject})` }
      : {};
  return tx
    .updateTable('conversations')
    .set({ ...changes, ...search, updated_at: sql`now()` } as never)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface ConversationFilter {
  status?: ConversationStatus | undefined;
  customerId?: string | undefined;
  assigneeId?: string | undefined;
  teamId?: string | undefined;
  channel?: Channel | undefined;
  tag?: string | undefined;
  /** Full-text search over the subject and every message, in web-search syntax. */
  q?: string | undefined;
}

export async function listConversations(
  tx: Tx,
  tenantId: string,
  filter: ConversationFilter,
  page: PageRequest,
): Promise<Page<ConversationRow>> {
  let query = tx.selectFrom('conversations').selectAll().where('tenant_id', '=', tenantId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  if (filter.assigneeId) query = query.where('assignee_id', '=', filter.assigneeId);
  if (filter.teamId) query = query.where('team_id', '=', filter.teamId);
  if (filter.channel) query = query.where('channel', '=', filter.channel);
  if (filter.tag) query = query.where(sql<boolean>`tags @> array[${filter.tag}]::text[]`);
  if (filter.q) query = query.where(sql<boolean>`search @@ websearch_to_tsquery(${SEARCH_CONFIG}::regconfig, ${filter.q})`);
  return pageQuery(query, page);
}

export async function listMessages(tx: Tx, tenantId: string, conversationId: string): Promise<MessageRow[]> {
  return tx
    .selectFrom('messages')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('conversation_id', '=', conversationId)
    .orderBy('id')
    .execute();
}

/** The messages of several conversations, by conversation then id (the importers' listening analysis). */
export async function listMessagesOf(tx: Tx, tenantId: string, conversationIds: string[]): Promise<MessageRow[]> {
  if (conversationIds.length === 0) return [];
  return tx
    .selectFrom('messages')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('conversation_id', '=', sql<string>`any(${conversationIds}::uuid[])`)
    .orderBy('conversation_id')
    .orderBy('id')
    .execute();
}

/** Several conversations by id, in one query. */
export async function findConversations(tx: Tx, tenantId: string, ids: string[]): Promise<ConversationRow[]> {
  if (ids.length === 0) return [];
  return tx.selectFrom('conversations').selectAll().where('tenant_id', '=', tenantId).where('id', '=', sql<string>`any(${ids}::uuid[])`).execute();
}

export async function findMessage(tx: Tx, tenantId: string, id: string): Promise<MessageRow | undefined> {
  return tx.selectFrom('messages').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

export async function insertMessage(tx: Tx, values: Insertable<import('../schema.ts').MessagesTable>): Promise<MessageRow> {
  return tx.insertInto('messages').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Several messages in one statement (the importers' batches). */
export async function insertMessages(tx: Tx, rows: Array<Insertable<import('../schema.ts').MessagesTable>>): Promise<void> {
  if (rows.length === 0) return;
  await tx.insertInto('messages').values(rows).execute();
}

export async function setMessageLabels(tx: Tx, tenantId: string, labels: Array<{ id: string; labels: string[] }>): Promise<void> {
  for (const { id, labels: values } of labels) {
    await tx.updateTable('messages').set({ labels: values }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }
}
