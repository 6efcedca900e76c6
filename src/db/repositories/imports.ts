import { sql } from 'kysely';
import type { CustomerRow, ExternalRefRow, ImportRunRow } from '../schema.ts';
import type { Tx } from '../with-tenant.ts';
import { pageQuery, type Page, type PageRequest } from './paging.ts';

/** The row imported from another system's record, if any. */
export async function findRef(tx: Tx, tenantId: string, source: string, kind: string, externalId: string): Promise<ExternalRefRow | undefined> {
  return tx
    .selectFrom('external_refs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('source', '=', source)
    .where('kind', '=', kind)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

/** Records (or re-points) the mapping of an external record to a row, with what was imported. */
export async function saveRef(tx: Tx, ref: { tenantId: string; source: string; kind: string; externalId: string; entityId: string; fingerprint: string }): Promise<void> {
  await tx
    .insertInto('external_refs')
    .values({ tenant_id: ref.tenantId, source: ref.source, kind: ref.kind, external_id: ref.externalId, entity_id: ref.entityId, fingerprint: ref.fingerprint })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'source', 'kind', 'external_id']).doUpdateSet({ entity_id: ref.entityId, fingerprint: ref.fingerprint, updated_at: sql`now()` }),
    )
    .execute();
}

/** The oldest customer with this e-mail address (addresses are stored lower-cased). */
export async function findCustomerByEmail(tx: Tx, tenantId: string, email: string): Promise<CustomerRow | undefined> {
  return tx
    .selectFrom('customers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where(sql<boolean>`emails @> array[${email.toLowerCase()}]::text[]`)
    .orderBy('id')
    .executeTakeFirst();
}

/** The oldest customer with this phone number (as written). */
export async function findCustomerByPhone(tx: Tx, tenantId: string, phone: string): Promise<CustomerRow | undefined> {
  return tx
    .selectFrom('customers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where(sql<boolean>`phones @> array[${phone}]::text[]`)
    .orderBy('id')
    .executeTakeFirst();
}

export async function listImportRuns(tx: Tx, tenantId: string, page: PageRequest): Promise<Page<ImportRunRow>> {
  return pageQuery(tx.selectFrom('import_runs').selectAll().where('tenant_id', '=', tenantId), page);
}
