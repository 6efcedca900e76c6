import { sql, type Kysely } from 'kysely';
import { ChainWalker, checkpointMessage, type BrokenLink, type StoredAuditRow, type TrustedCheckpoint } from '../domain/audit-chain.ts';
import type { DB } from '../db/schema.ts';
import { withTenant } from '../db/with-tenant.ts';
import { listAuditCheckpoints, type ExportedCheckpoint, type ExportedLine } from './audit-checkpoints.ts';
import { parseAuditPublicKey, verifyMessage, type AuditPublicKey } from './audit-signing-key.ts';

const BATCH = 2000;

/** One tenant's verdict; `firstBroken` is null when its chain, head and checkpoints agree. */
export interface TenantAuditVerdict {
  tenantId: string;
  slug: string | null;
  rows: number;
  /** The head's seq (0 when the tenant has none). */
  head: number;
  headHash: string | null;
  /** Checkpoints compared with the chain: stored ones and those from an exported file. */
  checkpoints: number;
  firstBroken: BrokenLink | null;
}

export interface AuditVerifyReport {
  ok: boolean;
  tenants: TenantAuditVerdict[];
}

export interface VerifyAuditOptions {
  /** Only these tenants (default: all). */
  tenantIds?: string[];
  /** Keys whose signatures are trusted: the current signing key's public half, typically. */
  trustedKeys: AuditPublicKey[];
  /** Lines of an exported checkpoints file kept elsewhere; its keys are trusted too. */
  exported?: ExportedLine[];
  onProgress?: (done: number, total: number) => void;
}

interface RowRecord {
  seq: number | string;
  id: string;
  at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  fields: string[];
  prev_hash: string;
  hash: string;
}

/**
 * Walks every tenant's audit chain (in batches, one short transaction each, so a server beside it
 * keeps answering), recomputing hashes, checking seq continuity, the head and every checkpoint —
 * stored and exported — and names each tenant's first broken link.
 */
export async function verifyAuditLog(db: Kysely<DB>, options: VerifyAuditOptions): Promise<AuditVerifyReport> {
  const keys = new Map(options.trustedKeys.map((k) => [k.keyId, k]));
  const exported: ExportedCheckpoint[] = [];
  for (const line of options.exported ?? []) {
    if (line.kind === 'key') {
      const key = parseAuditPublicKey(line.publicKey);
      if (key.keyId !== line.keyId) throw new Error(`the exported key ${line.keyId} does not match its public key (${key.keyId})`);
      keys.set(key.keyId, key);
    } else exported.push(line);
  }
  let tenants = await db.selectFrom('tenants').select(['id', 'slug']).orderBy('id').execute();
  if (options.tenantIds) tenants = tenants.filter((t) => options.tenantIds!.includes(t.id));

  // The total for the progress bar: the heads now (the walk stops at each head as read later).
  const heads = new Map<string, number>();
  for (const t of tenants) heads.set(t.id, (await readHead(db, t.id))?.seq ?? 0);
  const total = [...heads.values()].reduce((a, b) => a + b, 0);
  let done = 0;
  options.onProgress?.(0, total);

  const verdicts: TenantAuditVerdict[] = [];
  for (const tenant of tenants) {
    const verdict = await verifyTenant(db, tenant.id, keys, exported.filter((c) => c.tenantId === tenant.id), (rows) => {
      done += rows;
      options.onProgress?.(Math.min(done, Math.max(total, done)), Math.max(total, done));
    });
    verdicts.push({ ...verdict, slug: tenant.slug });
  }
  // A tenant the exported file vouches for must still exist.
  const known = new Set(tenants.map((t) => t.id));
  for (const tenantId of new Set(exported.map((c) => c.tenantId))) {
    if (known.has(tenantId) || (options.tenantIds && !options.tenantIds.includes(tenantId))) continue;
    const maxSeq = Math.max(...exported.filter((c) => c.tenantId === tenantId).map((c) => c.seq));
    verdicts.push({ tenantId, slug: null, rows: 0, head: 0, headHash: null, checkpoints: 0, firstBroken: { seq: 1, id: null, problem: `the tenant is gone, but exported checkpoints cover its chain up to seq ${maxSeq}` } });
  }
  return { ok: verdicts.every((v) => v.firstBroken === null), tenants: verdicts };
}

