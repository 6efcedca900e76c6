import { sql } from 'kysely';
import type { CustomerRow, CustomersTable } from '../schema.ts';
import type { Insertable, Updateable } from 'kysely';
import type { Tx } from '../with-tenant.ts';
import { pageQuery, type Page, type PageRequest } from './paging.ts';

export async function insertCustomer(tx: Tx, values: Insertable<CustomersTable>): Promise<CustomerRow> {
  return tx.insertInto('customers').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findCustomer(tx: Tx, tenantId: string, id: string): Promise<CustomerRow | undefined> {
  return tx.selectFrom('customers').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

export async function findCustomerByExternalId(tx: Tx, tenantId: string, externalId: string): Promise<CustomerRow | undefined> {
  return tx
    .selectFrom('customers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

export async function updateCustomer(
  tx: Tx,
  tenantId: string,
  id: string,
  changes: Updateable<CustomersTable>,
): Promise<CustomerRow> {
  return tx
    .updateTable('customers')
    .set({ ...changes, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface CustomerFilter {
  email?: string | undefined;
  externalId?: string | undefined;
}

export async function listCustomers(tx: Tx, tenantId: string, filter: CustomerFilter, page: PageRequest): Promise<Page<CustomerRow>> {
  let query = tx.selectFrom('customers').selectAll().where('tenant_id', '=', tenantId);
  if (filter.email) query = query.where((eb) => eb(eb.val(filter.email!.toLowerCase()), '=', eb.fn.any('emails')));
  if (filter.externalId) query = query.where('external_id', '=', filter.externalId);
  return pageQuery(query, page);
}

/** Several new customers in one statement (the importers' batches). */
export async function insertCustomers(tx: Tx, rows: Array<Insertable<CustomersTable>>): Promise<void> {
  if (rows.length === 0) return;
  await tx.insertInto('customers').values(rows).execute();
}
