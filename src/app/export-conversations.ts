import { currentCancelRequest } from '../db/repositories/cancel-requests.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import type { CancelRequestRow, ConversationRow, MessageRow } from '../db/schema.ts';
import type { z } from 'zod';
import type { Channel, ConversationStatus } from '../contracts/conversations.ts';
import { logRead } from './record-read.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

export interface ConversationExportFilter {
  /** Conversations opened at or after this instant. */
  from?: string | undefined;
  /** …and before this one. */
  to?: string | undefined;
  status?: z.infer<typeof ConversationStatus> | undefined;
  channel?: z.infer<typeof Channel> | undefined;
  customerId?: string | undefined;
}

export interface ExportedConversation {
  conversation: ConversationRow;
  messages: MessageRow[];
  cancelRequest: CancelRequestRow | null;
}

/**
 * Every conversation matching the filter with its messages, newest first, a batch per short
 * transaction: the embedded store has one connection, and a slow reader of the stream must not hold
 * it. Each customer whose conversations were read gets a read logged, and the export one audit row.
 */
export async function* exportConversations(scope: TenantScope, filter: ConversationExportFilter, batchSize = 100): AsyncGenerator<ExportedConversation> {
  let after: string | null = null;
  for (;;) {
    const last: string | null = after;
    const batch: ExportedConversation[] = await inTenantTx(scope, async (tx) => {
      let query = tx.selectFrom('conversations').selectAll().where('tenant_id', '=', scope.tenantId);
      if (filter.from) query = query.where('created_at', '>=', new Date(filter.from));
      if (filter.to) query = query.where('created_at', '<', new Date(filter.to));
      if (filter.status) query = query.where('status', '=', filter.status);
      if (filter.channel) query = query.where('channel', '=', filter.channel);
      if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
      if (last) query = query.where('id', '<', last);
      const rows = await query.orderBy('id', 'desc').limit(batchSize).execute();
      if (rows.length === 0) return [];
      const messages = await tx
        .selectFrom('messages')
        .selectAll()
        .where('tenant_id', '=', scope.tenantId)
        .where('conversation_id', 'in', rows.map((r) => r.id))
        .orderBy('id')
        .execute();
      const out: ExportedConversation[] = [];
      for (const conversation of rows) {
        out.push({
          conversation,
          messages: messages.filter((m) => m.conversation_id === conversation.id),
          cancelRequest: (await currentCancelRequest(tx, scope.tenantId, conversation.id)) ?? null,
        });
      }
      for (const customerId of new Set(rows.map((r) => r.customer_id))) await logRead(tx, scope, customerId, 'conversations-export');
      return out;
    });
    for (const item of batch) yield item;
    if (batch.length < batchSize) break;
    after = batch.at(-1)!.conversation.id;
  }
  await inTenantTx(scope, (tx) =>
    writeAudit(tx, {
      tenantId: scope.tenantId,
      actor: scope.actor,
      action: 'conversations.exported',
      entityType: 'tenant',
      entityId: scope.tenantId,
      // The filter's names, not its values (as every audit row: names only).
      fields: Object.entries(filter).filter(([, v]) => v !== undefined).map(([k]) => k),
    }),
  );
}
