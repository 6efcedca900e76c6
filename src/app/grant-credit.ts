import type { CreditCreate } from '../contracts/invoices.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { findCustomer } from '../db/repositories/customers.ts';
import type { CreditRow } from '../db/schema.ts';
import { billingProvider } from './billing-provider.ts';
import { NotFoundError } from './errors.ts';
import { inTenantTx, type TenantScope, type TxHooks } from './scope.ts';

export interface GrantedCredit {
  credit: CreditRow;
  /** The customer's credit available in this currency after the grant. */
  availableMinor: number;
}

/**
 * Grants a customer account credit in one currency (staff, audited). The billing run applies it to the
 * customer's next invoices in that currency before charging anything. Credit is not spend: spend entries
 * record only what the customer paid, so a grant changes no tier or value band by itself.
 */
export async function grantCredit(scope: TenantScope, customerId: string, input: CreditCreate, hooks?: TxHooks<GrantedCredit>, now = new Date()): Promise<GrantedCredit> {
  return inTenantTx(
    scope,
    async (tx) => {
      if (!(await findCustomer(tx, scope.tenantId, customerId))) throw new NotFoundError('customer', customerId);
      const { id } = await billingProvider.grantCredit(tx, {
        tenantId: scope.tenantId,
        customerId,
        amountMinor: input.amountMinor,
        currency: input.currency,
        reason: input.reason,
        grantedBy: scope.actor,
        at: now,
      });
      const credit = await tx.selectFrom('credits').selectAll().where('tenant_id', '=', scope.tenantId).where('id', '=', id).executeTakeFirstOrThrow();
      const balance = await tx
        .selectFrom('credit_balances')
        .select('balance_minor')
        .where('tenant_id', '=', scope.tenantId)
        .where('customer_id', '=', customerId)
        .where('currency', '=', input.currency)
        .executeTakeFirst();
      // Audit last, after the credit balance's row lock.
      await writeAudit(tx, { tenantId: scope.tenantId, actor: scope.actor, action: 'credit.granted', entityType: 'credit', entityId: credit.id, fields: ['amountMinor', 'currency', 'reason'] });
      return { credit, availableMinor: Number(balance?.balance_minor ?? 0) };
    },
    hooks,
  );
}
