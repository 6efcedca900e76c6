import type { OfferCreate } from '../contracts/offers.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { enqueue } from '../db/repositories/outbox.ts';
import { newId } from '../db/ids.ts';
import type { OfferRow, OfferStatus } from '../db/schema.ts';
import { UnprocessableError } from './errors.ts';
import { decisionInputs, evaluateProduct, loadSubject, resolveContext } from './offer-evaluation.ts';
import { latestFits } from './offer-records.ts';
import { inTenantTx, type TenantScope, type TxHooks } from './scope.ts';

/** What an `offer.decided` event says: ids, status and the gates that failed — no customer data. */
export function offerEvent(row: OfferRow): Record<string, unknown> {
  const decision = row.decision as { failed?: unknown; version?: unknown };
  return { offerId: row.id, customerId: row.customer_id, productId: row.product_id, campaignId: row.campaign_id, conversationId: row.conversation_id, status: row.status, failedGates: decision.failed ?? [], gatesVersion: decision.version ?? null };
}

/** The agent an actor string names, if it is an agent. */
export function agentOfActor(actor: string): string | null {
  return actor.startsWith('agent:') ? actor.slice('agent:'.length) : null;
}

/**
 * Presents an offer: runs the gates and stores the decision with its inputs, the gates' version and
 * every reason — also when a gate refuses it (status `refused`; the route answers 422 naming the gate).
 * A customer flagged vulnerable gets it only through the extra-care path (status `awaiting_extra_care`).
 */
export async function presentOffer(scope: TenantScope, input: OfferCreate, hooks?: TxHooks<OfferRow>, at = new Date()): Promise<OfferRow> {
  return inTenantTx(
    scope,
    async (tx) => {
      const product = await tx.selectFrom('products').select(['id', 'name']).where('tenant_id', '=', scope.tenantId).where('id', '=', input.productId).executeTakeFirst();
      if (!product) throw new UnprocessableError('no such product', [{ pointer: '/productId', detail: 'no such product' }]);
      const customer = await tx.selectFrom('customers').select(['id', 'erased_at']).where('tenant_id', '=', scope.tenantId).where('id', '=', input.customerId).executeTakeFirst();
      if (!customer || customer.erased_at) throw new UnprocessableError('no such customer', [{ pointer: '/customerId', detail: 'no such customer' }]);
      let agentId = agentOfActor(scope.actor) ?? input.agentId ?? null;
      if (input.agentId !== undefined && agentOfActor(scope.actor) === null) {
        const agent = await tx.selectFrom('agents').select('id').where('tenant_id', '=', scope.tenantId).where('id', '=', input.agentId).executeTakeFirst();
        if (!agent) throw new UnprocessableError('no such agent', [{ pointer: '/agentId', detail: 'no such agent' }]);
        agentId = agent.id;
      }
      const ctx = await resolveContext(tx, scope.tenantId, input.customerId, input, input.productId);
      const subject = await loadSubject(tx, scope.tenantId, input.customerId, at);
      const fit = (await latestFits(tx, scope.tenantId, [input.productId])).get(input.productId) ?? null;
      const e = evaluateProduct(subject, input.productId, fit, ctx);
      const status: OfferStatus = e.decision.outcome === 'blocked' ? 'refused' : e.decision.outcome === 'extra_care' ? 'awaiting_extra_care' : 'presented';
      const row = await tx
        .insertInto('offers')
        .values({
          tenant_id: scope.tenantId,
          id: newId(),
          customer_id: input.customerId,
          product_id: input.productId,
          plan_id: null,
          fit_version: fit?.version ?? null,
          conversation_id: ctx.conversationId,
          campaign_id: ctx.campaign?.id ?? null,
          cancellation_id: null,
          agent_id: agentId,
          status,
          decision: JSON.stringify(e.decision),
          inputs: JSON.stringify(decisionInputs(subject, e)),
          value_minor: e.value?.yearlyValueMinor ?? null,
          currency: e.value?.currency ?? null,
          stated_need: ctx.statedNeed,
          presented_at: at,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await enqueue(tx, { tenantId: scope.tenantId, kind: 'offer.decided', payload: offerEvent(row) });
      await writeAudit(tx, {
        tenantId: scope.tenantId,
        actor: scope.actor,
        action: status === 'refused' ? 'offer.refused' : 'offer.presented',
        entityType: 'offer',
        entityId: row.id,
        fields: ['customerId', 'productId', 'decision', ...(ctx.campaign ? ['campaignId'] : ['conversationId'])],
      });
      return row;
    },
    hooks,
  );
}
