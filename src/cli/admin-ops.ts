import { generateOfferHistory } from '../app/generate-offer-history.ts';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { exportAuditCheckpoints, exportedLineSchema, writeAuditCheckpoints } from '../app/audit-checkpoints.ts';
import { loadAuditSigningKey } from '../app/audit-signing-key.ts';
import { backupStore } from '../app/backup-store.ts';
import { writeConversationsExport } from './export-conversations-file.ts';
import { billingRun } from '../app/billing-run.ts';
import { createTenant } from '../app/create-tenant.ts';
import { NotFoundError } from '../app/errors.ts';
import { generateHistory } from '../app/generate-history.ts';
import { publishCharter } from '../app/publish-charter.ts';
import { verifyAuditLog } from '../app/verify-audit-log.ts';
import { seedDemo } from '../app/seed-demo.ts';
import { importFile } from '../app/import-file.ts';
import { IMPORT_KINDS, type ImportKind } from '../domain/imports.ts';
import { findTenantById, findTenantBySlug } from '../db/repositories/tenants.ts';
import type { DB } from '../db/schema.ts';
import type { Store } from '../db/store.ts';

/** Reports how far a long operation has got; the CLI draws it as a progress bar. */
export type Progress = (done: number, total: number) => void;

async function tenantIdOf(db: Kysely<DB>, slugOrId: string): Promise<string> {
  const uuid = /^[0-9a-f-]{36}$/i.test(slugOrId);
  const tenant = uuid ? await findTenantById(db, slugOrId) : await findTenantBySlug(db, slugOrId);
  if (!tenant) throw new NotFoundError('tenant', slugOrId);
  return tenant.id;
}

/**
 * The operations the CLI can run against a store. Each runs either in the CLI's own process (when
 * no server holds the embedded store) or inside `fairdesk serve`, sent over its admin socket —
 * the same code either way, so both paths behave alike.
 */
