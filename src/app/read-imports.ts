import { listImportRuns } from '../db/repositories/imports.ts';
import type { PageRequest, Page } from '../db/repositories/paging.ts';
import type { ImportRunRow } from '../db/schema.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

/** The tenant's import runs, newest first (an unfinished one shows where it stopped). */
export async function listImports(scope: TenantScope, page: PageRequest): Promise<Page<ImportRunRow>> {
  return inTenantTx(scope, (tx) => listImportRuns(tx, scope.tenantId, page));
}
