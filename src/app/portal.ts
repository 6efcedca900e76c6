import type { Kysely } from 'kysely';
import { findCustomer } from '../db/repositories/customers.ts';
import { findConversation, listMessages } from '../db/repositories/conversations.ts';
import type { ConversationRow, CustomerRow, DB, MessageRow } from '../db/schema.ts';
import { withTenant } from '../db/with-tenant.ts';
import { createConversation } from './create-conversation.ts';
import { NotFoundError } from './errors.ts';
import { postMessage } from './post-message.ts';
import type { TenantScope } from './scope.ts';

/**
 * What a signed-in customer may see and do in the portal: only their own records, and of a
 * conversation only what was said to them (internal notes and analysis stay with the staff).
 * Everything is looked up by the customer's id as well as the tenant, so another customer's
 * record is simply not found.
 */
export interface PortalCustomer {
  db: Kysely<DB>;
  tenantId: string;
  customerId: string;
  onOutbox?: () => void;
}

export const scopeOf = (c: PortalCustomer): TenantScope => ({ db: c.db, tenantId: c.tenantId, actor: `customer:${c.customerId}`, ...(c.onOutbox ? { onOutbox: c.onOutbox } : {}) });

export async function portalMe(c: PortalCustomer): Promise<CustomerRow> {
  const customer = await withTenant(c.db, c.tenantId, (tx) => findCustomer(tx, c.tenantId, c.customerId));
  if (!customer) throw new NotFoundError('customer', c.customerId);
  return customer;
}

export async function portalConversations(c: PortalCustomer): Promise<ConversationRow[]> {
  return withTenant(c.db, c.tenantId, (tx) =>
    tx
      .selectFrom('conversations')
      .selectAll()
      .where('tenant_id', '=', c.tenantId)
      .where('customer_id', '=', c.customerId)
      .where('kind', '=', 'customer')
      .orderBy('id', 'desc')
      .limit(200)
      .execute(),
  );
}

async function ownConversation(c: PortalCustomer, id: string): Promise<ConversationRow> {
  const conversation = await withTenant(c.db, c.tenantId, (tx) => findConversation(tx, c.tenantId, id));
  if (!conversation || conversation.customer_id !== c.customerId || conversation.kind !== 'customer') throw new NotFoundError('conversation', id);
  return conversation;
}

export async function portalConversation(c: PortalCustomer, id: string): Promise<{ conversation: ConversationRow; messages: MessageRow[] }> {
  const conversation = await ownConversation(c, id);
  const messages = await withTenant(c.db, c.tenantId, (tx) => listMessages(tx, c.tenantId, id));
  return { conversation, messages: messages.filter((m) => m.visibility === 'public' && m.role !== 'system') };
}

export async function portalStartConversation(c: PortalCustomer, input: { subject: string; text: string }) {
  return createConversation(scopeOf(c), {
    customerId: c.customerId,
    channel: 'portal',
    subject: input.subject,
    status: 'open',
    tags: [],
    message: { role: 'customer', text: input.text, visibility: 'public', author: c.customerId },
  });
}

export async function portalReply(c: PortalCustomer, id: string, text: string) {
  await ownConversation(c, id);
  return postMessage(scopeOf(c), id, { role: 'customer', text, visibility: 'public', author: c.customerId });
}
