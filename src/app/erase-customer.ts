import { sql } from 'kysely';
import { writeAudit } from '../db/repositories/audit.ts';
import { findCustomer } from '../db/repositories/customers.ts';
import { eraseCustomerEmail } from '../db/repositories/email.ts';
import { ConflictError, NotFoundError } from './errors.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

export interface ErasureReport {
  customerId: string;
  erasedAt: string;
  removed: string[];
  kept: string[];
}

/**
 * Carries out a customer's erasure request in one transaction: personal data is removed or
 * anonymised everywhere it lives (profile, what they and we wrote, the evidence quoted by the
 * listening analysis, sign-in links and sessions); what the law requires is kept without the
 * personal data (the record's id, spend for the accounts, the audit trail, which never held personal
 * data, and the log of who read the record). The erasure itself is audited.
 */
export async function eraseCustomer(scope: TenantScope, customerId: string, now = new Date()): Promise<ErasureReport> {
  return inTenantTx(scope, async (tx) => {
    const customer = await findCustomer(tx, scope.tenantId, customerId);
    if (!customer) throw new NotFoundError('customer', customerId);
    if (customer.erased_at) throw new ConflictError(`this customer's data was already erased on ${customer.erased_at.toISOString()}`);
    const marker = `[erased ${now.toISOString().slice(0, 10)}]`;
    await tx
      .updateTable('customers')
      .set({ name: marker, emails: [], phones: [], external_id: null, time_zone: null, locale: null, attributes: '{}', erased_at: now, updated_at: now })
      .where('tenant_id', '=', scope.tenantId)
      .where('id', '=', customerId)
      .execute();
    const conversations = tx.selectFrom('conversations').select('id').where('tenant_id', '=', scope.tenantId).where('customer_id', '=', customerId);
    const messages = await tx
      .updateTable('messages')
      .set({ text: marker })
      .where('tenant_id', '=', scope.tenantId)
      .where('conversation_id', 'in', conversations)
      .executeTakeFirst();
    // Subjects, the search index and the analysis's quoted evidence hold what was said: they go too;
    // the scores and labels (no personal data) stay for the reports.
    await tx
      .updateTable('conversations')
      .set({
        subject: marker,
        search: sql`''::tsvector`,
        listening: sql`case when listening is null then null else jsonb_set(listening, '{findings}', coalesce((select jsonb_agg(f || jsonb_build_object('evidence', ${marker}::text, 'spans', '[]'::jsonb)) from jsonb_array_elements(listening->'findings') f), '[]'::jsonb)) end`,
        updated_at: now,
      } as never)
      .where('tenant_id', '=', scope.tenantId)
      .where('customer_id', '=', customerId)
      .execute();
    // The files they mailed go, and the addresses their mail came from and went to.
    const attachments = await eraseCustomerEmail(tx, scope.tenantId, customerId);
    // Notices keep what was said (figures, subject) but not where it went.
    await tx.updateTable('notices').set({ to_address: null }).where('tenant_id', '=', scope.tenantId).where('customer_id', '=', customerId).execute();
    await tx.deleteFrom('magic_links').where('tenant_id', '=', scope.tenantId).where('customer_id', '=', customerId).execute();
    await tx.deleteFrom('sessions').where('tenant_id', '=', scope.tenantId).where('customer_id', '=', customerId).execute();
    await tx
      .deleteFrom('outbox')
      .where('tenant_id', '=', scope.tenantId)
      .where('state', '=', 'pending')
      .where(sql<boolean>`payload->>'to' = any(${customer.emails}::text[])`)
      .execute();
    await writeAudit(tx, {
      tenantId: scope.tenantId,
      actor: scope.actor,
      action: 'customer.erased',
      entityType: 'customer',
      entityId: customerId,
      fields: ['name', 'emails', 'phones', 'externalId', 'attributes', 'messages', 'subjects', 'attachments'],
    });
    return {
      customerId,
      erasedAt: now.toISOString(),
      removed: [
        'name, e-mail addresses, phone numbers, external id, time zone, locale and attributes',
        `the text of ${Number(messages.numUpdatedRows)} messages, conversation subjects and their search index`,
        'quoted evidence in the listening analysis',
        'sign-in links, portal sessions and unsent e-mail to the customer',
        `${attachments} e-mail attachments, and the addresses of their e-mail`,
      ],
      kept: [
        'the customer record id and dates (so reports and references stay consistent)',
        'spend entries (accounting records; amounts and dates only)',
        'the audit trail (references and field names only, never personal data)',
        'the log of who read the record',
        'consent and cancellation records, for their retention period (at least three years)',
        'credit checks (kind, reason, result and the consent each relied on), with the consents',
      ],
    };
  });
}
