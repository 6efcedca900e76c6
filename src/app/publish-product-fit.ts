import type { ProductFitRow } from '../db/schema.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { newId } from '../db/ids.ts';
import { parseProductFit } from '../domain/offers/fit.ts';
import { NotFoundError, UnprocessableError } from './errors.ts';
import { inTenantTx, type TenantScope, type TxHooks } from './scope.ts';

/**
 * Publishes a new version of a product's fit. The YAML is validated in full first: a 422 lists every
 * problem with its line and column. Versions never change; offers record the version they were made under.
 */
export async function publishProductFit(scope: TenantScope, productId: string, source: string, hooks?: TxHooks<ProductFitRow>): Promise<ProductFitRow> {
  const parsed = parseProductFit(source);
  if (!parsed.ok) {
    throw new UnprocessableError(
      `the fit has ${parsed.errors.length} problem${parsed.errors.length === 1 ? '' : 's'}`,
      parsed.errors.map((e) => ({ pointer: '/source', line: e.line, column: e.column, detail: e.path ? `${e.path}: ${e.message}` : e.message })),
    );
  }
  return inTenantTx(
    scope,
    async (tx) => {
      // Locking the product serialises two publications of the same product's next version.
      const product = await tx.selectFrom('products').select('id').where('tenant_id', '=', scope.tenantId).where('id', '=', productId).forUpdate().executeTakeFirst();
      if (!product) throw new NotFoundError('product', productId);
      const last = await tx
        .selectFrom('product_fits')
        .select((eb) => eb.fn.max('version').as('v'))
        .where('tenant_id', '=', scope.tenantId)
        .where('product_id', '=', productId)
        .executeTakeFirst();
      const row = await tx
        .insertInto('product_fits')
        .values({ tenant_id: scope.tenantId, id: newId(), product_id: productId, version: Number(last?.v ?? 0) + 1, source, fit: JSON.stringify(parsed.fit) })
        .returningAll()
        .executeTakeFirstOrThrow();
      await writeAudit(tx, { tenantId: scope.tenantId, actor: scope.actor, action: 'product.fit_published', entityType: 'product', entityId: productId, fields: ['fit'] });
      return row;
    },
    hooks,
  );
}

/** One version of a product's fit, or its latest. */
export async function readProductFit(scope: TenantScope, productId: string, version?: number): Promise<ProductFitRow> {
  return inTenantTx(scope, async (tx) => {
    let q = tx.selectFrom('product_fits').selectAll().where('tenant_id', '=', scope.tenantId).where('product_id', '=', productId);
    q = version === undefined ? q.orderBy('version', 'desc').limit(1) : q.where('version', '=', version);
    const row = await q.executeTakeFirst();
    if (!row) throw new NotFoundError('product fit', version === undefined ? productId : `${productId} v${version}`);
    return row;
  });
}
