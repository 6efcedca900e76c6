import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { writeAudit } from '../db/repositories/audit.ts';
import { findConversation } from '../db/repositories/conversations.ts';
import { insertCustomer } from '../db/repositories/customers.ts';
import { conversationsByHeaderIds, emailMessageExists } from '../db/repositories/email.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { newId } from '../db/ids.ts';
import type { Tx } from '../db/with-tenant.ts';
import { cleanFilename, conversationSubject, strippedReply } from '../domain/email.ts';
import { openConversation } from './create-conversation.ts';
import { appendMessage, type EmailOrigin } from './post-message.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

/** A mail as the SMTP listener hands it over (src/smtp/inbound.ts), already parsed. */
export interface IncomingEmail {
  /** Its Message-ID as `<…>`: the listener makes one from the message's SHA-256 when it has none. */
  messageId: string;
  from: { address: string; name: string | null };
  /** Our address it was sent to (the envelope recipient that routed it to this tenant). */
  mailbox: string;
  subject: string;
  text: string;
  /** The Message-IDs it answers, most telling first (domain/email.ts referencedIds). */
  references: string[];
  attachments: Array<{ filename: string | undefined; contentType: string; content: Buffer }>;
}

export type ReceivedEmail =
  | { outcome: 'stored'; conversationId: string; messageId: string; threaded: boolean; customerId: string; customerCreated: boolean }
  | { outcome: 'duplicate' };

/**
 * Stores an incoming mail as a customer message, in one tenant transaction, through the same
 * appendMessage as every other message (SLA clock, listening analysis, cancel-request detection, audit).
 *
 * - The sender's address names the customer (a customer with that address; a new one when none has it).
 * - It joins the conversation of one of the Message-IDs it answers only when that conversation is this
 *   customer's and not closed; otherwise it opens a new e-mail conversation with its subject.
 * - A Message-ID already stored in the tenant is a redelivery: nothing is written.
 */
export async function receiveEmail(scope: TenantScope, mail: IncomingEmail): Promise<ReceivedEmail> {
  try {
    const result = await inTenantTx(scope, async (tx) => {
      if (await emailMessageExists(tx, scope.tenantId, mail.messageId)) return { received: { outcome: 'duplicate' } as const, enqueued: false };
      const customer = await customerForSender(tx, scope, mail.from);
      const origin: EmailOrigin = {
        headerId: mail.messageId,
        from: mail.from.address.trim().toLowerCase(),
        mailbox: mail.mailbox.trim().toLowerCase(),
        attachments: mail.attachments.map((a) => ({
          filename: cleanFilename(a.filename),
          contentType: a.contentType.slice(0, 255) || 'application/octet-stream',
          content: a.content,
          sha256: createHash('sha256').update(a.content).digest('hex'),
        })),
      };
      // A reply's quoted history is our own words: the customer's message is what they added.
      const text = mail.references.length ? strippedReply(mail.text) : mail.text.trim().slice(0, 100_000);
      const message = { role: 'customer' as const, author: customer.id, text, visibility: 'public' as const };

      const thread = await threadOf(tx, scope.tenantId, customer.id, mail.references);
      if (thread) {
        const posted = await appendMessage(tx, scope, thread, message, origin);
        return {
          received: { outcome: 'stored', conversationId: thread.id, messageId: posted.message.id, threaded: true, customerId: customer.id, customerCreated: customer.created } as const,
          enqueued: posted.enqueued,
        };
      }
      const opened = await openConversation(
        tx,
        scope,
        { customerId: customer.id, channel: 'email', subject: conversationSubject(mail.subject), status: 'open', tags: [], message },
        origin,
      );
      return {
        received: {
          outcome: 'stored',
          conversationId: opened.conversation.id,
          messageId: opened.messages[0]!.id,
          threaded: false,
          customerId: customer.id,
          customerCreated: customer.created,
        } as const,
        enqueued: opened.enqueued,
      };
    });
    if (result.enqueued) scope.onOutbox?.();
    return result.received;
  } catch (error) {
    // The same mail delivered twice at once: the other delivery stored it, this one rolled back whole.
    if (isUniqueViolation(error, 'email_messages_tenant_header')) return { outcome: 'duplicate' };
    throw error;
  }
}

/** The customer's open (not closed) conversation that one of `references` belongs to, most telling reference first, locked. */
async function threadOf(tx: Tx, tenantId: string, customerId: string, references: string[]) {
  const matches = await conversationsByHeaderIds(tx, tenantId, customerId, references);
  for (const id of references) {
    const match = matches.find((m) => m.header_id === id);
    if (!match) continue;
    // Lock it so concurrent messages advance its clock one after another, as postMessage does.
    const conversation = await findConversation(tx, tenantId, match.conversation.id, { forUpdate: true });
    // A closed conversation takes no more customer messages: the mail starts a new one instead of bouncing.
    if (conversation && conversation.status !== 'closed') return conversation;
  }
  return null;
}

/**
 * The customer who owns the sender's address (the oldest, when several list it; erased customers have
 * none), or a new customer named after the sender. Two first mails from one new address at once
 * make one customer: the address is locked for the transaction.
 */
async function customerForSender(tx: Tx, scope: TenantScope, from: IncomingEmail['from']): Promise<{ id: string; created: boolean }> {
  const address = from.address.trim().toLowerCase();
  await sql`select pg_advisory_xact_lock(hashtextextended(${`${scope.tenantId} ${address}`}, 0))`.execute(tx);
  const found = await tx
    .selectFrom('customers')
    .select('id')
    .where('tenant_id', '=', scope.tenantId)
    .where((eb) => eb(eb.val(address), '=', eb.fn.any('emails')))
    .orderBy('id')
    .executeTakeFirst();
  if (found) return { id: found.id, created: false };
  const name = (from.name ?? '').replace(/\s+/g, ' ').trim().slice(0, 200) || address.slice(0, 200);
  const customer = await insertCustomer(tx, { tenant_id: scope.tenantId, id: newId(), name, emails: [address], attributes: '{}' });
  // Audited before the conversation: a new customer has no conversation whose lock could be waited on.
  await writeAudit(tx, {
    tenantId: scope.tenantId,
    actor: scope.actor,
    action: 'customer.created',
    entityType: 'customer',
    entityId: customer.id,
    fields: ['name', 'emails'],
  });
  return { id: customer.id, created: true };
}
