import { sql, type Insertable } from 'kysely';
import type { CharterExceptionRow, CharterExceptionsTable } from '../schema.ts';
import type { Tx } from '../with-tenant.ts';
import { pageQuery, type Page, type PageRequest } from './paging.ts';

export async function insertException(tx: Tx, values: Insertable<CharterExceptionsTable>): Promise<CharterExceptionRow> {
  return tx.insertInto('charter_exceptions').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function listExceptions(
  tx: Tx,
  tenantId: string,
  filter: { customerId?: string | undefined; active?: boolean | undefined },
  page: PageRequest,
): Promise<Page<CharterExceptionRow>> {
  let query = tx.selectFrom('charter_exceptions').selectAll().where('tenant_id', '=', tenantId);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  if (filter.active === true) query = query.where('expires_at', '>', sql<Date>`now()`);
  if (filter.active === false) query = query.where('expires_at', '<=', sql<Date>`now()`);
  return pageQuery(query, page);
}
