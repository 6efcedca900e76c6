import { sql } from 'kysely';
import type { CustomerRow, ExternalRefRow, ImportRunRow } from '../schema.ts';
import type { Tx } from '../with-tenant.ts';
import { SEARCH_CONFIG } from './conversations.ts';
import { pageQuery, type Page, type PageRequest } from './paging.ts';

/** The row imported from another system's record, if any. */
export async function findRef(tx: Tx, tenantId: string, source: string, kind: string, externalId: string): Promise<ExternalRefRow | undefined> {
  return tx
    .selectFrom('external_refs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('source', '=', source)
    .where('kind', '=', kind)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

/** Records (or re-points) the mapping of an external record to a row, with what was imported. */
export async function saveRef(tx: Tx, ref: { tenantId: string; source: string; kind: string; externalId: string; entityId: string; fingerprint: string }): Promise<void> {
  await tx
    .insertInto('external_refs')
    .values({ tenant_id: ref.tenantId, source: ref.source, kind: ref.kind, external_id: ref.externalId, entity_id: ref.entityId, fingerprint: ref.fingerprint })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'source', 'kind', 'external_id']).doUpdateSet({ entity_id: ref.entityId, fingerprint: ref.fingerprint, updated_at: sql`now()` }),
    )
    .execute();
}

/** The oldest customer with this e-mail address (addresses are stored lower-cased). */
export async function findCustomerByEmail(tx: Tx, tenantId: string, email: string): Promise<CustomerRow | undefined> {
  return tx
    .selectFrom('customers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where(sql<boolean>`emails @> array[${email.toLowerCase()}]::text[]`)
    .orderBy('id')
    .executeTakeFirst();
}

/** The oldest customer with this phone number (as written). */
export async function findCustomerByPhone(tx: Tx, tenantId: string, phone: string): Promise<CustomerRow | undefined> {
  return tx
    .selectFrom('customers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where(sql<boolean>`phones @> array[${phone}]::text[]`)
    .orderBy('id')
    .executeTakeFirst();
}

export async function listImportRuns(tx: Tx, tenantId: string, page: PageRequest): Promise<Page<ImportRunRow>> {
  return pageQuery(tx.selectFrom('import_runs').selectAll().where('tenant_id', '=', tenantId), page);
}

/** A batch's refs of one kind, by external id: one query for the whole batch. */
export async function findRefs(tx: Tx, tenantId: string, source: string, kind: string, externalIds: string[]): Promise<ExternalRefRow[]> {
  if (externalIds.length === 0) return [];
  return tx
    .selectFrom('external_refs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('source', '=', source)
    .where('kind', '=', kind)
    .where('external_id', '=', sql<string>`any(${externalIds}::text[])`)
    .execute();
}

/** Saves (or re-points) a batch's refs in one statement; an external id appears at most once in `refs`. */
export async function saveRefs(tx: Tx, tenantId: string, refs: Array<{ source: string; kind: string; externalId: string; entityId: string; fingerprint: string }>): Promise<void> {
  if (refs.length === 0) return;
  await tx
    .insertInto('external_refs')
    .values(refs.map((r) => ({ tenant_id: tenantId, source: r.source, kind: r.kind, external_id: r.externalId, entity_id: r.entityId, fingerprint: r.fingerprint })))
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'source', 'kind', 'external_id']).doUpdateSet((eb) => ({ entity_id: eb.ref('excluded.entity_id'), fingerprint: eb.ref('excluded.fingerprint'), updated_at: sql`now()` })),
    )
    .execute();
}

/** The customers having any of these e-mail addresses (stored lower-cased), oldest first. */
export async function findCustomersByEmails(tx: Tx, tenantId: string, emails: string[]): Promise<CustomerRow[]> {
  if (emails.length === 0) return [];
  return tx
    .selectFrom('customers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where(sql<boolean>`emails && ${emails.map((e) => e.toLowerCase())}::text[]`)
    .orderBy('id')
    .execute();
}

/** What a batch changed on one conversation: its clock (when `clock` is given), its analysis, texts for its search index. */
export interface ConversationChange {
  id: string;
  clock?: { firstReplyAt: Date | null; waitingSince: Date | null; lastCustomerMessageAt: Date | null } | undefined;
  listening?: string | undefined;
  searchTexts: string[];
}

/**
 * A batch's changes to its conversations in one statement (what updateConversation would do one by
 * one): the texts are appended to the search vector one after the other, as single appends would.
 */
export async function updateConversationsOfBatch(tx: Tx, tenantId: string, changes: ConversationChange[]): Promise<void> {
  if (changes.length === 0) return;
  const rows = changes.map((c) => {
    const search = sql.join([sql`''::tsvector`, ...c.searchTexts.map((text) => sql`to_tsvector(${SEARCH_CONFIG}::regconfig, ${text})`)], sql` || `);
    const clock = c.clock ?? { firstReplyAt: null, waitingSince: null, lastCustomerMessageAt: null };
    return sql`(${c.id}::uuid, ${c.clock !== undefined}::boolean, ${clock.firstReplyAt}::timestamptz, ${clock.waitingSince}::timestamptz, ${clock.lastCustomerMessageAt}::timestamptz, ${c.listening ?? null}::jsonb, ${search})`;
  });
  await sql`
    update conversations as c set
      first_reply_at = case when v.clock then v.first_reply_at else c.first_reply_at end,
      waiting_since = case when v.clock then v.waiting_since else c.waiting_since end,
      last_customer_message_at = case when v.clock then v.last_customer_message_at else c.last_customer_message_at end,
      listening = coalesce(v.listening, c.listening),
      search = c.search || v.search,
      updated_at = now()
    from (values ${sql.join(rows)}) as v (id, clock, first_reply_at, waiting_since, last_customer_message_at, listening, search)
    where c.tenant_id = ${tenantId} and c.id = v.id`.execute(tx);
}
