/**
 * `fairdesk import transcripts FILE.jsonl`: the listening analyzer's input format (one conversation
 * per line: `{"id", "messages": [{"role", "text", "author"}]}`, see docs/listening.md) becomes
 * conversations with messages, analysed as they are stored. Optional fields: `customer`
 * (`external_id`, `name`, `email`, `phone`), `channel`, `subject`, `created_at`, and `at` per message.
 */
import { stat } from 'node:fs/promises';
import { advanceClock } from '../../domain/conversation-clock.ts';
import { externalIdOf, fingerprint, UNCHANGED } from '../../domain/imports.ts';
import { findConversation, insertConversation, insertMessage, updateConversation } from '../../db/repositories/conversations.ts';
import { findCustomer, findCustomerByExternalId } from '../../db/repositories/customers.ts';
import { findCustomerByEmail, findRef, saveRef } from '../../db/repositories/imports.ts';
import { newId } from '../../db/ids.ts';
import type { Tx } from '../../db/with-tenant.ts';
import { parseConversationLine } from '../../domain/listening/transcript-line.ts';
import { refreshListening } from '../refresh-listening.ts';
import { RecordRejected, type ImportHandler, type SourceRecord } from '../run-import.ts';
import type { TenantScope } from '../scope.ts';
import { createImportedCustomer } from './customers.ts';
import { ByteCounter, jsonLines } from './sources.ts';

const SOURCE = 'transcripts';
const CHANNELS = ['email', 'chat', 'phone', 'portal', 'social'] as const;
type Obj = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

interface LineRecord extends SourceRecord {
  error?: string;
}

