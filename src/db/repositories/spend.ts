import { sql, type Insertable } from 'kysely';
import type { SpendEntriesTable, SpendEntryRow } from '../schema.ts';
import type { Tx } from '../with-tenant.ts';
import { pageQuery, type Page, type PageRequest } from './paging.ts';

export async function insertSpendEntry(tx: Tx, values: Insertable<SpendEntriesTable>): Promise<SpendEntryRow | undefined> {
  // On a repeated externalId nothing is written; the caller compares with the entry that exists.
  return tx
    .insertInto('spend_entries')
    .values(values)
    .onConflict((oc) => oc.columns(['tenant_id', 'external_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findSpendByExternalId(tx: Tx, tenantId: string, externalId: string): Promise<SpendEntryRow | undefined> {
  return tx.selectFrom('spend_entries').selectAll().where('tenant_id', '=', tenantId).where('external_id', '=', externalId).executeTakeFirst();
}

export async function listSpend(tx: Tx, tenantId: string, customerId: string, page: PageRequest): Promise<Page<SpendEntryRow>> {
  return pageQuery(tx.selectFrom('spend_entries').selectAll().where('tenant_id', '=', tenantId).where('customer_id', '=', customerId), page);
}

/** A customer's net spend per currency over [from, to). */
export async function spendTotals(tx: Tx, tenantId: string, customerId: string, from: Date, to: Date): Promise<Array<{ currency: string; amountMinor: number }>> {
  const rows = await tx
    .selectFrom('spend_entries')
    .select(['currency', sql<number>`sum(amount_minor)::bigint`.as('amount_minor')])
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId)
    .where('at', '>=', from)
    .where('at', '<', to)
    .groupBy('currency')
    .execute();
  return rows.map((r) => ({ currency: r.currency, amountMinor: Number(r.amount_minor) }));
}
