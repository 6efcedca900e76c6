/**
 * Writing a notice: the record (unique per subscription, kind and period — a second attempt writes
 * nothing) and its e-mail through the outbox, in the caller's transaction.
 */
import { earliestChangeAt, type Addressee, type NoticeCopy, type NoticeKind } from '../domain/notices.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { findCustomer } from '../db/repositories/customers.ts';
import { enqueue } from '../db/repositories/outbox.ts';
import { newId } from '../db/ids.ts';
import type { CustomerRow, NoticeRow, PlanRow, SubscriptionRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';
import { UnprocessableError } from './errors.ts';
import type { Actor } from './scope.ts';

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
  input: {
    tenantId: string;
    subscription: SubscriptionRow;
    customer: CustomerRow;
    kind: NoticeKind;
    periodKey: string;
    priceChangeId?: string | null;
    termChangeId?: string | null;
    copy: NoticeCopy;
    now: Date;
  },
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
      term_change_id: input.termChangeId ?? null,
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

/**
 * When an announced change of a plan's price or terms takes effect: refused (422 naming
 * `/effectiveAt`) unless at least 30 days after `now`.
 */
export function noticedEffectiveAt(effectiveAt: string, now: Date, what: 'price' | 'terms'): Date {
  const at = new Date(effectiveAt);
  const earliest = earliestChangeAt(now);
  if (at.getTime() < earliest.getTime()) {
    throw new UnprocessableError(`a ${what === 'price' ? 'price change' : 'change of terms'} must be announced at least 30 days before it takes effect`, [
      { pointer: '/effectiveAt', detail: `must be at least 30 days ahead: on or after ${earliest.toISOString()}` },
    ]);
  }
  return at;
}

/** One audit row per notice sent (write them last in the transaction). */
export async function auditNotices(tx: Tx, tenantId: string, actor: Actor, sent: NoticeRow[]): Promise<void> {
  for (const n of sent) await writeAudit(tx, { tenantId, actor, action: 'notice.sent', entityType: 'notice', entityId: n.id, fields: ['kind', 'subscriptionId', 'toAddress'] });
}

/** An announced change of a plan (its price or its terms), as its notices refer to it. */
export interface PlanChange {
  kind: 'price_change' | 'terms_change';
  /** The change's id: the notice's period key, and its price_change_id or term_change_id. */
  id: string;
}

/**
 * Sends the notice of one announced change of a plan to every subscriber of it who has not had it
 * yet: renewing (`active` or `trialing`, with a renewal ahead) — so a customer who subscribed after
 * the announcement is told too. `copyFor` writes each subscriber's own notice.
 */
export async function noticePlanChange(
  tx: Tx,
  input: {
    tenantId: string;
    plan: PlanRow;
    change: PlanChange;
    publicOrigin: string;
    now: Date;
    copyFor: (addressee: Addressee, subscription: SubscriptionRow) => Promise<NoticeCopy>;
  },
): Promise<NoticeRow[]> {
  const { tenantId, plan, change } = input;
  const subscriptions = await tx
    .selectFrom('subscriptions as s')
    .selectAll('s')
    .where('s.tenant_id', '=', tenantId)
    .where('s.plan_id', '=', plan.id)
    .where('s.status', 'in', ['active', 'trialing'])
    .where('s.renews_at', 'is not', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('notices as n')
            .select('n.id')
            .whereRef('n.tenant_id', '=', 's.tenant_id')
            .whereRef('n.subscription_id', '=', 's.id')
            .where('n.kind', '=', change.kind)
            .where('n.period_key', '=', change.id),
        ),
      ),
    )
    .orderBy('s.id')
    .execute();
  if (subscriptions.length === 0) return [];
  const slug = await tenantSlug(tx, tenantId);
  const sent: NoticeRow[] = [];
  for (const sub of subscriptions) {
    const customer = await findCustomer(tx, tenantId, sub.customer_id);
    if (!customer) continue; // a foreign key guarantees it
    const copy = await input.copyFor(addresseeOf(customer, plan, sub, cancelUrl(input.publicOrigin, slug, sub.reference)), sub);
    const row = await recordNotice(tx, {
      tenantId,
      subscription: sub,
      customer,
      kind: change.kind,
      periodKey: change.id,
      priceChangeId: change.kind === 'price_change' ? change.id : null,
      termChangeId: change.kind === 'terms_change' ? change.id : null,
      copy,
      now: input.now,
    });
    if (row) sent.push(row);
  }
  return sent;
}