export async function transcriptsHandler(scope: TenantScope, path: string): Promise<ImportHandler> {
  const counter = new ByteCounter();
  const total = (await stat(path)).size;
  const { tenantId } = scope;

  /** The transcript's customer: by external id, then e-mail, then an earlier transcript's handle; else a new customer. */
  async function customerFor(tx: Tx, id: string, line: Obj, firstCustomerAuthor: string | undefined): Promise<string> {
    const c = line.customer !== null && typeof line.customer === 'object' ? (line.customer as Obj) : {};
    const externalId = externalIdOf(c.external_id) ?? undefined;
    const email = str(c.email);
    const byExternal = externalId ? await findCustomerByExternalId(tx, tenantId, externalId) : undefined;
    if (byExternal) return byExternal.id;
    const byEmail = email ? await findCustomerByEmail(tx, tenantId, email) : undefined;
    if (byEmail) return byEmail.id;
    const handle = externalId ?? email ?? firstCustomerAuthor ?? `transcript:${id}`;
    const ref = await findRef(tx, tenantId, SOURCE, 'customer', handle);
    if (ref && (await findCustomer(tx, tenantId, ref.entity_id))) return ref.entity_id;
    const created = await createImportedCustomer(
      tx,
      scope,
      { name: str(c.name) ?? firstCustomerAuthor ?? `Transcript ${id}`, emails: email ? [email] : [], phones: str(c.phone) ? [str(c.phone)!] : [], externalId, attributes: {} },
      { emails: 'customer.email', phones: 'customer.phone', externalId: 'customer.external_id', name: 'customer.name' },
    );
    await saveRef(tx, { tenantId, source: SOURCE, kind: 'customer', externalId: handle, entityId: created.id, fingerprint: '' });
    return created.id;
  }

  let touched = new Set<string>();
  return {
    totalBytes: total,
    bytesRead: () => counter.bytes,
    async *records() {
      let seq = 0;
      for await (const l of jsonLines(counter, path)) {
        const record: LineRecord = { seq: ++seq, ref: `line ${l.line}`, value: l.value, ...(l.error ? { error: l.error } : {}) };
        yield record;
      }
    },
    entity: () => 'conversation',
    async apply(tx, record) {
      const r = record as LineRecord;
      if (r.error) throw new RecordRejected([{ field: 'record', problem: r.error }]);
      let conv;
      try {
        conv = parseConversationLine(JSON.stringify(r.value), 1);
      } catch (error) {
        throw new RecordRejected([{ field: 'record', problem: (error as Error).message.replace(/^line 1: /, '') }]);
      }
      const line = r.value as Obj;
      if (conv.id === undefined) throw new RecordRejected([{ field: 'id', problem: 'is needed, so that importing the file again finds this conversation' }]);
      if (conv.messages.length === 0) throw new RecordRejected([{ field: 'messages', problem: 'has no message' }]);
      const channel = line.channel === undefined ? 'chat' : CHANNELS.find((ch) => ch === line.channel);
      if (!channel) throw new RecordRejected([{ field: 'channel', problem: `must be one of ${CHANNELS.join(', ')}` }]);
      const start = line.created_at === undefined ? new Date() : new Date(String(line.created_at));
      if (Number.isNaN(start.getTime())) throw new RecordRejected([{ field: 'created_at', problem: 'must be an ISO-8601 date-time' }]);
      const raw = line.messages as Obj[];
      const times = raw.map((m, i) => {
        const at = m.at === undefined ? new Date(start.getTime() + i * 1000) : new Date(String(m.at));
        if (Number.isNaN(at.getTime())) throw new RecordRejected([{ field: `messages[${i}].at`, problem: 'must be an ISO-8601 date-time' }]);
        return at;
      });
      const tooLong = conv.messages.findIndex((m) => m.text.length > 100_000);
      if (tooLong >= 0) throw new RecordRejected([{ field: `messages[${tooLong}].text`, problem: 'is longer than 100000 characters' }]);
      const print = fingerprint(r.value);
      const ref = await findRef(tx, tenantId, SOURCE, 'conversation', conv.id);
      if (ref && ref.fingerprint === print) return { outcome: 'skipped', entity: 'conversation', reason: UNCHANGED };
      if (ref) throw new RecordRejected([{ field: 'id', problem: `transcript ${conv.id} was imported before with other content; an imported transcript is not replaced` }]);
      const firstAuthor = conv.messages.find((m) => m.role === 'customer' && m.author)?.author;
      const customerId = await customerFor(tx, conv.id, line, firstAuthor);
      const subject = (str(line.subject) ?? conv.messages.find((m) => m.role === 'customer')?.text.split('\n')[0]?.slice(0, 120) ?? `Transcript ${conv.id}`).trim() || `Transcript ${conv.id}`;
      const conversation = await insertConversation(tx, {
        tenant_id: tenantId,
        id: newId(),
        customer_id: customerId,
        channel,
        subject: subject.slice(0, 500),
        severity: 'normal',
        status: 'closed',
        assignee_id: null,
        team_id: null,
        tags: ['transcript'],
        resolved_at: times[times.length - 1]!,
        created_at: times[0]!,
      });
      let clock = { status: conversation.status, firstReplyAt: null as Date | null, waitingSince: null as Date | null, lastCustomerMessageAt: null as Date | null };
      let search = '';
      for (const [i, m] of conv.messages.entries()) {
        await insertMessage(tx, { tenant_id: tenantId, id: newId(), conversation_id: conversation.id, role: m.role, author_id: m.author ?? null, text: m.text, visibility: 'public', created_at: times[i]! });
        clock = advanceClock(clock, { role: m.role, visibility: 'public', at: times[i]! });
        search += `${m.text}\n`;
      }
      await updateConversation(tx, tenantId, conversation.id, { first_reply_at: clock.firstReplyAt, waiting_since: null, last_customer_message_at: clock.lastCustomerMessageAt }, { appendSearchText: search });
      await saveRef(tx, { tenantId, source: SOURCE, kind: 'conversation', externalId: conv.id, entityId: conversation.id, fingerprint: print });
      touched.add(conversation.id);
      return { outcome: 'imported', entity: 'conversation' };
    },
    async endBatch(tx) {
      for (const id of touched) {
        const conversation = await findConversation(tx, tenantId, id);
        if (conversation) await refreshListening(tx, tenantId, conversation);
      }
      touched = new Set();
    },
  };
}
