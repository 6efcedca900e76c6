import { invalidScopes } from '../domain/policy.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { insertApiToken, listApiTokens, revokeApiToken } from '../db/repositories/tenants.ts';
import { newId } from '../db/ids.ts';
import type { ApiTokenRow } from '../db/schema.ts';
import { withTenant } from '../db/with-tenant.ts';
import { NotFoundError, UnprocessableError } from './errors.ts';
import type { TenantScope } from './scope.ts';
import { generateToken } from './tokens.ts';

/** Issues a scoped API token (the clear token is returned once) and audits it in the same transaction. */
export async function createApiToken(scope: TenantScope, input: { name: string; scopes: string[]; expiresAt?: string | undefined }): Promise<{ row: ApiTokenRow; token: string }> {
  const unknown = invalidScopes(input.scopes);
  if (unknown.length > 0) throw new UnprocessableError('unknown scopes', [{ pointer: '/scopes', detail: `unknown: ${unknown.join(', ')}` }]);
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt.getTime() <= Date.now()) throw new UnprocessableError('the token would already be expired', [{ pointer: '/expiresAt', detail: 'must be in the future' }]);
  const { token, hash } = generateToken();
  return scope.db.transaction().execute(async (tx) => {
    // The global token table first, as the connecting role; then the audit row under the tenant's scope.
    const row = await insertApiToken(tx, { id: newId(), tenantId: scope.tenantId, tokenHash: hash, name: input.name, expiresAt, scopes: [...new Set(input.scopes)], createdBy: scope.actor });
    await withTenant(tx, scope.tenantId, (scoped) =>
      writeAudit(scoped, { tenantId: scope.tenantId, actor: scope.actor, action: 'api_token.issued', entityType: 'api_token', entityId: row.id, fields: ['name', 'scopes', 'expiresAt'] }),
    );
    return { row, token };
  });
}

export async function listTokens(scope: TenantScope): Promise<ApiTokenRow[]> {
  return listApiTokens(scope.db, scope.tenantId);
}

/** Revokes a token at once: the next request with it is refused. */
export async function revokeToken(scope: TenantScope, id: string): Promise<ApiTokenRow> {
  return scope.db.transaction().execute(async (tx) => {
    const row = await revokeApiToken(tx, scope.tenantId, id);
    if (!row) throw new NotFoundError('api token', id);
    await withTenant(tx, scope.tenantId, (scoped) =>
      writeAudit(scoped, { tenantId: scope.tenantId, actor: scope.actor, action: 'api_token.revoked', entityType: 'api_token', entityId: id, fields: ['revokedAt'] }),
    );
    return row;
  });
}
