import type { ConsentPurpose, ConsentStatus } from '../domain/consents.ts';
import { liveConsents } from '../domain/consents.ts';
import { pageQuery, type Page, type PageRequest } from '../db/repositories/paging.ts';
import type { ConsentRow } from '../db/schema.ts';
import { consentFact } from './record-consent.ts';
import { logRead } from './record-read.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

export interface TenantConsentFilter {
  purpose?: ConsentPurpose | undefined;
  status?: ConsentStatus | undefined;
  customerId?: string | undefined;
  /** Recorded at or after / before. */
  from?: string | undefined;
  to?: string | undefined;
}

export interface TenantConsentView {
  id: string;
  row: ConsentRow;
  customerName: string;
  /** This record is the one in force for its purpose now. */
  live: boolean;
}

/**
 * The tenant's consent ledger across customers, newest first (compliance): every record with its
 * customer's name and whether it is the one in force now — by the same rule as a customer's own
 * ledger (the latest record per purpose decides; a used hard-inquiry grant is not live), computed
 * from all the records of the customers on the page. Like reading one customer's consents, it is
 * logged as a read of each customer's record shown.
 */
export async function listTenantConsents(scope: TenantScope, filter: TenantConsentFilter, page: PageRequest, now = new Date()): Promise<Page<TenantConsentView>> {
  return inTenantTx(scope, async (tx) => {
    let q = tx.selectFrom('consents').selectAll().where('tenant_id', '=', scope.tenantId);
    if (filter.purpose) q = q.where('purpose', '=', filter.purpose);
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.customerId) q = q.where('customer_id', '=', filter.customerId);
    if (filter.from) q = q.where('at', '>=', new Date(filter.from));
    if (filter.to) q = q.where('at', '<', new Date(filter.to));
    const found = await pageQuery(q, page);
    const customerIds = [...new Set(found.rows.map((r) => r.customer_id))];
    if (customerIds.length === 0) return { rows: [], nextAfter: found.nextAfter };

    const names = await tx.selectFrom('customers').select(['id', 'name']).where('tenant_id', '=', scope.tenantId).where('id', 'in', customerIds).execute();
    // Every record of these customers (the live rule needs each purpose's latest) and the hard grants already used.
    const all = await tx.selectFrom('consents').selectAll().where('tenant_id', '=', scope.tenantId).where('customer_id', 'in', customerIds).execute();
    const used = await tx
      .selectFrom('credit_inquiries')
      .select('consent_id')
      .where('tenant_id', '=', scope.tenantId)
      .where('customer_id', 'in', customerIds)
      .where('kind', '=', 'hard')
      .where('consent_id', 'is not', null)
      .execute();
    const usedIds = new Set(used.map((u) => u.consent_id!));
    const liveIds = new Set<string>();
    for (const customerId of customerIds) {
      const states = liveConsents(all.filter((r) => r.customer_id === customerId).map(consentFact), now, usedIds);
      for (const s of Object.values(states)) if (s.live && s.consentId) liveIds.add(s.consentId);
    }
    for (const customerId of customerIds) await logRead(tx, scope, customerId, 'consents');
    const nameOf = new Map(names.map((n) => [n.id, n.name]));
    return {
      rows: found.rows.map((row) => ({ id: row.id, row, customerName: nameOf.get(row.customer_id) ?? '', live: liveIds.has(row.id) })),
      nextAfter: found.nextAfter,
    };
  });
}
