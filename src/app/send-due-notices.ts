/**
 * The notice job: run every minute by `fairdesk serve` and by `fairdesk billing run` (at its simulated
 * `--until`). Applies plan price changes that have taken effect, sends price-change and terms-change
 * notices to subscribers who have not had theirs (those who subscribed after the announcement), and the annual
 * and trial reminders that are due. Each notice exactly once (a unique key per subscription, kind and
 * period); small transactions, so PGlite's one connection stays free for requests.
 */
import type { Kysely } from 'kysely';
import { annualReminderDue, annualReminderNotice, trialReminderDue, trialReminderNotice } from '../domain/notices.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { findCustomer } from '../db/repositories/customers.ts';
import type { DB, NoticeRow } from '../db/schema.ts';
import { withTenant, type Tx } from '../db/with-tenant.ts';
import { noticePriceChange } from './notice-price-change.ts';
import { addresseeOf, auditNotices, cancelUrl, recordNotice, tenantSlug } from './notice-records.ts';
import { noticeTermsChange } from './notice-terms-change.ts';
import { subscriptionPriceAt } from './plan-prices.ts';
import type { Actor } from './scope.ts';
import { findPlan } from './subscription-records.ts';

const BATCH = 200;

export interface SentNotices {
  priceChangesApplied: number;
  priceChange: number;
  termsChange: number;
  annualReminder: number;
  trialReminder: number;
}

export interface SendDueNoticesOptions {
  now?: Date;
  /** Where the one-click cancel links point (the server's public URL). */
  publicOrigin: string;
  actor?: Actor;
  /** Called after a commit that queued e-mails. */
  onOutbox?: () => void;
}

