import type { ProductCreate } from '../contracts/subscriptions.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { newId } from '../db/ids.ts';
import type { ProductRow } from '../db/schema.ts';
import { UnprocessableError } from './errors.ts';
import { inTenantTx, type TenantScope, type TxHooks } from './scope.ts';

/** Adds a product to the catalog: the thing sold, whose plans customers subscribe to. */
export async function createProduct(scope: TenantScope, input: ProductCreate, hooks?: TxHooks<ProductRow>): Promise<ProductRow> {
  const features = input.features ?? [];
  const seen = new Set<string>();
  const repeated = features.flatMap((f, i) => (seen.has(f.name) ? [{ pointer: `/features/${i}/name`, detail: `"${f.name}" is listed twice` }] : (seen.add(f.name), [])));
  if (repeated.length > 0) throw new UnprocessableError('each feature is listed once', repeated);
  return inTenantTx(
    scope,
    async (tx) => {
      const row = await tx
        .insertInto('products')
        .values({ tenant_id: scope.tenantId, id: newId(), name: input.name, description: input.description ?? null, features: JSON.stringify(features) })
        .returningAll()
        .executeTakeFirstOrThrow();
      await writeAudit(tx, { tenantId: scope.tenantId, actor: scope.actor, action: 'product.created', entityType: 'product', entityId: row.id, fields: ['name', 'description', 'features'] });
      return row;
    },
    hooks,
  );
}
