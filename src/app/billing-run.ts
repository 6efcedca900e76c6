/**
 * The billing run of the embedded ledger: charges every renewal due up to `until` (a simulated clock
 * for tests and demos), and ends subscriptions whose confirmed cancellation has taken effect. Every
 * charge passes the domain's `mayCharge` guard; the reconciliation job runs at the end as a backstop.
 */
import type { Kysely } from 'kysely';
import { formatInvoiceNumber } from '../domain/billing/invoices.ts';
import { addInterval, apply, isInForce, mayCharge } from '../domain/cancellation/index.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import type { DB } from '../db/schema.ts';
import { withTenant } from '../db/with-tenant.ts';
import { latestCancellation } from './billing-ledger.ts';
import { billingProvider } from './billing-provider.ts';
import { subscriptionPriceAt } from './plan-prices.ts';
import { reconcileCharges, type ReconcileResult } from './reconcile-charges.ts';
import { sendDueNotices, type SentNotices } from './send-due-notices.ts';
import type { Actor } from './scope.ts';
import { findPlan, planOf, requireCancellation, requireSubscription, reviveState, storeState, subscriptionOf } from './subscription-records.ts';

export interface BilledCharge {
  subscriptionId: string;
  chargeId: string;
  /** The invoice the charge belongs to, and its human number (`INV-000123`). */
  invoiceId: string;
  invoiceNumber: string;
  /** What was charged: the period's price less the credit applied. */
  amountMinor: number;
  creditAppliedMinor: number;
  currency: string;
  periodStart: string;
  periodEnd: string;
}

export interface EndedSubscription {
  subscriptionId: string;
  cancellationId: string;
  effectiveAt: string;
}

export interface BillingRunTenant {
  tenantId: string;
  charged: BilledCharge[];
  ended: EndedSubscription[];
}

export interface BillingRunResult {
  until: string;
  tenants: BillingRunTenant[];
  reconciliation: ReconcileResult;
  /** Notices due at `until` (sent before charging), or null when no public origin was given for their links. */
  notices: SentNotices | null;
}

export interface BillingRunOptions {
  until: Date;
  actor?: Actor;
  onProgress?: (done: number, total: number) => void;
  /** The server's public origin: when given, the notices due at `until` are sent first (their cancel links point there). */
  publicOrigin?: string | undefined;
}

/** A guard against a runaway loop (e.g. a far-future `until` on a monthly plan): 100 years of months. */
const MAX_RENEWALS_PER_RUN = 1200;

type Step = { kind: 'charged'; charge: BilledCharge | null } | { kind: 'ended'; ended: EndedSubscription } | null;

/**
 * One renewal (or the end) of one subscription, in its own transaction. Locks the latest cancellation
 * before the subscription — the order `confirmCancellation` uses — and writes audit rows last.
 */
