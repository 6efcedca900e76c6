import type { CancelRequestCarryOut } from '../contracts/cancel-requests.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { currentCancelRequest, updateCancelRequest } from '../db/repositories/cancel-requests.ts';
import { findConversation } from '../db/repositories/conversations.ts';
import type { CancelRequestRow } from '../db/schema.ts';
import { cancelRequestStateAt } from './cancel-request-clock.ts';
import { confirmCancellation } from './confirm-cancellation.ts';
import { ConflictError, NotFoundError, UnprocessableError } from './errors.ts';
import { requestCancellation } from './request-cancellation.ts';
import { inTenantTx, type TenantScope } from './scope.ts';
import { currencyOfSubscription, reviveState } from './subscription-records.ts';
import type { RefundBasis } from '../domain/cancellation/index.ts';

/** Attempt statuses that still stand (the same list the request use-case refuses to duplicate). */
const PENDING = ['requested', 'offered', 'clarified'];
const IN_FORCE = ['confirmed', 'effective'];

export interface CarriedOut {
  request: CancelRequestRow;
  confirmation: { reference: string; effectiveAt: Date; noChargesAfter: Date; refund: { amountMinor: number; currency: string; basis: RefundBasis } };
}

/**
 * "Carry out cancellation": the agent does what the customer asked, in one action. Runs the existing
 * request and confirm use-cases with channel `agent` and no reason, so nothing is shown — the customer
 * already asked — then closes the flag with the cancellation's reference.
 *
 * `now` is the one clock of the request, the confirmation and the closing of the flag.
 * The steps are separate transactions (each use-case owns its own), so the action is resumable: an
 * attempt already standing for the subscription is confirmed rather than duplicated, and one already
 * confirmed only closes the flag. A retry after a crash therefore finishes the job, never twice.
 */
export async function carryOutCancelRequest(scope: TenantScope, conversationId: string, input: CancelRequestCarryOut, now = new Date()): Promise<CarriedOut> {
  const plan = await inTenantTx(scope, async (tx) => {
    const conversation = await findConversation(tx, scope.tenantId, conversationId);
    if (!conversation) throw new NotFoundError('conversation', conversationId);
    const request = await currentCancelRequest(tx, scope.tenantId, conversationId);
    if (!request || request.status !== 'open') throw new ConflictError('the conversation has no open cancel request');
    const subscriptionId = input.subscriptionId ?? request.subscription_id;
    if (!subscriptionId) {
      throw new UnprocessableError('the customer does not have exactly one active subscription: say which one to cancel', [
        { pointer: '/subscriptionId', detail: 'required: the customer does not have exactly one active subscription' },
      ]);
    }
    const subscription = await tx
      .selectFrom('subscriptions')
      .select(['id', 'customer_id'])
      .where('tenant_id', '=', scope.tenantId)
      .where('id', '=', subscriptionId)
      .executeTakeFirst();
    if (!subscription || subscription.customer_id !== conversation.customer_id) {
      throw new UnprocessableError('no such subscription of this customer', [{ pointer: '/subscriptionId', detail: "is not a subscription of the conversation's customer" }]);
    }
    const standing = await tx
      .selectFrom('cancellations')
      .select(['id', 'status'])
      .where('tenant_id', '=', scope.tenantId)
      .where('subscription_id', '=', subscriptionId)
      .where('status', 'in', [...PENDING, ...IN_FORCE])
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return { requestId: request.id, subscriptionId, standing: standing ?? null };
  });

  let cancellationId: string;
  if (plan.standing && IN_FORCE.includes(plan.standing.status)) {
    cancellationId = plan.standing.id;
  } else {
    if (plan.standing) cancellationId = plan.standing.id;
    else {
      // No reason is given, so nothing is computed to show: the customer already asked.
      const requested = await requestCancellation(scope, plan.subscriptionId, { channel: 'agent', timing: input.timing ?? 'period_end' }, { now });
      cancellationId = requested.row.id;
    }
    await confirmCancellation(scope, cancellationId, { now });
  }

  return inTenantTx(scope, async (tx) => {
    const cancellation = await tx
      .selectFrom('cancellations')
      .selectAll()
      .where('tenant_id', '=', scope.tenantId)
      .where('id', '=', cancellationId)
      .executeTakeFirstOrThrow();
    const currency = await currencyOfSubscription(tx, scope.tenantId, cancellation.subscription_id);
    const state = reviveState(cancellation.state);
    const effectiveAt = cancellation.effective_at ?? state.effectiveAt!;
    const confirmation = {
      reference: cancellation.reference,
      effectiveAt,
      noChargesAfter: effectiveAt,
      refund: { amountMinor: Number(cancellation.refund_minor ?? 0), currency, basis: state.refund?.basis ?? ('none_period_end' as const) },
    };
    const locked = await currentCancelRequest(tx, scope.tenantId, conversationId, true);
    // Closed meanwhile (a concurrent carry-out): the cancellation stands either way.
    if (!locked || locked.id !== plan.requestId || locked.status !== 'open') {
      return { request: locked ?? (await currentCancelRequest(tx, scope.tenantId, conversationId))!, confirmation };
    }
    const request = await updateCancelRequest(tx, scope.tenantId, locked.id, {
      status: 'carried_out',
      subscription_id: plan.subscriptionId,
      cancellation_id: cancellation.id,
      cancellation_reference: cancellation.reference,
      closed_at: now,
      closed_by: scope.actor,
      sla_state: await cancelRequestStateAt(tx, scope.tenantId, locked, now, now),
    });
    await writeAudit(tx, {
      tenantId: scope.tenantId,
      actor: scope.actor,
      action: 'cancel_request.carried_out',
      entityType: 'cancel_request',
      entityId: request.id,
      fields: ['status', 'subscriptionId', 'cancellationId', 'cancellationReference', 'closedAt'],
    });
    return { request, confirmation };
  });
}
