import { sql, type Kysely } from 'kysely';
import type { DB, TenantRow } from '../schema.ts';

/** Tenants and API tokens are global tables: looked up before any tenant is known. */
export async function insertTenant(db: Kysely<DB>, tenant: { id: string; slug: string; name: string }): Promise<TenantRow> {
  return db.insertInto('tenants').values(tenant).returningAll().executeTakeFirstOrThrow();
}

export async function findTenantBySlug(db: Kysely<DB>, slug: string): Promise<TenantRow | undefined> {
  return db.selectFrom('tenants').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function findTenantById(db: Kysely<DB>, id: string): Promise<TenantRow | undefined> {
  return db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertApiToken(
  db: Kysely<DB>,
  token: { id: string; tenantId: string; tokenHash: string; name: string; expiresAt?: Date | null },
): Promise<void> {
  await db
    .insertInto('api_tokens')
    .values({
      id: token.id,
      tenant_id: token.tenantId,
      token_hash: token.tokenHash,
      name: token.name,
      expires_at: token.expiresAt ?? null,
    })
    .execute();
}

/** The live token with this hash: not revoked and not expired. */
export async function findLiveToken(db: Kysely<DB>, tokenHash: string): Promise<{ id: string; tenantId: string } | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'tenant_id'])
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', sql<Date>`now()`)]))
    .executeTakeFirst();
  return row && { id: row.id, tenantId: row.tenant_id };
}
