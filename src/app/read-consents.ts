import type { ConsentPurpose, LiveConsent } from '../domain/consents.ts';
import type { ConsentRow } from '../db/schema.ts';
import { NotFoundError } from './errors.ts';
import { logRead } from './record-read.ts';
import { customerConsents } from './record-consent.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

export interface ConsentLedger {
  /** The whole history, newest first. */
  rows: ConsentRow[];
  /** Where each purpose stands now. */
  live: Record<ConsentPurpose, LiveConsent>;
}

/**
 * A customer's consent ledger and where each purpose stands at `now`. Staff reads are logged as
 * reads of the customer's record; the customer reading their own (in the portal) is not.
 */
export async function readConsents(scope: TenantScope, customerId: string, now = new Date()): Promise<ConsentLedger> {
  return inTenantTx(scope, async (tx) => {
    const customer = await tx.selectFrom('customers').select('id').where('tenant_id', '=', scope.tenantId).where('id', '=', customerId).executeTakeFirst();
    if (!customer) throw new NotFoundError('customer', customerId);
    await logRead(tx, scope, customerId, 'consents');
    const { rows, live } = await customerConsents(tx, scope.tenantId, customerId, now);
    return { rows, live };
  });
}