export const adminOps = {
  'tenant.create': {
    args: z.strictObject({ name: z.string(), slug: z.string().optional() }),
    run: async (store: Store, args: { name: string; slug?: string | undefined }) => {
      const { tenant, token } = await createTenant(store.db, { name: args.name, slug: args.slug, actor: 'cli' });
      return { tenantId: tenant.id, slug: tenant.slug, name: tenant.name, token };
    },
  },
  demo: {
    args: z.strictObject({}),
    run: async (store: Store) => seedDemo(store.db),
  },
  'demo.history': {
    args: z.strictObject({ tenant: z.string(), conversations: z.number().int().min(1).max(2_000_000), starveLowestBand: z.boolean() }),
    run: async (store: Store, args: { tenant: string; conversations: number; starveLowestBand: boolean }, progress?: Progress) => {
      const tenantId = await tenantIdOf(store.db, args.tenant);
      return generateHistory(store.db, tenantId, { conversations: args.conversations, starveLowestBand: args.starveLowestBand, onProgress: progress });
    },
  },
  'offers.history': {
    args: z.strictObject({ tenant: z.string(), seed: z.number().int() }),
    run: async (store: Store, args: { tenant: string; seed: number }, progress?: Progress) => {
      const tenantId = await tenantIdOf(store.db, args.tenant);
      const made = await generateOfferHistory({ db: store.db, tenantId, actor: 'cli' }, { seed: args.seed, onProgress: progress });
      return { sales: made.sales, agents: made.agents.length, campaigns: made.campaignIds.length };
    },
  },
  'charter.publish': {
    args: z.strictObject({ tenant: z.string(), source: z.string(), effectiveAt: z.string().optional(), changeNote: z.string().optional() }),
    run: async (store: Store, args: { tenant: string; source: string; effectiveAt?: string | undefined; changeNote?: string | undefined }) => {
      const tenantId = await tenantIdOf(store.db, args.tenant);
      const row = await publishCharter({ db: store.db, tenantId, actor: 'cli' }, { source: args.source, effectiveAt: args.effectiveAt, changeNote: args.changeNote });
      return { version: row.version, effectiveAt: row.effective_at.toISOString() };
    },
  },
  'billing.run': {
    args: z.strictObject({ until: z.string().datetime({ offset: true }).optional(), publicOrigin: z.string().url().optional() }),
    run: async (store: Store, args: { until?: string | undefined; publicOrigin?: string | undefined }, progress?: Progress) =>
      billingRun(store.db, { until: args.until ? new Date(args.until) : new Date(), actor: 'cli', onProgress: progress, publicOrigin: args.publicOrigin }),
  },
  // The audit ops read the signing key where the store is served: FAIRDESK_AUDIT_KEY, else the data folder.
  'audit.verify': {
    args: z.strictObject({ tenant: z.string().optional(), checkpoints: z.array(exportedLineSchema).optional() }),
    run: async (store: Store, args: { tenant?: string | undefined; checkpoints?: z.infer<typeof exportedLineSchema>[] | undefined }, progress?: Progress) => {
      const tenantIds = args.tenant ? [await tenantIdOf(store.db, args.tenant)] : undefined;
      const key = loadAuditSigningKey({ dataDir: store.dataDir, env: process.env, create: false });
      return verifyAuditLog(store.db, { tenantIds, trustedKeys: key ? [key] : [], exported: args.checkpoints, onProgress: progress });
    },
  },
  'audit.checkpoint': {
    args: z.strictObject({ tenant: z.string().optional() }),
    run: async (store: Store, args: { tenant?: string | undefined }) => {
      const tenantIds = args.tenant ? [await tenantIdOf(store.db, args.tenant)] : undefined;
      const key = loadAuditSigningKey({ dataDir: store.dataDir, env: process.env, create: true })!;
      return { keyId: key.keyId, tenants: await writeAuditCheckpoints(store.db, key, { tenantIds }) };
    },
  },
  'audit.exportCheckpoints': {
    args: z.strictObject({ tenant: z.string().optional() }),
    run: async (store: Store, args: { tenant?: string | undefined }) => {
      const tenantIds = args.tenant ? [await tenantIdOf(store.db, args.tenant)] : undefined;
      const key = loadAuditSigningKey({ dataDir: store.dataDir, env: process.env, create: false });
      return { lines: await exportAuditCheckpoints(store.db, key, { tenantIds }) };
    },
  },
  // Inside `serve` this runs on the server's own connection queue, so the dump is consistent while it serves.
  'store.backup': {
    args: z.strictObject({ out: z.string().min(1) }),
    run: async (store: Store, args: { out: string }) => backupStore(store, args.out),
  },
  // Written by whoever holds the store (the server, through its admin socket), to a path the CLI resolved.
  'export.conversations': {
    args: z.strictObject({
      tenant: z.string(),
      out: z.string().min(1),
      from: z.string().datetime({ offset: true }).optional(),
      to: z.string().datetime({ offset: true }).optional(),
      status: z.enum(['open', 'pending', 'resolved', 'closed']).optional(),
    }),
    run: async (store: Store, args: { tenant: string; out: string; from?: string | undefined; to?: string | undefined; status?: 'open' | 'pending' | 'resolved' | 'closed' | undefined }, progress?: Progress) => {
      const tenantId = await tenantIdOf(store.db, args.tenant);
      const { tenant: _t, out, ...filter } = args;
      return writeConversationsExport({ db: store.db, tenantId, actor: 'cli' }, filter, out, progress);
    },
  },
  // The server reads the file itself (same machine, absolute path): nothing is streamed through the socket.
  'import.run': {
    args: z.strictObject({ tenant: z.string(), kind: z.enum(IMPORT_KINDS), path: z.string().startsWith('/'), rejectedPath: z.string().startsWith('/').optional(), fresh: z.boolean().optional() }),
    run: async (store: Store, args: { tenant: string; kind: ImportKind; path: string; rejectedPath?: string | undefined; fresh?: boolean | undefined }, progress?: Progress) => {
      const tenantId = await tenantIdOf(store.db, args.tenant);
      return importFile({ db: store.db, tenantId, actor: 'cli' }, { kind: args.kind, path: args.path, rejectedPath: args.rejectedPath, fresh: args.fresh, onProgress: progress });
    },
  },
} as const;

export type AdminOpName = keyof typeof adminOps;
export type AdminOpResult<N extends AdminOpName> = Awaited<ReturnType<(typeof adminOps)[N]['run']>>;

export function isAdminOp(name: string): name is AdminOpName {
  return Object.hasOwn(adminOps, name);
}

/** Validates the arguments and runs one operation. */
export async function runAdminOp(store: Store, name: AdminOpName, args: unknown, progress?: Progress): Promise<unknown> {
  const op = adminOps[name];
  const parsed = op.args.parse(args);
  return (op.run as (store: Store, args: unknown, progress?: Progress) => Promise<unknown>)(store, parsed, progress);
}
