import type { OfferOutcomeCreate } from '../contracts/offers.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { enqueue } from '../db/repositories/outbox.ts';
import { newId } from '../db/ids.ts';
import type { OfferOutcomeRow, OfferRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';
import { extraCareGate } from '../domain/offers/gates.ts';
import { ConflictError, NotFoundError, OfferGateError, UnprocessableError } from './errors.ts';
import { agentOfActor, offerEvent } from './present-offer.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

async function lockOffer(tx: Tx, tenantId: string, id: string): Promise<OfferRow> {
  const row = await tx.selectFrom('offers').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) throw new NotFoundError('offer', id);
  return row;
}

const OPEN = new Set(['presented', 'awaiting_extra_care']);

function requireOpen(row: OfferRow): void {
  if (row.status === 'refused') throw new ConflictError('a refused offer was never made, so it cannot be answered');
  if (!OPEN.has(row.status)) throw new ConflictError(`the offer was already ${row.status}`);
}

/**
 * The customer's answer. Accepting an offer on the extra-care path needs every step done (a lead's
 * review, the key facts read with the customer, 24 hours since it was presented); a refusal names the
 * extra_care gate. A "no" keeps the product from being offered again for 90 days.
 */
export async function answerOffer(scope: TenantScope, id: string, answer: 'accept' | 'decline', now = new Date()): Promise<OfferRow> {
  return inTenantTx(scope, async (tx) => {
    const row = await lockOffer(tx, scope.tenantId, id);
    requireOpen(row);
    if (row.cancellation_id !== null) throw new ConflictError('an offer made in a cancellation is answered through the cancellation (accept-offer or decline-offer)');
    if (answer === 'accept' && row.status === 'awaiting_extra_care') {
      const gate = extraCareGate(true, { presentedAt: row.presented_at, leadReviewedAt: row.lead_reviewed_at, keyFactsReadAt: row.key_facts_read_at }, now);
      if (gate.status !== 'passed') throw new OfferGateError([{ gate: 'extra_care', reasons: gate.reasons.slice(1) }], '/');
    }
    const updated = await tx
      .updateTable('offers')
      .set({ status: answer === 'accept' ? 'accepted' : 'declined', decided_at: now })
      .where('tenant_id', '=', scope.tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await enqueue(tx, { tenantId: scope.tenantId, kind: 'offer.decided', payload: offerEvent(updated) });
    await writeAudit(tx, { tenantId: scope.tenantId, actor: scope.actor, action: answer === 'accept' ? 'offer.accepted' : 'offer.declined', entityType: 'offer', entityId: id, fields: ['status'] });
    return updated;
  });
}

/** A lead reviews an offer on the extra-care path. Not the agent who presented it: four eyes. */
export async function reviewOffer(scope: TenantScope, id: string, now = new Date()): Promise<OfferRow> {
  return inTenantTx(scope, async (tx) => {
    const row = await lockOffer(tx, scope.tenantId, id);
    if (row.status !== 'awaiting_extra_care') throw new ConflictError(`only an offer awaiting extra care is reviewed (this one is ${row.status})`);
    if (row.lead_reviewed_at !== null) throw new ConflictError('the offer was already reviewed');
    const reviewer = agentOfActor(scope.actor);
    if (reviewer !== null && reviewer === row.agent_id) throw new UnprocessableError('the agent who presented an offer cannot also review it', [{ pointer: '/', detail: 'a different lead must review it' }]);
    const updated = await tx
      .updateTable('offers')
      .set({ lead_reviewed_at: now, lead_reviewed_by: scope.actor })
      .where('tenant_id', '=', scope.tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(tx, { tenantId: scope.tenantId, actor: scope.actor, action: 'offer.reviewed', entityType: 'offer', entityId: id, fields: ['leadReviewedAt'] });
    return updated;
  });
}

/** The agent records that the key-facts card was read with the customer. */
export async function recordKeyFactsRead(scope: TenantScope, id: string, now = new Date()): Promise<OfferRow> {
  return inTenantTx(scope, async (tx) => {
    const row = await lockOffer(tx, scope.tenantId, id);
    requireOpen(row);
    if (row.key_facts_read_at !== null) return row;
    const updated = await tx
      .updateTable('offers')
      .set({ key_facts_read_at: now })
      .where('tenant_id', '=', scope.tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(tx, { tenantId: scope.tenantId, actor: scope.actor, action: 'offer.key_facts_read', entityType: 'offer', entityId: id, fields: ['keyFactsReadAt'] });
    return updated;
  });
}

/**
 * Something that happened after a sale and is known elsewhere: a complaint (upheld or not), a refund,
 * a cancellation. Cancellations and refunds in Fairdesk's own ledger are found without this.
 */
export async function recordOfferOutcome(scope: TenantScope, id: string, input: OfferOutcomeCreate, now = new Date()): Promise<OfferOutcomeRow> {
  const at = input.at ? new Date(input.at) : now;
  if (at.getTime() > now.getTime() + 60_000) throw new UnprocessableError('an outcome is recorded once it happened', [{ pointer: '/at', detail: 'must not be in the future' }]);
  if (input.kind !== 'complaint' && input.upheld !== undefined && input.upheld !== null) {
    throw new UnprocessableError('only a complaint is upheld or not', [{ pointer: '/upheld', detail: `not allowed for a ${input.kind}` }]);
  }
  return inTenantTx(scope, async (tx) => {
    const row = await lockOffer(tx, scope.tenantId, id);
    if (row.status !== 'accepted' || row.decided_at === null) throw new ConflictError(`outcomes are recorded for a sale; this offer is ${row.status}`);
    if (at.getTime() < row.decided_at.getTime()) throw new UnprocessableError('the outcome is before the sale', [{ pointer: '/at', detail: `must be after the sale (${row.decided_at.toISOString()})` }]);
    const outcome = await tx
      .insertInto('offer_outcomes')
      .values({
        tenant_id: scope.tenantId,
        id: newId(),
        offer_id: id,
        kind: input.kind,
        upheld: input.kind === 'complaint' ? (input.upheld ?? null) : null,
        at,
        note: input.note ?? null,
        recorded_by: scope.actor,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(tx, { tenantId: scope.tenantId, actor: scope.actor, action: 'offer.outcome_recorded', entityType: 'offer', entityId: id, fields: ['outcome'] });
    return outcome;
  });
}