async function readHead(db: Kysely<DB>, tenantId: string): Promise<{ seq: number; hash: string } | null> {
  const head = await withTenant(db, tenantId, (tx) => tx.selectFrom('audit_heads').select(['seq', 'hash']).where('tenant_id', '=', tenantId).executeTakeFirst());
  return head ? { seq: Number(head.seq), hash: head.hash } : null;
}

async function verifyTenant(
  db: Kysely<DB>,
  tenantId: string,
  keys: ReadonlyMap<string, AuditPublicKey>,
  exported: ExportedCheckpoint[],
  walked: (rows: number) => void,
): Promise<Omit<TenantAuditVerdict, 'slug'>> {
  // Checkpoints before the head: every checkpoint then covers a seq at or below the head we read.
  const stored = await listAuditCheckpoints(db, tenantId);
  const problems: BrokenLink[] = [];
  const trusted: TrustedCheckpoint[] = [];
  for (const [source, list] of [['stored', stored], ['exported', exported]] as const) {
    for (const cp of list) {
      const label = `${source} checkpoint signed ${cp.signedAt}`;
      const key = keys.get(cp.keyId);
      if (!key) {
        problems.push({ seq: cp.seq, id: null, problem: `the ${label} is signed by key ${cp.keyId}, which is not known here (give the exported checkpoints that carry its public key with --checkpoints)` });
      } else if (!verifyMessage(key, checkpointMessage({ tenantId, seq: cp.seq, hash: cp.hash, signedAt: cp.signedAt }), cp.signature)) {
        problems.push({ seq: cp.seq, id: null, problem: `the ${label} at seq ${cp.seq} has an invalid signature (forged or altered)` });
      } else trusted.push({ seq: cp.seq, hash: cp.hash, label });
    }
  }
  const head = await readHead(db, tenantId);
  const bound = head?.seq ?? (await maxSeq(db, tenantId)) ?? 0;

  const walker = new ChainWalker(trusted);
  let after = { seq: 0, id: '00000000-0000-0000-0000-000000000000' };
  for (;;) {
    const rows = await withTenant(db, tenantId, async (tx) =>
      (
        await sql<RowRecord>`
          select seq, id, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, actor, action, entity_type, entity_id, fields, prev_hash, hash
          from audit_log
          where tenant_id = ${tenantId} and (seq, id) > (${after.seq}, ${after.id}::uuid) and seq <= ${bound}
          order by seq, id limit ${BATCH}`.execute(tx)
      ).rows,
    );
    for (const r of rows) walker.push(toStored(tenantId, r));
    walked(rows.length);
    if (rows.length < BATCH) break;
    const last = rows[rows.length - 1]!;
    after = { seq: Number(last.seq), id: last.id };
  }

  // Rows past the head were not written through the head lock. Both read in one statement, so a
  // write committing meanwhile cannot make them disagree.
  const tail = await withTenant(db, tenantId, async (tx) =>
    (
      await sql<{ max_seq: number | string | null; head_seq: number | string | null }>`
        select (select max(seq) from audit_log where tenant_id = ${tenantId}) as max_seq,
               (select seq from audit_heads where tenant_id = ${tenantId}) as head_seq`.execute(tx)
    ).rows[0],
  );
  const maxNow = Number(tail?.max_seq ?? 0);
  const headNow = Number(tail?.head_seq ?? 0);
  if (head && maxNow > headNow) problems.push({ seq: headNow + 1, id: null, problem: `rows beyond the head (seq ${headNow}) up to seq ${maxNow}, appended outside the chain` });

  const verdict = walker.finish(head, problems);
  return { tenantId, rows: verdict.rows, head: head?.seq ?? 0, headHash: head?.hash ?? null, checkpoints: stored.length + exported.length, firstBroken: verdict.firstBroken };
}

async function maxSeq(db: Kysely<DB>, tenantId: string): Promise<number | null> {
  const row = await withTenant(db, tenantId, (tx) => tx.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('seq')).where('tenant_id', '=', tenantId).executeTakeFirst());
  return row?.seq === null || row?.seq === undefined ? null : Number(row.seq);
}

function toStored(tenantId: string, r: RowRecord): StoredAuditRow {
  return {
    tenantId,
    seq: Number(r.seq),
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    fields: r.fields,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
