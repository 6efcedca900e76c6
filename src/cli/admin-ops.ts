import { z } from 'zod';
import { createTenant } from '../app/create-tenant.ts';
import { seedDemo } from '../app/seed-demo.ts';
import type { Store } from '../db/store.ts';

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
} as const;

export type AdminOpName = keyof typeof adminOps;
export type AdminOpResult<N extends AdminOpName> = Awaited<ReturnType<(typeof adminOps)[N]['run']>>;

export function isAdminOp(name: string): name is AdminOpName {
  return Object.hasOwn(adminOps, name);
}

/** Validates the arguments and runs one operation. */
export async function runAdminOp(store: Store, name: AdminOpName, args: unknown): Promise<unknown> {
  const op = adminOps[name];
  const parsed = op.args.parse(args);
  return (op.run as (store: Store, args: unknown) => Promise<unknown>)(store, parsed);
}
