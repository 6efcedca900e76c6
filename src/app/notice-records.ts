/**
 * Writing a notice: the record (unique per subscription, kind and period — a second attempt writes
 * nothing) and its e-mail through the outbox, in the caller's transaction.
 */
import type { Addressee, NoticeCopy, NoticeKind } from '../domain/notices.ts';
import { enqueue } from '../db/repositories/outbox.ts';
import { newId } from '../db/ids.ts';
import type { CustomerRow, NoticeRow, PlanRow, SubscriptionRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';

/** The one-click cancel page of a subscription (the logged-out cancel route of the portal). */
export function cancelUrl(publicOrigin: string, slug: string, subscriptionReference: string): string {
  return `${publicOrigin.replace(/\/+$/, '')}/portal/${encodeURIComponent(slug)}/cancel?reference=${encodeURIComponent(subscriptionReference)}`;
}

/** A zone the runtime knows, else UTC (a customer record may carry a stale or mistyped zone). */
export function zoneOrUtc(zone: string | null): string {
  if (!zone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}

export async function tenantSlug(tx: Tx, tenantId: string): Promise<string> {
  return (await tx.selectFrom('tenants').select('slug').where('id', '=', tenantId).executeTakeFirstOrThrow()).slug;
}

export function addresseeOf(customer: CustomerRow, plan: PlanRow, sub: SubscriptionRow, link: string): Addressee {
  return {
    customerName: customer.name,
    planName: plan.name,
    subscriptionReference: sub.reference,
    currency: plan.currency,
    interval: plan.interval,
    timeZone: zoneOrUtc(customer.time_zone),
    locale: customer.locale ?? undefined,
    cancelUrl: link,
  };
}

/**
 * Records the notice and queues its e-mail to the customer's first address (none on file, or an
 * erased customer: recorded with no address, nothing sent). Null when this notice was sent before.
 */
export async function recordNotice(
  tx: Tx,
  input: { tenantId: string; subscription: SubscriptionRow; customer: CustomerRow; kind: NoticeKind; periodKey: string; priceChangeId?: string | null; copy: NoticeCopy; now: Date },
): Promise<NoticeRow | null> {
  const to = input.customer.erased_at ? undefined : input.customer.emails[0];
  const row = await tx
    .insertInto('notices')
    .values({
      tenant_id: input.tenantId,
      id: newId(),
      subscription_id: input.subscription.id,
      customer_id: input.customer.id,
      kind: input.kind,
      period_key: input.periodKey,
      price_change_id: input.priceChangeId ?? null,
      sent_at: input.now,
      to_address: to ?? null,
      subject: input.copy.subject,
      figures: JSON.stringify(input.copy.figures),
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'subscription_id', 'kind', 'period_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) return null;
  if (!to) return row;
  const jobId = await enqueue(tx, {
    tenantId: input.tenantId,
    kind: 'email.send',
    payload: {
      to,
      subject: input.copy.subject,
      text: input.copy.text,
      noticeId: row.id,
      noticeKind: input.kind,
      subscriptionReference: input.subscription.reference,
      ...input.copy.figures,
    },
  });
  return tx.updateTable('notices').set({ email_job_id: jobId }).where('tenant_id', '=', input.tenantId).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
}
