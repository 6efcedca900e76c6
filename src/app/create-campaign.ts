import type { CampaignCreate } from '../contracts/offers.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { newId } from '../db/ids.ts';
import type { CampaignRow } from '../db/schema.ts';
import { fitProblems, productFitSchema } from '../domain/offers/fit.ts';
import { formatPath } from '../domain/yaml-document.ts';
import type { FieldError } from './errors.ts';
import { UnprocessableError } from './errors.ts';
import { withUniqueFields } from './unique-conflict.ts';
import { inTenantTx, type TenantScope, type TxHooks } from './scope.ts';

/** Conditions a campaign's audience is written in, checked with the same rules as a product fit's target market. */
function audienceErrors(audience: CampaignCreate['audience']): FieldError[] {
  const probe = productFitSchema.parse({ keyFacts: 'x'.repeat(40), fees: { currency: 'EUR' }, needs: ['probe'], targetMarket: audience });
  return fitProblems(probe)
    .filter((p) => p.path[0] === 'targetMarket')
    .map((p) => ({ pointer: `/audience/${p.path.slice(1).join('/')}`, detail: `${formatPath(p.path.slice(1))}: ${p.message}` }));
}

/**
 * A campaign: a named set of products offered to an audience in a situation, owned by one agent, so
 * that every offer made under it — and what happened after — can be traced to it.
 */
export async function createCampaign(scope: TenantScope, input: CampaignCreate, hooks?: TxHooks<CampaignRow>): Promise<CampaignRow> {
  const errors = audienceErrors(input.audience);
  if (errors.length > 0) throw new UnprocessableError('the audience has problems', errors);
  return inTenantTx(
    scope,
    async (tx) => {
      const owner = await tx.selectFrom('agents').select('id').where('tenant_id', '=', scope.tenantId).where('id', '=', input.ownerId).executeTakeFirst();
      const products = await tx.selectFrom('products').select('id').where('tenant_id', '=', scope.tenantId).where('id', 'in', input.productIds).execute();
      const known = new Set(products.map((p) => p.id));
      const missing: FieldError[] = input.productIds.flatMap((id, i) => (known.has(id) ? [] : [{ pointer: `/productIds/${i}`, detail: 'no such product' }]));
      if (!owner) missing.push({ pointer: '/ownerId', detail: 'no such agent' });
      if (missing.length > 0) throw new UnprocessableError('the request refers to records that do not exist', missing);
      const row = await withUniqueFields([{ constraint: 'campaigns_tenant_name', pointer: '/name', detail: `a campaign named "${input.name}" exists` }], () =>
          tx
            .insertInto('campaigns')
            .values({
              tenant_id: scope.tenantId,
              id: newId(),
              name: input.name,
              product_ids: [...new Set(input.productIds)],
              audience: JSON.stringify(input.audience),
              situation: input.situation,
              owner_id: input.ownerId,
            })
            .returningAll()
            .executeTakeFirstOrThrow(),
      );
      await writeAudit(tx, { tenantId: scope.tenantId, actor: scope.actor, action: 'campaign.created', entityType: 'campaign', entityId: row.id, fields: ['name', 'productIds', 'audience', 'situation', 'ownerId'] });
      return row;
    },
    hooks,
  );
}
