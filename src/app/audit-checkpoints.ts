import type { Kysely } from 'kysely';
import { z } from 'zod';
import { checkpointMessage } from '../domain/audit-chain.ts';
import type { DB } from '../db/schema.ts';
import { withTenant } from '../db/with-tenant.ts';
import { signMessage, type AuditSigningKey } from './audit-signing-key.ts';

/** How often `fairdesk serve` signs the head of every tenant whose chain moved. */
export const CHECKPOINT_INTERVAL_MS = 10 * 60_000;

/** A line of an exported checkpoints file (JSONL): the public keys first, then the checkpoints. */
export const exportedLineSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('key'), keyId: z.string(), publicKey: z.string() }),
  z.strictObject({
    kind: z.literal('checkpoint'),
    tenantId: z.string(),
    seq: z.number().int().min(1),
    hash: z.string(),
    signedAt: z.string(),
    keyId: z.string(),
    signature: z.string(),
  }),
]);
export type ExportedLine = z.infer<typeof exportedLineSchema>;
export type ExportedCheckpoint = Extract<ExportedLine, { kind: 'checkpoint' }>;

/** One tenant's outcome of a checkpoint run. */
export interface CheckpointWritten {
  tenantId: string;
  seq: number;
  /** False when the head had not moved since this key's last checkpoint (nothing to sign). */
  written: boolean;
}

/**
 * Signs the chain head of every tenant (or the given ones) whose head moved since the key's last
 * checkpoint, and stores the checkpoint. One short transaction per tenant, as the app role.
 */
export async function writeAuditCheckpoints(db: Kysely<DB>, key: AuditSigningKey, options: { tenantIds?: string[]; now?: Date } = {}): Promise<CheckpointWritten[]> {
  const tenantIds = options.tenantIds ?? (await db.selectFrom('tenants').select('id').orderBy('id').execute()).map((t) => t.id);
  const out: CheckpointWritten[] = [];
  for (const tenantId of tenantIds) {
    out.push(
      await withTenant(db, tenantId, async (tx) => {
        const head = await tx.selectFrom('audit_heads').select(['seq', 'hash']).where('tenant_id', '=', tenantId).executeTakeFirst();
        if (!head) return { tenantId, seq: 0, written: false };
        const seq = Number(head.seq);
        const last = await tx
          .selectFrom('audit_checkpoints')
          .select((eb) => eb.fn.max('seq').as('seq'))
          .where('tenant_id', '=', tenantId)
          .where('key_id', '=', key.keyId)
          .executeTakeFirst();
        if (last?.seq !== null && last?.seq !== undefined && Number(last.seq) >= seq) return { tenantId, seq, written: false };
        const signedAt = (options.now ?? new Date()).toISOString();
        const signature = signMessage(key, checkpointMessage({ tenantId, seq, hash: head.hash, signedAt }));
        // Another server signing the same head at the same moment writes it, not both (the key is shared).
        const inserted = await tx
          .insertInto('audit_checkpoints')
          .values({ tenant_id: tenantId, seq, hash: head.hash, signed_at: signedAt, key_id: key.keyId, signature })
          .onConflict((oc) => oc.doNothing())
          .returning('seq')
          .executeTakeFirst();
        return { tenantId, seq, written: inserted !== undefined };
      }),
    );
  }
  return out;
}

/** A stored checkpoint in the exported shape. */
export async function listAuditCheckpoints(db: Kysely<DB>, tenantId: string): Promise<ExportedCheckpoint[]> {
  const rows = await withTenant(db, tenantId, (tx) =>
    tx.selectFrom('audit_checkpoints').selectAll().where('tenant_id', '=', tenantId).orderBy('seq').orderBy('key_id').execute(),
  );
  return rows.map((r) => ({
    kind: 'checkpoint' as const,
    tenantId,
    seq: Number(r.seq),
    hash: r.hash,
    signedAt: r.signed_at.toISOString(),
    keyId: r.key_id,
    signature: r.signature,
  }));
}

/**
 * The stored checkpoints of every tenant (or the given ones) as JSONL lines to keep elsewhere,
 * led by the public key they can be checked with (only the current key's public half is known).
 */
export async function exportAuditCheckpoints(db: Kysely<DB>, key: AuditSigningKey | null, options: { tenantIds?: string[] } = {}): Promise<ExportedLine[]> {
  const tenantIds = options.tenantIds ?? (await db.selectFrom('tenants').select('id').orderBy('id').execute()).map((t) => t.id);
  const lines: ExportedLine[] = key ? [{ kind: 'key', keyId: key.keyId, publicKey: key.publicKeyPem }] : [];
  for (const tenantId of tenantIds) lines.push(...(await listAuditCheckpoints(db, tenantId)));
  return lines;
}
