import type { CancellationCreate } from '../contracts/subscriptions.ts';
import { apply, DEFAULT_REFUND_POLICY, newAttempt, USAGE_WINDOW_DAYS, whatMayBeShown, addDays, type DeclinedOffer, type MayBeShown } from '../domain/cancellation/index.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { newId } from '../db/ids.ts';
import { ConflictError, UnprocessableError } from './errors.ts';
import type { CancellationView } from './read-subscriptions.ts';
import type { Tx } from '../db/with-tenant.ts';
import { inTenantTx, type TenantScope, type TxHooks } from './scope.ts';
import { gateCancellationOffer, type CancellationOfferGate } from './cancellation-offer-gates.ts';
import { agentOfActor } from './present-offer.ts';
import { findPlan, insertWithFreshReference, planOf, requireSubscription, storeShown, storeState, subscriptionOf, usageByMonth } from './subscription-records.ts';

/** Statuses of an attempt that still stands: a new request for the same subscription would duplicate it. */
const STANDING = ['requested', 'offered', 'clarified', 'confirmed', 'effective'];

/** Who asks and how: a signed-in customer may only reach their own subscription. */
export interface RequestOptions {
  hooks?: TxHooks<CancellationView> | undefined;
  now?: Date;
  /** The signed-in customer acting (portal): another customer's subscription is not found. */
  customerId?: string | undefined;
}

/**
 * A customer asks to cancel a subscription. Starts an attempt of the domain state machine, works out
 * from the customer's own figures what (if anything) may be shown — matched to the reason given,
 * nothing during cooling-off — and records the attempt. The "Cancel now" action stays available.
 */
export async function requestCancellation(scope: TenantScope, subscriptionId: string, input: CancellationCreate, options: RequestOptions = {}): Promise<CancellationView> {
  const now = options.now ?? new Date();
  return inTenantTx(scope, (tx) => startAttempt(tx, scope, subscriptionId, input, { now, customerId: options.customerId, showNothing: false }), options.hooks);
}

/**
 * The body of a request, in the caller's transaction (the logged-out route requests and confirms in one).
 * `showNothing`: the customer asked to cancel now, so no clarification or offer is computed.
 */
export async function startAttempt(
  tx: Tx,
  scope: TenantScope,
  subscriptionId: string,
  input: CancellationCreate,
  options: { now: Date; customerId?: string | undefined; showNothing: boolean },
): Promise<CancellationView> {
  const { now } = options;
  // Locked, so two requests for one subscription cannot both start an attempt.
  const subRow = await requireSubscription(tx, scope.tenantId, subscriptionId, true, options.customerId);
  if (subRow.status === 'cancelled') throw new ConflictError(`subscription ${subRow.reference} is already cancelled`);
  const standing = await tx
    .selectFrom('cancellations')
    .select(['status', 'reference'])
    .where('tenant_id', '=', scope.tenantId)
    .where('subscription_id', '=', subscriptionId)
    .where('status', 'in', STANDING)
    .executeTakeFirst();
  if (standing) throw new ConflictError(`subscription ${subRow.reference} already has a cancellation that is ${standing.status} (${standing.reference})`);

  const planRow = await findPlan(tx, scope.tenantId, subRow.plan_id);
  if (!planRow) throw new Error(`subscription ${subRow.id} has no plan`); // a foreign key guarantees it
  const plan = planOf(planRow);
  const sub = subscriptionOf(subRow);
  const catalog = (await tx.selectFrom('plans').selectAll().where('tenant_id', '=', scope.tenantId).where('product_id', '=', plan.productId).execute()).map(planOf);
  const usage = await usageByMonth(tx, scope.tenantId, sub.customerId, addDays(now, -USAGE_WINDOW_DAYS));
  // Offers this subscription's holder declined before: not offered again within 90 days.
  const earlier = await tx
    .selectFrom('cancellations')
    .select(['created_at', 'state'])
    .where('tenant_id', '=', scope.tenantId)
    .where('subscription_id', '=', subscriptionId)
    .execute();
  const declinedOffers: DeclinedOffer[] = earlier
    .filter((c) => {
      const shown = (c.state as { shown?: { kind?: string; outcome?: string } | null }).shown;
      return shown?.kind === 'offer' && shown.outcome === 'declined';
    })
    .map((c) => ({ productId: plan.productId, at: c.created_at }));

  const requested = apply(newAttempt(sub, DEFAULT_REFUND_POLICY), { type: 'request', channel: input.channel, reason: input.reason ?? null, timing: input.timing, at: now });
  if ('error' in requested) throw new UnprocessableError(requested.error);
  let state = requested.state;
  let shown: MayBeShown | null = state.withdrawal || options.showNothing
    ? null
    : whatMayBeShown({ subscription: sub, plan, catalog, usage, reason: input.reason ?? null, at: now, policy: DEFAULT_REFUND_POLICY, declinedOffers });
  // The flow's offer goes through the same gates as every offer; a gate that refuses shows nothing.
  let gate: CancellationOfferGate | null = null;
  if (shown?.kind === 'offer') {
    const offered = catalog.find((p) => p.id === (shown as { planId: string }).planId);
    if (!offered) shown = null;
    else {
      gate = await gateCancellationOffer(tx, scope.tenantId, { customerId: sub.customerId, plan, offeredPlan: offered, offer: shown, reason: input.reason ?? null, at: now, agentId: agentOfActor(scope.actor) });
      if (gate.decision.outcome !== 'eligible') shown = null;
    }
  }
  if (shown) {
    const r = apply(state, { type: 'show', kind: shown.kind, planId: shown.kind === 'offer' ? shown.planId : null });
    // The machine has the last word: if it refuses, nothing is shown.
    if ('error' in r) shown = null;
    else state = r.state;
  }

  const cancellationId = newId();
  const row = await insertWithFreshReference('CX', (reference) =>
    tx
      .insertInto('cancellations')
      .values({
        tenant_id: scope.tenantId,
        id: cancellationId,
        subscription_id: subscriptionId,
        state: storeState(state),
        status: state.status,
        channel: input.channel,
        reason: input.reason ?? null,
        timing: input.timing,
        shown: storeShown(shown),
        reference,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'reference']).doNothing())
      .returningAll()
      .executeTakeFirst(),
  );
  await gate?.store(row.id);
  await writeAudit(tx, {
    tenantId: scope.tenantId,
    actor: scope.actor,
    action: 'cancellation.requested',
    entityType: 'cancellation',
    entityId: row.id,
    fields: ['subscriptionId', 'channel', 'reason', 'timing', ...(shown ? ['shown'] : [])],
  });
  return { row, currency: plan.currency };
}

