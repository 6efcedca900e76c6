import { createHash } from 'node:crypto';
import type { ConsentCreate } from '../contracts/consents.ts';
import { liveConsents, checkConsentRecord, type ConsentFact, type ConsentPurpose, type ConsentStatus } from '../domain/consents.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { insertConsent, listConsents, usedHardGrants } from '../db/repositories/consents.ts';
import { enqueue } from '../db/repositories/outbox.ts';
import { newId } from '../db/ids.ts';
import type { ConsentRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';
import { NotFoundError, UnprocessableError } from './errors.ts';
import { inTenantTx, type TenantScope, type TxHooks } from './scope.ts';

/** A consent record with whether it is the one in force for its purpose now. */
export interface ConsentView {
  row: ConsentRow;
  live: boolean;
}

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export const consentFact = (r: ConsentRow): ConsentFact => ({ id: r.id, purpose: r.purpose, status: r.status, at: r.at, expiresAt: r.expires_at });

/**
 * Locks the customer's row for the rest of the transaction: recording a consent and running a credit
 * check on it take turns per customer (so a withdrawal cannot slip between the check and the inquiry).
 */
export async function lockCustomer(tx: Tx, tenantId: string, customerId: string) {
  const customer = await tx.selectFrom('customers').selectAll().where('tenant_id', '=', tenantId).where('id', '=', customerId).forUpdate().executeTakeFirst();
  if (!customer) throw new NotFoundError('customer', customerId);
  return customer;
}

/** Where each purpose stands for one customer now (the latest record decides; hard grants serve one inquiry). */
export async function customerConsents(tx: Tx, tenantId: string, customerId: string, now: Date) {
  const rows = await listConsents(tx, tenantId, customerId);
  const used = await usedHardGrants(tx, tenantId, customerId);
  return { rows, used, live: liveConsents(rows.map(consentFact), now, used) };
}

/**
 * Appends one record to the ledger, with its `consent.changed` event and its audit row (last).
 * The caller holds the customer's lock and has checked the input.
 */
export async function appendConsent(
  tx: Tx,
  scope: TenantScope,
  values: {
    customerId: string;
    purpose: ConsentPurpose;
    status: ConsentStatus;
    scope: string;
    evidence: { messageId: string | null; screenVersion: string | null; textHash: string | null };
    expiresAt: Date | null;
    at: Date;
  },
): Promise<ConsentRow> {
  const row = await insertConsent(tx, {
    tenant_id: scope.tenantId,
    id: newId(),
    customer_id: values.customerId,
    purpose: values.purpose,
    status: values.status,
    scope: values.scope,
    evidence_message_id: values.evidence.messageId,
    screen_version: values.evidence.screenVersion,
    text_hash: values.evidence.textHash,
    at: values.at,
    expires_at: values.expiresAt,
    recorded_by: scope.actor,
  });
  await enqueue(tx, { tenantId: scope.tenantId, kind: 'consent.changed', payload: { customerId: values.customerId, purpose: values.purpose, status: values.status, consentId: row.id } });
  await writeAudit(tx, {
    tenantId: scope.tenantId,
    actor: scope.actor,
    action: `consent.${values.status}`,
    entityType: 'consent',
    entityId: row.id,
    fields: ['customerId', 'purpose', 'status', 'scope', 'evidence', ...(values.expiresAt ? ['expiresAt'] : [])],
  });
  return row;
}

/**
 * Records a customer's consent decision — granted, refused or withdrawn — as a new ledger record.
 * Evidence is a message the customer wrote in one of their own conversations, or the screen version
 * with the text shown (stored as its SHA-256, never the text). Only a grant expires; a hard-inquiry
 * grant runs at most 30 days (30 when no expiry is given).
 */
export async function recordConsent(scope: TenantScope, customerId: string, input: ConsentCreate, hooks?: TxHooks<ConsentView>, now = new Date()): Promise<ConsentView> {
  return inTenantTx(
    scope,
    async (tx) => {
      await lockCustomer(tx, scope.tenantId, customerId);
      const rule = checkConsentRecord({ purpose: input.purpose, status: input.status, expiresAt: input.expiresAt ? new Date(input.expiresAt) : undefined }, now);
      const errors = [...rule.errors];
      const { messageId, screenVersion, shownText, textHash } = input.evidence;
      if (messageId !== undefined) {
        const message = await tx
          .selectFrom('messages')
          .innerJoin('conversations', (j) => j.onRef('conversations.tenant_id', '=', 'messages.tenant_id').onRef('conversations.id', '=', 'messages.conversation_id'))
          .select(['messages.role', 'messages.visibility'])
          .where('messages.tenant_id', '=', scope.tenantId)
          .where('messages.id', '=', messageId)
          .where('conversations.customer_id', '=', customerId)
          .executeTakeFirst();
        if (!message) errors.push({ pointer: '/evidence/messageId', detail: "is not a message in one of this customer's conversations" });
        else if (message.role !== 'customer' || message.visibility !== 'public') errors.push({ pointer: '/evidence/messageId', detail: 'must be a message the customer wrote (their own words are the evidence)' });
      }
      if (errors.length > 0) throw new UnprocessableError('the consent record breaks a rule of the ledger', errors);
      const row = await appendConsent(tx, scope, {
        customerId,
        purpose: input.purpose,
        status: input.status,
        scope: input.scope,
        evidence: {
          messageId: messageId ?? null,
          screenVersion: screenVersion ?? null,
          textHash: shownText !== undefined ? sha256Hex(shownText) : (textHash?.toLowerCase() ?? null),
        },
        expiresAt: rule.expiresAt,
        at: now,
      });
      const { live } = await customerConsents(tx, scope.tenantId, customerId, now);
      return { row, live: live[row.purpose].consentId === row.id && live[row.purpose].live };
    },
    hooks,
  );
}
