import { findCustomer } from '../db/repositories/customers.ts';
import type { Page, PageRequest } from '../db/repositories/paging.ts';
import { listSpend } from '../db/repositories/spend.ts';
import type { SpendEntryRow } from '../db/schema.ts';
import { NotFoundError } from './errors.ts';
import { inTenantTx, type TenantScope } from './scope.ts';
import { logRead } from './record-read.ts';

export async function listCustomerSpend(scope: TenantScope, customerId: string, page: PageRequest): Promise<Page<SpendEntryRow>> {
  return inTenantTx(scope, async (tx) => {
    if (!(await findCustomer(tx, scope.tenantId, customerId))) throw new NotFoundError('customer', customerId);
    await logRead(tx, scope, customerId, 'spend');
    return listSpend(tx, scope.tenantId, customerId, page);
  });
}