async function renewOnce(db: Kysely<DB>, tenantId: string, subscriptionId: string, until: Date, actor: Actor): Promise<Step> {
  return withTenant(db, tenantId, async (tx) => {
    const latest = await latestCancellation(tx, tenantId, subscriptionId);
    const cancellationRow = latest ? await requireCancellation(tx, tenantId, latest.id, true) : null;
    const sub = await requireSubscription(tx, tenantId, subscriptionId, true);
    if (sub.status === 'cancelled' || sub.status === 'paused') return null;
    // The state as read under the lock: a concurrent confirmation may have changed it.
    const state = cancellationRow ? reviveState(cancellationRow.state) : null;
    const renewal = sub.renews_at;
    const domainSub = subscriptionOf(sub);

    // The cancellation took effect by `until` and before any renewal still due: end, never charge.
    if (
      state !== null &&
      cancellationRow !== null &&
      isInForce(state) &&
      state.effectiveAt!.getTime() <= until.getTime() &&
      (renewal === null || !mayCharge(domainSub, state, renewal))
    ) {
      await tx.updateTable('subscriptions').set({ status: 'cancelled', renews_at: null }).where('tenant_id', '=', tenantId).where('id', '=', sub.id).execute();
      if (state.status === 'confirmed') {
        const r = apply(state, { type: 'become_effective', at: until });
        if ('state' in r) {
          await tx
            .updateTable('cancellations')
            .set({ state: storeState(r.state), status: r.state.status })
            .where('tenant_id', '=', tenantId)
            .where('id', '=', cancellationRow.id)
            .execute();
        }
      }
      await writeAudit(tx, { tenantId, actor, action: 'subscription.ended', entityType: 'subscription', entityId: sub.id, fields: ['status', 'renewsAt'] });
      return { kind: 'ended', ended: { subscriptionId: sub.id, cancellationId: cancellationRow.id, effectiveAt: state.effectiveAt!.toISOString() } };
    }

    if (renewal === null || renewal.getTime() > until.getTime()) return null;
    if (!mayCharge(domainSub, state, renewal)) return null;
    const planRow = await findPlan(tx, tenantId, sub.plan_id);
    if (!planRow) throw new Error(`subscription ${sub.id} has no plan`); // a foreign key guarantees it
    const plan = planOf(planRow);
    // A plan price change in force for this period and not yet in the history is charged, and appended.
    const price = await subscriptionPriceAt(tx, tenantId, sub, planRow, renewal);
    const amountMinor = price.priceMinor;
    const history = price.change
      ? [...sub.price_history, { priceMinor: Number(price.change.price_minor), from: price.change.effective_at.toISOString() }]
      : sub.price_history;
    const periodStart = renewal;
    const periodEnd = addInterval(renewal, plan.interval);
    const written = await billingProvider.charge(tx, {
      tenantId,
      subscriptionId: sub.id,
      customerId: sub.customer_id,
      amountMinor,
      currency: plan.currency,
      periodStart,
      periodEnd,
      at: renewal,
      idempotencyKey: `renewal:${sub.id}:${periodStart.toISOString()}`,
      description: plan.name,
    });
    await tx
      .updateTable('subscriptions')
      // A trial turns paid with its first charge.
      .set({ current_period_start: periodStart, current_period_end: periodEnd, renews_at: periodEnd, status: 'active', price_history: JSON.stringify(history) })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', sub.id)
      .execute();
    // A repeated externalId means this period was charged already: advance without charging again.
    if (!written) return { kind: 'charged', charge: null };
    await writeAudit(tx, { tenantId, actor, action: 'invoice.issued', entityType: 'invoice', entityId: written.invoiceId, fields: ['number', 'lines', 'totalMinor', 'creditAppliedMinor'] });
    await writeAudit(tx, { tenantId, actor, action: 'billing.charged', entityType: 'charge', entityId: written.id, fields: ['amountMinor', 'currency', 'periodStart', 'periodEnd'] });
    if (written.spendEntryId) {
      await writeAudit(tx, { tenantId, actor, action: 'spend.recorded', entityType: 'spend_entry', entityId: written.spendEntryId, fields: ['amountMinor', 'currency', 'at', 'source', 'externalId'] });
    }
    return {
      kind: 'charged',
      charge: {
        subscriptionId: sub.id,
        chargeId: written.id,
        invoiceId: written.invoiceId,
        invoiceNumber: formatInvoiceNumber(written.invoiceNumber),
        amountMinor: written.amountMinor,
        creditAppliedMinor: written.creditAppliedMinor,
        currency: plan.currency,
        periodStart: periodStart.toISOString(),
        periodEnd: periodEnd.toISOString(),
      },
    };
  });
}

/**
 * Charges, for every tenant, every renewal due at or before `until` (several periods if needed),
 * ends subscriptions whose cancellation took effect, then reconciles. One transaction per renewal,
 * so a failure leaves every earlier renewal charged exactly once; a rerun continues idempotently.
 */
export async function billingRun(db: Kysely<DB>, options: BillingRunOptions): Promise<BillingRunResult> {
  const { until } = options;
  if (Number.isNaN(until.getTime())) throw new Error('billingRun: until is not a date');
  const actor = options.actor ?? 'system';
  // Notices first: on the simulated clock, what is due at `until` goes out before the charges it announces.
  const notices = options.publicOrigin ? await sendDueNotices(db, { now: until, publicOrigin: options.publicOrigin, actor }) : null;
  const tenants = await db.selectFrom('tenants').select('id').orderBy('id').execute();
  const result: BillingRunTenant[] = [];
  let done = 0;
  for (const { id: tenantId } of tenants) {
    const entry: BillingRunTenant = { tenantId, charged: [], ended: [] };
    const candidates = await withTenant(db, tenantId, async (tx) => {
      const due = await tx
        .selectFrom('subscriptions')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('status', 'in', ['active', 'trialing'])
        .where('renews_at', '<=', until)
        .execute();
      // Confirmation clears renews_at, so subscriptions to end are found through their cancellation.
      const ending = await tx
        .selectFrom('cancellations as k')
        .innerJoin('subscriptions as s', (j) => j.onRef('s.tenant_id', '=', 'k.tenant_id').onRef('s.id', '=', 'k.subscription_id'))
        .select('s.id')
        .where('k.tenant_id', '=', tenantId)
        .where('k.status', 'in', ['confirmed', 'effective'])
        .where('k.effective_at', '<=', until)
        .where('s.status', '!=', 'cancelled')
        .execute();
      return [...new Set([...due, ...ending].map((r) => r.id))].sort();
    });
    for (const subscriptionId of candidates) {
      for (let i = 0; i < MAX_RENEWALS_PER_RUN; i++) {
        const step = await renewOnce(db, tenantId, subscriptionId, until, actor);
        if (step === null) break;
        if (step.kind === 'ended') {
          entry.ended.push(step.ended);
          break;
        }
        if (step.charge) entry.charged.push(step.charge);
      }
    }
    result.push(entry);
    options.onProgress?.(++done, tenants.length);
  }
  // The backstop: whatever slipped past the guard (a manual charge, a bug) is refunded and alerted.
  const reconciliation = await reconcileCharges(db, { actor });
  return { until: until.toISOString(), tenants: result, reconciliation, notices };
}
