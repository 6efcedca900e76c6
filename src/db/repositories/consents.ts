import type { Insertable } from 'kysely';
import type { ConsentRow, ConsentsTable, CreditInquiriesTable, CreditInquiryRow } from '../schema.ts';
import type { Tx } from '../with-tenant.ts';
import { pageQuery, type Page, type PageRequest } from './paging.ts';

export async function insertConsent(tx: Tx, values: Insertable<ConsentsTable>): Promise<ConsentRow> {
  return tx.insertInto('consents').values(values).returningAll().executeTakeFirstOrThrow();
}

/** A customer's whole consent history, newest first. */
export async function listConsents(tx: Tx, tenantId: string, customerId: string): Promise<ConsentRow[]> {
  return tx.selectFrom('consents').selectAll().where('tenant_id', '=', tenantId).where('customer_id', '=', customerId).orderBy('at', 'desc').orderBy('id', 'desc').execute();
}

/** The hard-inquiry grants of a customer that a hard inquiry has already relied on (each serves one). */
export async function usedHardGrants(tx: Tx, tenantId: string, customerId: string): Promise<Set<string>> {
  const rows = await tx
    .selectFrom('credit_inquiries')
    .select('consent_id')
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId)
    .where('kind', '=', 'hard')
    .execute();
  return new Set(rows.map((r) => r.consent_id).filter((id): id is string => id !== null));
}

export async function insertCreditInquiry(tx: Tx, values: Insertable<CreditInquiriesTable>): Promise<CreditInquiryRow> {
  return tx.insertInto('credit_inquiries').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function completeCreditInquiry(
  tx: Tx,
  tenantId: string,
  id: string,
  outcome: { status: 'completed'; result: Record<string, unknown> } | { status: 'failed'; error: string },
  at: Date,
): Promise<CreditInquiryRow> {
  return tx
    .updateTable('credit_inquiries')
    .set(outcome.status === 'completed' ? { status: 'completed', result: JSON.stringify(outcome.result), completed_at: at } : { status: 'failed', error: outcome.error, completed_at: at })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listCreditInquiries(tx: Tx, tenantId: string, customerId: string, page: PageRequest): Promise<Page<CreditInquiryRow>> {
  return pageQuery(tx.selectFrom('credit_inquiries').selectAll().where('tenant_id', '=', tenantId).where('customer_id', '=', customerId), page);
}
