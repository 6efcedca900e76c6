import { sql, type Kysely } from 'kysely';
import { chainHash, GENESIS_HASH, type AuditRowContent } from '../../domain/audit-chain.ts';

const BATCH = 2000;

/**
 * The audit log becomes a hash chain per tenant: each row gets its seq and its links, a head
 * per tenant (the row writers lock), and a table of signed checkpoints. Existing rows are chained
 * here, per tenant in id order (ids are time-ordered), so the migration works on a used store.
 * `at` loses its default: the application writes it, so the hash covers exactly what is stored.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table audit_log add column seq bigint, add column prev_hash text, add column hash text;
    alter table audit_log alter column at drop default;

    create table audit_heads (
      tenant_id uuid primary key references tenants (id),
      seq bigint not null,
      hash text not null
    );

    create table audit_checkpoints (
      tenant_id uuid not null references tenants (id),
      seq bigint not null,
      hash text not null,
      signed_at timestamptz not null,
      key_id text not null,
      signature text not null,
      primary key (tenant_id, seq, key_id)
    );
  `.execute(db);

  // A table owner that is not a superuser is bound by FORCEd row-level security and would see no
  // rows to chain; lift FORCE for this transaction and put it back (secureSchema checks it too).
  const { rows: forced } = await sql<{ forced: boolean }>`
    select relforcerowsecurity as forced from pg_class where oid = 'audit_log'::regclass`.execute(db);
  if (forced[0]?.forced) await sql`alter table audit_log no force row level security`.execute(db);

  const { rows: tenants } = await sql<{ tenant_id: string }>`select distinct tenant_id from audit_log`.execute(db);
  for (const { tenant_id: tenantId } of tenants) await chainExistingRows(db, tenantId);

  await sql`
    alter table audit_log alter column seq set not null, alter column prev_hash set not null, alter column hash set not null;
    create unique index audit_log_tenant_seq on audit_log (tenant_id, seq);
  `.execute(db);
  if (forced[0]?.forced) await sql`alter table audit_log force row level security`.execute(db);
}

interface LegacyRow {
  id: string;
  at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  fields: string[];
}

async function chainExistingRows(db: Kysely<unknown>, tenantId: string): Promise<void> {
  let seq = 0;
  let prev = GENESIS_HASH;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await sql<LegacyRow>`
      select id, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, actor, action, entity_type, entity_id, fields
      from audit_log where tenant_id = ${tenantId} and id > ${after} order by id limit ${BATCH}`.execute(db);
    if (rows.length === 0) break;
    const ids: string[] = [];
    const seqs: number[] = [];
    const prevs: string[] = [];
    const hashes: string[] = [];
    for (const r of rows) {
      const content: AuditRowContent = { tenantId, seq: ++seq, id: r.id, at: r.at, actor: r.actor, action: r.action, entityType: r.entity_type, entityId: r.entity_id, fields: r.fields };
      const hash = chainHash(prev, content);
      ids.push(r.id);
      seqs.push(seq);
      prevs.push(prev);
      hashes.push(hash);
      prev = hash;
    }
    await sql`
      update audit_log a set seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
      from unnest(${ids}::uuid[], ${seqs}::bigint[], ${prevs}::text[], ${hashes}::text[]) as v (id, seq, prev_hash, hash)
      where a.tenant_id = ${tenantId} and a.id = v.id`.execute(db);
    after = rows[rows.length - 1]!.id;
  }
  await sql`insert into audit_heads (tenant_id, seq, hash) values (${tenantId}, ${seq}, ${prev})`.execute(db);
}
