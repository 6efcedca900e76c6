import { NotFoundError } from './errors.ts';
import { inTenantTx, type TenantScope } from './scope.ts';
import { findCustomer, listCustomers as listCustomerRows, type CustomerFilter } from '../db/repositories/customers.ts';
import type { Page, PageRequest } from '../db/repositories/paging.ts';
import type { CustomerRow } from '../db/schema.ts';

export async function getCustomer(scope: TenantScope, id: string): Promise<CustomerRow> {
  const customer = await inTenantTx(scope, (tx) => findCustomer(tx, scope.tenantId, id));
  if (!customer) throw new NotFoundError('customer', id);
  return customer;
}

export async function listCustomers(scope: TenantScope, filter: CustomerFilter, page: PageRequest): Promise<Page<CustomerRow>> {
  return inTenantTx(scope, (tx) => listCustomerRows(tx, scope.tenantId, filter, page));
}
