import { charterInEffect, findCharterVersion, listCharterVersions } from '../db/repositories/charters.ts';
import { findTenantBySlug } from '../db/repositories/tenants.ts';
import type { CharterVersionRow, TenantRow } from '../db/schema.ts';
import { withTenant } from '../db/with-tenant.ts';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { NotFoundError } from './errors.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

export async function getCharterInEffect(scope: TenantScope): Promise<CharterVersionRow> {
  const row = await inTenantTx(scope, (tx) => charterInEffect(tx, scope.tenantId, new Date()));
  if (!row) throw new NotFoundError('charter', '(none published yet)');
  return row;
}

export async function getCharterVersion(scope: TenantScope, version: number): Promise<CharterVersionRow> {
  const row = await inTenantTx(scope, (tx) => findCharterVersion(tx, scope.tenantId, version));
  if (!row) throw new NotFoundError('charter version', String(version));
  return row;
}

export async function listCharters(scope: TenantScope, limit: number, before?: number): Promise<CharterVersionRow[]> {
  return inTenantTx(scope, (tx) => listCharterVersions(tx, scope.tenantId, limit, before));
}

/** The public charter page: anyone may read the charter a company promises to every customer. */
export async function getPublicCharter(db: Kysely<DB>, slug: string): Promise<{ tenant: TenantRow; charter: CharterVersionRow }> {
  const tenant = await findTenantBySlug(db, slug);
  if (!tenant) throw new NotFoundError('tenant', slug);
  const charter = await withTenant(db, tenant.id, (tx) => charterInEffect(tx, tenant.id, new Date()));
  if (!charter) throw new NotFoundError('charter of', slug);
  return { tenant, charter };
}
