import { CLOSURE_REASONS, closureAllowed } from '../domain/charter/repeat-contact.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { findCustomer, updateCustomer } from '../db/repositories/customers.ts';
import { newId } from '../db/ids.ts';
import type { CustomerClosureRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';
import { AppError, ConflictError, NotFoundError, UnprocessableError } from './errors.ts';
import { inTenantTx, type TenantScope, type TxHooks } from './scope.ts';

/** Words that give away a closure for contacting us too often, whatever the code is called. */
const CONTACT_VOLUME = /contact|call|complain|ticket|volume|frequen|too[_ -]?many|repeat|demand/i;

/**
 * Asks to close a customer's account. The reason must come from the fixed list, which has nothing
 * about contact volume: such a request is refused, citing the charter. While a repeat-contact
 * case is open for the customer, any closure waits for a lead's and a compliance officer's approval.
 */
export async function requestClosure(scope: TenantScope, customerId: string, input: { reason: string; note?: string | undefined }, hooks?: TxHooks<CustomerClosureRow>): Promise<CustomerClosureRow> {
  if (!closureAllowed(input.reason)) {
    if (CONTACT_VOLUME.test(input.reason) || CONTACT_VOLUME.test(input.note ?? '')) {
      throw new AppError(
        422,
        'closure-refused',
        'Closure refused',
        'Fairdesk does not close accounts for contacting us: under the charter, frequent contact is failure demand — a repeat-contact case finds and fixes its cause.',
        [{ pointer: '/reason', detail: 'contact volume is never a reason to close an account' }],
      );
    }
    throw new UnprocessableError('not a closure reason', [{ pointer: '/reason', detail: `must be one of ${CLOSURE_REASONS.join(', ')}` }]);
  }
  return inTenantTx(
    scope,
    async (tx) => {
      const customer = await findCustomer(tx, scope.tenantId, customerId);
      if (!customer) throw new NotFoundError('customer', customerId);
      if (customer.closed_at) throw new ConflictError('the account is already closed');
      const pending = await tx
        .selectFrom('customer_closures')
        .select('id')
        .where('tenant_id', '=', scope.tenantId)
        .where('customer_id', '=', customerId)
        .where('state', '=', 'awaiting_approval')
        .executeTakeFirst();
      if (pending) throw new ConflictError(`a closure of this account already awaits approval (${pending.id})`);
      const caseOpen = await hasOpenRootCauseCase(tx, scope.tenantId, customerId);
      const row = await tx
        .insertInto('customer_closures')
        .values({
          tenant_id: scope.tenantId,
          id: newId(),
          customer_id: customerId,
          reason: input.reason,
          note: input.note ?? null,
          state: caseOpen ? 'awaiting_approval' : 'approved',
          requested_by: scope.actor,
          decided_at: caseOpen ? null : new Date(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      if (!caseOpen) await updateCustomer(tx, scope.tenantId, customerId, { closed_at: new Date() });
      await writeAudit(tx, {
        tenantId: scope.tenantId,
        actor: scope.actor,
        action: caseOpen ? 'closure.requested' : 'closure.approved',
        entityType: 'customer_closure',
        entityId: row.id,
        fields: ['reason', 'note'],
      });
      return row;
    },
    hooks,
  );
}

export async function hasOpenRootCauseCase(tx: Tx, tenantId: string, customerId: string): Promise<boolean> {
  const row = await tx
    .selectFrom('conversations')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId)
    .where('kind', '=', 'root_cause')
    .where('status', 'in', ['open', 'pending'])
    .executeTakeFirst();
  return row !== undefined;
}
