import { NotFoundError } from './errors.ts';
import { inTenantTx, type TenantScope } from './scope.ts';
import { logRead } from './record-read.ts';
import { findCustomer, listCustomers as listCustomerRows, type CustomerFilter } from '../db/repositories/customers.ts';
import type { Page, PageRequest } from '../db/repositories/paging.ts';
import type { CustomerRow } from '../db/schema.ts';

export async function getCustomer(scope: TenantScope, id: string): Promise<CustomerRow> {
  const customer = await inTenantTx(scope, async (tx) => {
    const found = await findCustomer(tx, scope.tenantId, id);
    if (found) await logRead(tx, scope, id, 'customer');
    return found;
  });
  if (!customer) throw new NotFoundError('customer', id);
  return customer;
}

/** Who read this customer's record, and when (newest first). */
export async function listCustomerReads(scope: TenantScope, id: string, limit: number): Promise<Array<{ at: Date; actor: string; what: string }>> {
  return inTenantTx(scope, async (tx) => {
    if (!(await findCustomer(tx, scope.tenantId, id))) throw new NotFoundError('customer', id);
    return tx
      .selectFrom('record_reads')
      .select(['at', 'actor', 'what'])
      .where('tenant_id', '=', scope.tenantId)
      .where('customer_id', '=', id)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  });
}

export async function listCustomers(scope: TenantScope, filter: CustomerFilter, page: PageRequest): Promise<Page<CustomerRow>> {
  return inTenantTx(scope, (tx) => listCustomerRows(tx, scope.tenantId, filter, page));
}
