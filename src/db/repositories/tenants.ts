import { sql, type Kysely } from 'kysely';
import type { ApiTokenRow, DB, TenantRow } from '../schema.ts';

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
  token: { id: string; tenantId: string; tokenHash: string; name: string; expiresAt?: Date | null; scopes?: string[]; createdBy?: string },
): Promise<ApiTokenRow> {
  return db
    .insertInto('api_tokens')
    .values({
      id: token.id,
      tenant_id: token.tenantId,
      token_hash: token.tokenHash,
      name: token.name,
      expires_at: token.expiresAt ?? null,
      scopes: token.scopes ?? ['*'],
      created_by: token.createdBy ?? 'system',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The live token with this hash: not revoked and not expired. */
export async function findLiveToken(db: Kysely<DB>, tokenHash: string): Promise<{ id: string; tenantId: string; scopes: string[] } | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'tenant_id', 'scopes'])
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', sql<Date>`now()`)]))
    .executeTakeFirst();
  return row && { id: row.id, tenantId: row.tenant_id, scopes: row.scopes };
}

// api_tokens is a global table (looked up before the tenant is known), so these filter by tenant themselves.
export async function listApiTokens(db: Kysely<DB>, tenantId: string): Promise<ApiTokenRow[]> {
  return db.selectFrom('api_tokens').selectAll().where('tenant_id', '=', tenantId).orderBy('id', 'desc').execute();
}

export async function revokeApiToken(db: Kysely<DB>, tenantId: string, id: string): Promise<ApiTokenRow | undefined> {
  return db
    .updateTable('api_tokens')
    .set({ revoked_at: sql`coalesce(revoked_at, now())` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}
