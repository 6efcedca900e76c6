import { PORTAL_WITHDRAWAL, type ConsentPurpose } from '../domain/consents.ts';
import { ConflictError } from './errors.ts';
import { scopeOf, type PortalCustomer } from './portal.ts';
import { readConsents, type ConsentLedger } from './read-consents.ts';
import { appendConsent, customerConsents, lockCustomer, sha256Hex, type ConsentView } from './record-consent.ts';
import { inTenantTx } from './scope.ts';

/** The signed-in customer's own consent ledger. */
export async function portalConsents(c: PortalCustomer, now = new Date()): Promise<ConsentLedger> {
  return readConsents(scopeOf(c), c.customerId, now);
}

/**
 * The customer withdraws a consent in the portal: a new `withdrawn` record with the same scope as the
 * grant it ends, evidenced by the portal screen's version and the SHA-256 of the withdrawal text shown
 * there. Only a consent in force can be withdrawn: otherwise 409, and nothing is written.
 */
export async function portalWithdrawConsent(c: PortalCustomer, purpose: ConsentPurpose, now = new Date()): Promise<ConsentView> {
  const scope = scopeOf(c);
  return inTenantTx(scope, async (tx) => {
    await lockCustomer(tx, c.tenantId, c.customerId);
    const { rows, live } = await customerConsents(tx, c.tenantId, c.customerId, now);
    const state = live[purpose];
    if (!state.live) {
      throw new ConflictError(`there is no ${purpose} consent in force to withdraw (it is ${state.status})`, [{ parameter: 'purpose', detail: `no live consent (${state.status})` }]);
    }
    const grant = rows.find((r) => r.id === state.consentId)!;
    const row = await appendConsent(tx, scope, {
      customerId: c.customerId,
      purpose,
      status: 'withdrawn',
      scope: grant.scope,
      evidence: { messageId: null, screenVersion: PORTAL_WITHDRAWAL.screenVersion, textHash: sha256Hex(PORTAL_WITHDRAWAL.texts[purpose]) },
      expiresAt: null,
      at: now,
    });
    return { row, live: false };
  });
}
