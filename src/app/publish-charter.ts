import { parseCharter } from '../domain/charter/parse.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { insertCharterVersion } from '../db/repositories/charters.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { CharterVersionRow } from '../db/schema.ts';
import { ConflictError, UnprocessableError } from './errors.ts';
import { inTenantTx, type TenantScope, type TxHooks } from './scope.ts';

export interface PublishCharterInput {
  /** The charter as YAML text. */
  source: string;
  /** When it takes effect; defaults to the document's `effective` date, else now. */
  effectiveAt?: string | undefined;
  changeNote?: string | undefined;
}

/**
 * Publishes a new charter version. The YAML is validated in full (every error with its line and
 * column); a published version is immutable, and conversations keep the version they opened under.
 */
export async function publishCharter(scope: TenantScope, input: PublishCharterInput, hooks?: TxHooks<CharterVersionRow>): Promise<CharterVersionRow> {
  const parsed = parseCharter(input.source);
  if (!parsed.ok) {
    throw new UnprocessableError(
      `the charter has ${parsed.errors.length} error${parsed.errors.length === 1 ? '' : 's'}`,
      parsed.errors.map((e) => ({
        pointer: '/source',
        line: e.line,
        column: e.column,
        detail: `line ${e.line}, column ${e.column}${e.path ? `, ${e.path}` : ''}: ${e.message}`,
      })),
    );
  }
  const effectiveAt = input.effectiveAt ? new Date(input.effectiveAt) : parsed.charter.effective ? new Date(`${parsed.charter.effective}T00:00:00Z`) : new Date();
  try {
    return await inTenantTx(
      scope,
      async (tx) => {
        const row = await insertCharterVersion(tx, {
          tenantId: scope.tenantId,
          source: input.source,
          document: parsed.charter,
          effectiveAt,
          changeNote: input.changeNote ?? parsed.charter.changeNote ?? null,
          publishedBy: scope.actor,
        });
        await writeAudit(tx, {
          tenantId: scope.tenantId,
          actor: scope.actor,
          action: 'charter.published',
          entityType: 'charter_version',
          entityId: String(row.version),
          fields: ['source', 'effectiveAt', 'changeNote'],
        });
        return row;
      },
      hooks,
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError('another charter version was published at the same moment; publish again');
    throw error;
  }
}
