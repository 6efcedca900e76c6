import { sql } from 'kysely';
import { isRepeatContact } from '../domain/charter/repeat-contact.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { insertConversation, insertMessage } from '../db/repositories/conversations.ts';
import { newId } from '../db/ids.ts';
import type { ConversationRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';
import type { LoadedCharter } from './charter-cache.ts';
import type { TenantScope } from './scope.ts';

/**
 * Never dump a customer: frequent contact is failure demand. When a new conversation brings the
 * customer to the charter's repeat-contact rule, the conversations are linked to a root-cause
 * case — an internal conversation of its own for the team's lead — or to the case already open.
 * Returns the case id, or null when the rule is not reached.
 */
export async function linkRepeatContact(tx: Tx, scope: TenantScope, loaded: LoadedCharter, opened: ConversationRow): Promise<string | null> {
  const rule = loaded.charter.repeatContact;
  const since = new Date(opened.created_at.getTime() - rule.days * 86_400_000);
  const recent = await tx
    .selectFrom('conversations')
    .select(['id', 'created_at'])
    .where('tenant_id', '=', scope.tenantId)
    .where('customer_id', '=', opened.customer_id)
    .where('kind', '=', 'customer')
    .where('created_at', '>', since)
    .execute();
  if (!isRepeatContact(rule, recent.map((r) => r.created_at), opened.created_at)) return null;

  const open = await tx
    .selectFrom('conversations')
    .select('id')
    .where('tenant_id', '=', scope.tenantId)
    .where('customer_id', '=', opened.customer_id)
    .where('kind', '=', 'root_cause')
    .where('status', 'in', ['open', 'pending'])
    .orderBy('id', 'desc')
    .executeTakeFirst();
  let caseId = open?.id ?? null;
  if (!caseId) {
    const lead = opened.team_id
      ? await tx
          .selectFrom('agents')
          .select('id')
          .where('tenant_id', '=', scope.tenantId)
          .where('team_id', '=', opened.team_id)
          .where('role', '=', 'lead')
          .orderBy('id')
          .executeTakeFirst()
      : undefined;
    const created = await insertConversation(tx, {
      tenant_id: scope.tenantId,
      id: newId(),
      customer_id: opened.customer_id,
      channel: opened.channel,
      subject: `Repeat contact: ${recent.length} conversations in ${rule.days} days — find and fix the cause`,
      severity: opened.severity,
      status: 'open',
      kind: 'root_cause',
      assignee_id: lead?.id ?? null,
      team_id: opened.team_id,
      tags: ['repeat-contact', 'failure-demand'],
    });
    caseId = created.id;
    await insertMessage(tx, {
      tenant_id: scope.tenantId,
      id: newId(),
      conversation_id: caseId,
      role: 'system',
      text:
        `This customer has contacted us ${recent.length} times in ${rule.days} days (the charter's repeat-contact rule is ` +
        `${rule.conversations} in ${rule.days}). Frequent contact means something is broken for them: find the cause and fix it. ` +
        'Closing the account for contact volume is not allowed.',
      visibility: 'internal',
    });
  }
  await sql`
    insert into conversation_links (tenant_id, case_id, conversation_id)
    select ${scope.tenantId}::uuid, ${caseId}::uuid, id from unnest(${recent.map((r) => r.id)}::uuid[]) as id
    on conflict do nothing`.execute(tx);
  // Audited last: the audit row locks the tenant's audit head, and the links above lock (key-share)
  // other conversations — taking the head first could deadlock with a request holding one of them.
  await writeAudit(tx, {
    tenantId: scope.tenantId,
    actor: 'system',
    action: open ? 'root_cause_case.linked' : 'root_cause_case.opened',
    entityType: 'conversation',
    entityId: caseId,
    fields: ['customerId', 'linkedConversations'],
  });
  return caseId;
}
