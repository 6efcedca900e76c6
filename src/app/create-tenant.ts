import type { Kysely } from 'kysely';
import { findTenantBySlug, insertApiToken, insertTenant } from '../db/repositories/tenants.ts';
import { newId } from '../db/ids.ts';
import type { DB, TenantRow } from '../db/schema.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { withTenant } from '../db/with-tenant.ts';
import { UnprocessableError } from './errors.ts';
import { generateToken } from './tokens.ts';

export interface CreatedTenant {
  tenant: TenantRow;
  /** The API token in clear: shown once, never stored. */
  token: string;
}

/** Creates a tenant with a unique URL slug and a first API token, in one transaction. */
export async function createTenant(
  db: Kysely<DB>,
  input: { name: string; slug?: string | undefined; actor: string },
): Promise<CreatedTenant> {
  const name = input.name.trim();
  if (!name) throw new UnprocessableError('a tenant needs a name', [{ parameter: 'name', detail: 'must not be empty' }]);
  const base = input.slug ?? slugify(name);
  if (!/^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/.test(base)) {
    throw new UnprocessableError('the slug must be lower-case letters, digits and dashes', [{ parameter: 'slug', detail: 'invalid slug' }]);
  }
  return db.transaction().execute(async (tx) => {
    const slug = input.slug ? base : await freeSlug(tx, base);
    if (input.slug && (await findTenantBySlug(tx, slug))) {
      throw new UnprocessableError(`the slug ${slug} is taken`, [{ parameter: 'slug', detail: 'is taken' }]);
    }
    const tenant = await insertTenant(tx, { id: newId(), slug, name });
    const issued = await issueToken(tx, tenant.id, 'initial', input.actor);
    await audit(tx, tenant.id, input.actor, 'tenant.created', 'tenant', tenant.id, ['name', 'slug']);
    return { tenant, token: issued.token };
  });
}

/** Issues another API token for a tenant (for scripts, the CLI, the demo), audited in the same transaction. */
export async function issueToken(db: Kysely<DB>, tenantId: string, name: string, actor: string): Promise<{ id: string; token: string }> {
  const issue = async (tx: Kysely<DB>) => {
    const { token, hash } = generateToken();
    const id = newId();
    await insertApiToken(tx, { id, tenantId, tokenHash: hash, name });
    await audit(tx, tenantId, actor, 'api_token.issued', 'api_token', id, ['name']);
    return { id, token };
  };
  return db.isTransaction ? issue(db) : db.transaction().execute(issue);
}

/**
 * Writes an audit row for a global-table change. withTenant() scopes the rest of the open
 * transaction to the tenant (so the row passes row-level security); callers do their global
 * writes first.
 */
async function audit(tx: Kysely<DB>, tenantId: string, actor: string, action: string, entityType: string, entityId: string, fields: string[]): Promise<void> {
  await withTenant(tx, tenantId, (scoped) => writeAudit(scoped, { tenantId, actor, action, entityType, entityId, fields }));
}

async function freeSlug(db: Kysely<DB>, base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base.slice(0, 45)}-${n}`;
    if (!(await findTenantBySlug(db, candidate))) return candidate;
  }
}

/** "Acme Café & Co." → "acme-cafe-co" */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/g, '');
  return slug || 'tenant';
}
