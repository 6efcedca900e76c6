import type { SpendCreate } from '../contracts/spend.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { findCustomer } from '../db/repositories/customers.ts';
import { findSpendByExternalId, insertSpendEntry } from '../db/repositories/spend.ts';
import { newId } from '../db/ids.ts';
import type { SpendEntryRow } from '../db/schema.ts';
import { ConflictError, NotFoundError } from './errors.ts';
import { inTenantTx, type TenantScope, type TxHooks } from './scope.ts';

export interface RecordedSpend {
  entry: SpendEntryRow;
  /** False when this externalId was already recorded with the same figures. */
  created: boolean;
}

/**
 * Records a charge, refund or credit against a customer: the one source of spend that tiers and
 * value bands are computed from. Idempotent on externalId, so a billing run or an import that is
 * repeated never counts the same money twice.
 */
export async function recordSpend(scope: TenantScope, customerId: string, input: SpendCreate, hooks?: TxHooks<RecordedSpend>): Promise<RecordedSpend> {
  return inTenantTx(
    scope,
    async (tx) => {
      if (!(await findCustomer(tx, scope.tenantId, customerId))) throw new NotFoundError('customer', customerId);
      const inserted = await insertSpendEntry(tx, {
        tenant_id: scope.tenantId,
        id: newId(),
        customer_id: customerId,
        amount_minor: input.amountMinor,
        currency: input.currency,
        at: input.at,
        source: input.source,
        external_id: input.externalId,
      });
      if (inserted) {
        await writeAudit(tx, {
          tenantId: scope.tenantId,
          actor: scope.actor,
          action: 'spend.recorded',
          entityType: 'spend_entry',
          entityId: inserted.id,
          fields: ['amountMinor', 'currency', 'at', 'source', 'externalId'],
        });
        return { entry: inserted, created: true };
      }
      const existing = await findSpendByExternalId(tx, scope.tenantId, input.externalId);
      const same =
        existing &&
        existing.customer_id === customerId &&
        existing.amount_minor === input.amountMinor &&
        existing.currency === input.currency &&
        existing.at.getTime() === new Date(input.at).getTime();
      if (!existing || !same) {
        throw new ConflictError('this externalId was already recorded with different figures', [
          { pointer: '/externalId', detail: 'was already recorded with a different customer, amount, currency or time' },
        ]);
      }
      return { entry: existing, created: false };
    },
    hooks,
  );
}
