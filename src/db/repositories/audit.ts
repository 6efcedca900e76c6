import { sql } from 'kysely';
import { chainHash, formatAuditTime, GENESIS_HASH, type AuditRowContent } from '../../domain/audit-chain.ts';
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

/**
 * Appends an audit row to the tenant's hash chain inside the caller's transaction. Taking the next
 * seq locks the tenant's head row until commit, so writers of one tenant take turns (and a rolled
 * back transaction leaves no gap); other tenants are not blocked. Two round trips.
 */
export async function writeAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  // Upsert-and-increment takes the row lock and is safe for concurrent first writers; it returns
  // the new seq and the hash still stored, which is the previous row's (GENESIS for seq 1).
  const { rows } = await sql<{ seq: number | string; hash: string }>`
    insert into audit_heads as h (tenant_id, seq, hash) values (${entry.tenantId}, 1, ${GENESIS_HASH})
    on conflict (tenant_id) do update set seq = h.seq + 1
    returning seq, hash`.execute(tx);
  const head = rows[0]!;
  const row: AuditRowContent = {
    tenantId: entry.tenantId,
    seq: Number(head.seq),
    id: newId(),
    // Whole milliseconds: stored exactly by timestamptz, so the hash can be recomputed from the row.
    at: formatAuditTime(new Date()),
    actor: entry.actor,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    fields: entry.fields ?? [],
  };
  const hash = chainHash(head.hash, row);
  await sql`
    with moved as (update audit_heads set hash = ${hash} where tenant_id = ${row.tenantId})
    insert into audit_log (tenant_id, id, at, actor, action, entity_type, entity_id, fields, seq, prev_hash, hash)
    values (${row.tenantId}, ${row.id}, ${row.at}, ${row.actor}, ${row.action}, ${row.entityType}, ${row.entityId}, ${[...row.fields]}, ${row.seq}, ${head.hash}, ${hash})`.execute(tx);
}

/**
 * Appends several audit rows (in this order) to the tenant's chain in one go, for bulk writers such
 * as the importers: the same rows writeAudit would write one by one, in two round trips whatever
 * their number. Takes the head row's lock like writeAudit.
 */
export async function writeAudits(tx: Tx, tenantId: string, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const n = entries.length;
  // Reserve n seqs: the head ends at the last one; the first is head - n + 1.
  const { rows } = await sql<{ seq: number | string; hash: string }>`
    insert into audit_heads as h (tenant_id, seq, hash) values (${tenantId}, ${n}, ${GENESIS_HASH})
    on conflict (tenant_id) do update set seq = h.seq + ${n}
    returning seq, hash`.execute(tx);
  const head = rows[0]!;
  let prev = head.hash;
  const first = Number(head.seq) - n + 1;
  const at = formatAuditTime(new Date());
  const stored = entries.map((entry, i) => {
    const row: AuditRowContent = { tenantId, seq: first + i, id: newId(), at, actor: entry.actor, action: entry.action, entityType: entry.entityType, entityId: entry.entityId, fields: entry.fields ?? [] };
    const hash = chainHash(prev, row);
    const out = { row, prevHash: prev, hash };
    prev = hash;
    return out;
  });
  await sql`
    with moved as (update audit_heads set hash = ${prev} where tenant_id = ${tenantId})
    insert into audit_log (tenant_id, id, at, actor, action, entity_type, entity_id, fields, seq, prev_hash, hash)
    values ${sql.join(stored.map(({ row, prevHash, hash }) => sql`(${row.tenantId}, ${row.id}, ${row.at}, ${row.actor}, ${row.action}, ${row.entityType}, ${row.entityId}, ${[...row.fields]}, ${row.seq}, ${prevHash}, ${hash})`))}`.execute(tx);
}
