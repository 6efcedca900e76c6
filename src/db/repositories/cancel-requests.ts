import type { Insertable, Updateable } from 'kysely';
import type { CancelRequestRow, CancelRequestStatus, CancelRequestsTable } from '../schema.ts';
import type { Tx } from '../with-tenant.ts';
import { pageQuery, type Page, type PageRequest } from './paging.ts';

/** The cancel request, locked for the rest of the transaction when `lock`. */
export async function findCancelRequest(tx: Tx, tenantId: string, id: string, lock = false): Promise<CancelRequestRow | undefined> {
  const q = tx.selectFrom('cancel_requests').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

/** The conversation's open cancel request if it has one, else its latest (null when it never had one). */
export async function currentCancelRequest(tx: Tx, tenantId: string, conversationId: string, lock = false): Promise<CancelRequestRow | undefined> {
  const q = tx
    .selectFrom('cancel_requests')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('conversation_id', '=', conversationId)
    // 'open' sorts after 'carried_out' and 'dismissed': the open one first, then the newest.
    .orderBy('status', 'desc')
    .orderBy('id', 'desc')
    .limit(1);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

export async function insertCancelRequest(tx: Tx, row: Insertable<CancelRequestsTable>): Promise<CancelRequestRow> {
  return tx.insertInto('cancel_requests').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateCancelRequest(tx: Tx, tenantId: string, id: string, patch: Updateable<CancelRequestsTable>): Promise<CancelRequestRow> {
  return tx.updateTable('cancel_requests').set(patch).where('tenant_id', '=', tenantId).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** Cancel requests, newest first, optionally of one status. */
export async function listCancelRequests(tx: Tx, tenantId: string, filter: { status?: CancelRequestStatus | undefined }, page: PageRequest): Promise<Page<CancelRequestRow>> {
  let query = tx.selectFrom('cancel_requests').selectAll().where('tenant_id', '=', tenantId);
  if (filter.status) query = query.where('status', '=', filter.status);
  return pageQuery(query, page);
}