/** Sends every notice due at `now`, for every tenant. */
export async function sendDueNotices(db: Kysely<DB>, options: SendDueNoticesOptions): Promise<SentNotices> {
  const now = options.now ?? new Date();
  const actor = options.actor ?? 'system';
  const totals: SentNotices = { priceChangesApplied: 0, priceChange: 0, termsChange: 0, annualReminder: 0, trialReminder: 0 };
  let queued = false;
  const audit = async (tx: Tx, tenantId: string, sent: NoticeRow[]) => {
    await auditNotices(tx, tenantId, actor, sent);
    if (sent.some((n) => n.email_job_id !== null)) queued = true;
  };
  const tenants = await db.selectFrom('tenants').select('id').orderBy('id').execute();
  for (const { id: tenantId } of tenants) {
    // 1. Price changes now in effect become the plan's list price (the latest one wins).
    totals.priceChangesApplied += await withTenant(db, tenantId, async (tx) => {
      const due = await tx
        .selectFrom('price_changes')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('effective_at', '<=', now)
        .where('applied_at', 'is', null)
        .orderBy('effective_at')
        .orderBy('id')
        .forUpdate()
        .execute();
      for (const change of due) {
        await tx.updateTable('plans').set({ price_minor: Number(change.price_minor) }).where('tenant_id', '=', tenantId).where('id', '=', change.plan_id).execute();
        await tx.updateTable('price_changes').set({ applied_at: now }).where('tenant_id', '=', tenantId).where('id', '=', change.id).execute();
      }
      for (const change of due) {
        await writeAudit(tx, { tenantId, actor, action: 'plan.price_changed', entityType: 'plan', entityId: change.plan_id, fields: ['priceMinor'] });
      }
      return due.length;
    });

    // 2. Announced changes still ahead: anyone on the plan not yet told (subscribed since) is told now.
    const pending = await withTenant(db, tenantId, (tx) =>
      tx.selectFrom('price_changes').select('id').where('tenant_id', '=', tenantId).where('effective_at', '>', now).orderBy('id').execute(),
    );
    for (const { id } of pending) {
      await withTenant(db, tenantId, async (tx) => {
        const change = await tx.selectFrom('price_changes').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirstOrThrow();
        const plan = await findPlan(tx, tenantId, change.plan_id);
        if (!plan) return;
        const sent = await noticePriceChange(tx, tenantId, change, plan, options.publicOrigin, now);
        totals.priceChange += sent.length;
        await audit(tx, tenantId, sent);
      });
    }

    // 2b. Announced changes of terms still ahead, likewise.
    const pendingTerms = await withTenant(db, tenantId, (tx) =>
      tx.selectFrom('term_changes').select('id').where('tenant_id', '=', tenantId).where('effective_at', '>', now).orderBy('id').execute(),
    );
    for (const { id } of pendingTerms) {
      await withTenant(db, tenantId, async (tx) => {
        const change = await tx.selectFrom('term_changes').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirstOrThrow();
        const plan = await findPlan(tx, tenantId, change.plan_id);
        if (!plan) return;
        const sent = await noticeTermsChange(tx, tenantId, change, plan, options.publicOrigin, now);
        totals.termsChange += sent.length;
        await audit(tx, tenantId, sent);
      });
    }

    // 3. Annual and trial reminders of renewing subscriptions, in batches.
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const done = await withTenant(db, tenantId, async (tx) => {
        const batch = await tx
          .selectFrom('subscriptions as s')
          .innerJoin('plans as p', (j) => j.onRef('p.tenant_id', '=', 's.tenant_id').onRef('p.id', '=', 's.plan_id'))
          .selectAll('s')
          .select('p.interval')
          .where('s.tenant_id', '=', tenantId)
          .where('s.status', 'in', ['active', 'trialing'])
          .where('s.renews_at', 'is not', null)
          .where('s.id', '>', after)
          .orderBy('s.id')
          .limit(BATCH)
          .execute();
        const sent: NoticeRow[] = [];
        let slug: string | null = null;
        for (const { interval, ...sub } of batch) {
          const subject = { status: sub.status, startedAt: sub.started_at, renewsAt: sub.renews_at, trialEndsAt: sub.trial_ends_at, interval };
          const annual = annualReminderDue(subject, now);
          const trial = trialReminderDue(subject, now);
          if (!annual && !trial) continue;
          const seen = await tx
            .selectFrom('notices')
            .select(['kind', 'period_key'])
            .where('tenant_id', '=', tenantId)
            .where('subscription_id', '=', sub.id)
            .execute();
          const has = (kind: string, key: string) => seen.some((n) => n.kind === kind && n.period_key === key);
          const todo = [annual && !has('annual_reminder', annual.periodKey) ? ('annual' as const) : null, trial && !has('trial_reminder', trial.periodKey) ? ('trial' as const) : null].filter((x) => x !== null);
          if (todo.length === 0) continue;
          const customer = await findCustomer(tx, tenantId, sub.customer_id);
          const plan = await findPlan(tx, tenantId, sub.plan_id);
          if (!customer || !plan) continue; // foreign keys guarantee both
          slug ??= await tenantSlug(tx, tenantId);
          const addressee = addresseeOf(customer, plan, sub, cancelUrl(options.publicOrigin, slug, sub.reference));
          for (const what of todo) {
            if (what === 'annual') {
              const renewsAt = sub.renews_at!;
              const { priceMinor } = await subscriptionPriceAt(tx, tenantId, sub, plan, renewsAt);
              const row = await recordNotice(tx, { tenantId, subscription: sub, customer, kind: 'annual_reminder', periodKey: annual!.periodKey, copy: annualReminderNotice(addressee, { priceMinor, renewsAt }), now });
              if (row) {
                sent.push(row);
                totals.annualReminder++;
              }
            } else {
              const trialEndsAt = sub.trial_ends_at!;
              const { priceMinor } = await subscriptionPriceAt(tx, tenantId, sub, plan, trialEndsAt);
              const row = await recordNotice(tx, { tenantId, subscription: sub, customer, kind: 'trial_reminder', periodKey: trial!.periodKey, copy: trialReminderNotice(addressee, { priceMinor, trialEndsAt }), now });
              if (row) {
                sent.push(row);
                totals.trialReminder++;
              }
            }
          }
        }
        await audit(tx, tenantId, sent);
        if (batch.length > 0) after = batch[batch.length - 1]!.id;
        return batch.length < BATCH;
      });
      if (done) break;
    }
  }
  if (queued) options.onOutbox?.();
  return totals;
}

/** How often `fairdesk serve` looks for due notices. */
export const NOTICE_INTERVAL_MS = 60_000;
