import { listCreditInquiries } from '../db/repositories/consents.ts';
import type { Page, PageRequest } from '../db/repositories/paging.ts';
import type { CreditInquiryRow } from '../db/schema.ts';
import { NotFoundError } from './errors.ts';
import { logRead } from './record-read.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

/** A customer's credit checks, newest first, with the consent each relied on: the compliance view. */
export async function listCreditChecks(scope: TenantScope, customerId: string, page: PageRequest): Promise<Page<CreditInquiryRow>> {
  return inTenantTx(scope, async (tx) => {
    const customer = await tx.selectFrom('customers').select('id').where('tenant_id', '=', scope.tenantId).where('id', '=', customerId).executeTakeFirst();
    if (!customer) throw new NotFoundError('customer', customerId);
    await logRead(tx, scope, customerId, 'credit checks');
    return listCreditInquiries(tx, scope.tenantId, customerId, page);
  });
}
