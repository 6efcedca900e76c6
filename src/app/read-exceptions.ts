import { listExceptions } from '../db/repositories/exceptions.ts';
import type { Page, PageRequest } from '../db/repositories/paging.ts';
import type { CharterExceptionRow } from '../db/schema.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

export async function listCharterExceptions(
  scope: TenantScope,
  filter: { customerId?: string | undefined; active?: boolean | undefined },
  page: PageRequest,
): Promise<Page<CharterExceptionRow>> {
  return inTenantTx(scope, (tx) => listExceptions(tx, scope.tenantId, filter, page));
}
