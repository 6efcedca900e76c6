import type { CustomerPatch } from '../contracts/customers.ts';
import { applyMergePatch } from '../domain/merge-patch.ts';
import { NotFoundError } from './errors.ts';
import { withUniqueFields } from './unique-conflict.ts';
import { inTenantTx, type TenantScope } from './scope.ts';
import { CUSTOMER_UNIQUE, normalizeEmails } from './create-customer.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { findCustomer, updateCustomer as updateCustomerRow } from '../db/repositories/customers.ts';
import type { CustomerRow } from '../db/schema.ts';

/** Applies a JSON merge patch to a customer; attributes merge key by key. */
export async function updateCustomer(scope: TenantScope, id: string, patch: CustomerPatch): Promise<CustomerRow> {
  return withUniqueFields(CUSTOMER_UNIQUE, () =>
    inTenantTx(scope, async (tx) => {
      const current = await findCustomer(tx, scope.tenantId, id);
      if (!current) throw new NotFoundError('customer', id);
      const changed = Object.keys(patch);
      if (changed.length === 0) return current;
      const attributes =
        patch.attributes === undefined
          ? undefined
          : (applyMergePatch(current.attributes, patch.attributes ?? {}) as Record<string, unknown>);
      const updated = await updateCustomerRow(tx, scope.tenantId, id, {
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.emails !== undefined && { emails: normalizeEmails(patch.emails) }),
        ...(patch.phones !== undefined && { phones: patch.phones }),
        ...(patch.externalId !== undefined && { external_id: patch.externalId }),
        ...(patch.timeZone !== undefined && { time_zone: patch.timeZone }),
        ...(patch.locale !== undefined && { locale: patch.locale }),
        ...(patch.customerSince !== undefined && { customer_since: patch.customerSince }),
        ...(attributes !== undefined && { attributes: JSON.stringify(patch.attributes === null ? {} : attributes) }),
      });
      await writeAudit(tx, {
        tenantId: scope.tenantId,
        actor: scope.actor,
        action: 'customer.updated',
        entityType: 'customer',
        entityId: id,
        fields: changed,
      });
      return updated;
    }),
  );
}
