import type { Page, PageRequest } from '../db/repositories/paging.ts';
import { pageQuery } from '../db/repositories/paging.ts';
import type { NoticeRow } from '../db/schema.ts';
import { NotFoundError } from './errors.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

/** The notices sent for a subscription, newest first: what it was told, and when. */
export async function listNotices(scope: TenantScope, subscriptionId: string, page: PageRequest): Promise<Page<NoticeRow>> {
  return inTenantTx(scope, async (tx) => {
    const sub = await tx.selectFrom('subscriptions').select('id').where('tenant_id', '=', scope.tenantId).where('id', '=', subscriptionId).executeTakeFirst();
    if (!sub) throw new NotFoundError('subscription', subscriptionId);
    return pageQuery(tx.selectFrom('notices').selectAll().where('tenant_id', '=', scope.tenantId).where('subscription_id', '=', subscriptionId), page);
  });
}
