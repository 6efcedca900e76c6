import { entitlementsFor, type Entitlements } from '../domain/charter/entitlements.ts';
import { findCustomer } from '../db/repositories/customers.ts';
import { loadCharterInEffect } from './charter-cache.ts';
import { loadCustomerFacts } from './customer-facts.ts';
import { NotFoundError } from './errors.ts';
import { inTenantTx, type TenantScope } from './scope.ts';
import { logRead } from './record-read.ts';

export interface CustomerEntitlements extends Entitlements {
  charterVersion: number;
}

/** What the customer is entitled to now under the charter in effect, and why, in plain words. */
export async function getEntitlements(scope: TenantScope, customerId: string, at = new Date()): Promise<CustomerEntitlements> {
  return inTenantTx(scope, async (tx) => {
    const customer = await findCustomer(tx, scope.tenantId, customerId);
    if (!customer) throw new NotFoundError('customer', customerId);
    await logRead(tx, scope, customerId, 'entitlements');
    const loaded = await loadCharterInEffect(tx, scope.tenantId, at);
    if (!loaded) throw new NotFoundError('charter', '(none published yet)');
    const facts = await loadCustomerFacts(tx, scope.tenantId, customer, loaded.charter, at);
    return { ...entitlementsFor(loaded.charter, facts, at), charterVersion: loaded.version };
  });
}
