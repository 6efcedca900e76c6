import { listCancelRequests as listRows } from '../db/repositories/cancel-requests.ts';
import type { Page, PageRequest } from '../db/repositories/paging.ts';
import type { CancelRequestRow, CancelRequestStatus } from '../db/schema.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

/** Cancel requests of the tenant, newest first (`status: 'open'` for what still waits on an agent). */
export async function listCancelRequests(scope: TenantScope, filter: { status?: CancelRequestStatus | undefined }, page: PageRequest): Promise<Page<CancelRequestRow>> {
  return inTenantTx(scope, (tx) => listRows(tx, scope.tenantId, filter, page));
}
