import type { CustomerCreate } from '../contracts/customers.ts';
import { withUniqueFields, type UniqueRule } from './unique-conflict.ts';
import { inTenantTx, type TenantScope, type TxHooks } from './scope.ts';
import type { Insertable } from 'kysely';
import { writeAudit, type AuditEntry } from '../db/repositories/audit.ts';
import { insertCustomer } from '../db/repositories/customers.ts';
import { newId } from '../db/ids.ts';
import type { CustomerRow, CustomersTable } from '../db/schema.ts';

/** Creates a customer with their contact identities; an external id is unique per tenant. */
export async function createCustomer(scope: TenantScope, input: CustomerCreate, hooks?: TxHooks<CustomerRow>): Promise<CustomerRow> {
  return withUniqueFields(CUSTOMER_UNIQUE, () =>
    inTenantTx(
      scope,
      async (tx) => {
        const customer = await insertCustomer(tx, newCustomerValues(scope.tenantId, input));
        await writeAudit(tx, customerCreatedAudit(scope, customer.id, input));
        return customer;
      },
      hooks,
    ),
  );
}

/** The row a new customer is stored as (also used by the importers' bulk insert). */
export function newCustomerValues(tenantId: string, input: CustomerCreate): Insertable<CustomersTable> {
  return {
    tenant_id: tenantId,
    id: newId(),
    name: input.name,
    emails: normalizeEmails(input.emails),
    phones: input.phones,
    external_id: input.externalId ?? null,
    time_zone: input.timeZone ?? null,
    locale: input.locale ?? null,
    customer_since: input.customerSince ?? null,
    attributes: JSON.stringify(input.attributes),
  };
}

/** The audit entry of a created customer: the fields given, never their values. */
export function customerCreatedAudit(scope: TenantScope, customerId: string, input: CustomerCreate): AuditEntry {
  return { tenantId: scope.tenantId, actor: scope.actor, action: 'customer.created', entityType: 'customer', entityId: customerId, fields: Object.keys(input) };
}

export const CUSTOMER_UNIQUE: UniqueRule[] = [
  { constraint: 'customers_tenant_external_id', pointer: '/externalId', detail: 'is already used by another customer' },
];

/** E-mail addresses are matched case-insensitively, so they are stored lower-cased, once each. */
export function normalizeEmails(emails: string[]): string[] {
  return [...new Set(emails.map((e) => e.trim().toLowerCase()))];
}
