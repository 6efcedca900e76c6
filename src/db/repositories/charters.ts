import { sql } from 'kysely';
import type { CharterVersionRow } from '../schema.ts';
import type { Tx } from '../with-tenant.ts';

export async function insertCharterVersion(
  tx: Tx,
  values: { tenantId: string; source: string; document: unknown; effectiveAt: Date; changeNote: string | null; publishedBy: string },
): Promise<CharterVersionRow> {
  // The next version number; two concurrent publishes collide on the primary key and one is retried by its caller.
  return tx
    .insertInto('charter_versions')
    .values({
      tenant_id: values.tenantId,
      version: sql<number>`(select coalesce(max(version), 0) + 1 from charter_versions where tenant_id = ${values.tenantId})`,
      source: values.source,
      document: JSON.stringify(values.document),
      effective_at: values.effectiveAt,
      change_note: values.changeNote,
      published_by: values.publishedBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The version in effect at `at`: the newest one whose effective date has come. */
export async function charterInEffect(tx: Tx, tenantId: string, at: Date): Promise<CharterVersionRow | undefined> {
  return tx
    .selectFrom('charter_versions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('effective_at', '<=', at)
    .orderBy('effective_at', 'desc')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function findCharterVersion(tx: Tx, tenantId: string, version: number): Promise<CharterVersionRow | undefined> {
  return tx.selectFrom('charter_versions').selectAll().where('tenant_id', '=', tenantId).where('version', '=', version).executeTakeFirst();
}

export async function listCharterVersions(tx: Tx, tenantId: string, limit: number, before?: number): Promise<CharterVersionRow[]> {
  let query = tx.selectFrom('charter_versions').selectAll().where('tenant_id', '=', tenantId);
  if (before !== undefined) query = query.where('version', '<', before);
  return query.orderBy('version', 'desc').limit(limit).execute();
}
