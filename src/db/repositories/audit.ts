import type { Tx } from '../with-tenant.ts';
import { newId } from '../ids.ts';

export interface AuditEntry {
  tenantId: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  /** Names of the fields that changed — never their values, so erasure never touches the log. */
  fields?: string[];
}

/** Appends an audit row inside the caller's transaction. */
export async function writeAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx
    .insertInto('audit_log')
    .values({
      tenant_id: entry.tenantId,
      id: newId(),
      actor: entry.actor,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      fields: entry.fields ?? [],
    })
    .execute();
}
