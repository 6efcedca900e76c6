/**
 * `fairdesk import zendesk FILE|FOLDER`: the JSON of Zendesk's export API (docs/import.md).
 *
 * Order-independent: the file is read in four passes (organizations, users, tickets, comments), so a
 * ticket always finds its requester. End-users become customers (matched by the user's Zendesk id,
 * then by e-mail), agents and admins become agents (by id, then e-mail; created without a password),
 * tickets become conversations and comments messages, with their original times. Listening analysis
 * runs on each conversation a batch touched; no e-mail is sent, no SLA clock is started and no cancel
 * request is raised for history.
 */
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { sql } from 'kysely';
import { advanceClock } from '../../domain/conversation-clock.ts';
import { externalIdOf, fingerprint, UNCHANGED, zendeskChannel, zendeskStatus, type RecordResult } from '../../domain/imports.ts';
import { insertAgent, findAgentByEmail } from '../../db/repositories/agents.ts';
import { findConversation, insertConversation, insertMessage, updateConversation } from '../../db/repositories/conversations.ts';
import { findCustomer } from '../../db/repositories/customers.ts';
import { findCustomerByEmail, findRef, saveRef } from '../../db/repositories/imports.ts';
import { newId } from '../../db/ids.ts';
import type { Tx } from '../../db/with-tenant.ts';
import { refreshListening } from '../refresh-listening.ts';
import { RecordRejected, type ImportHandler, type SourceRecord } from '../run-import.ts';
import type { TenantScope } from '../scope.ts';
import { createImportedCustomer, updateImportedCustomer } from './customers.ts';
import { ByteCounter, folderFiles, jsonArray, jsonLines } from './sources.ts';

export const ZENDESK_SECTIONS = ['organizations', 'users', 'tickets', 'ticket_comments'] as const;
type Section = (typeof ZENDESK_SECTIONS)[number];
const SOURCE = 'zendesk';
const MAX_TEXT = 100_000;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz.includes('/') || tz === 'UTC';
  } catch {
    return false;
  }
}

function date(v: unknown, field: string): Date {
  const d = typeof v === 'string' ? new Date(v) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw new RecordRejected([{ field, problem: 'must be an ISO-8601 date-time' }]);
  return d;
}

function requireId(v: unknown, field: string): string {
  const id = externalIdOf(v);
  if (id === null) throw new RecordRejected([{ field, problem: v === undefined || v === null ? 'is missing' : 'must be a number or a non-empty string' }]);
  return id;
}

/** Where each section is: one JSON document (`{"users": [...], …}`) or a folder of per-section files. */
async function sectionReaders(counter: ByteCounter, path: string): Promise<{ total: number; read: (s: Section) => AsyncGenerator<{ ref: string; value: unknown; error?: string }> }> {
  const info = await stat(path);
  if (!info.isDirectory()) {
    return {
      total: info.size * ZENDESK_SECTIONS.length,
      read: async function* (section) {
        for await (const item of jsonArray(counter, path, section)) yield { ref: `${section}[${item.index}]`, value: item.value };
      },
    };
  }
  const files = await folderFiles(path);
  const bySection = new Map<Section, string[]>();
  let total = 0;
  for (const file of files) {
    const name = basename(file, extname(file));
    const section = ZENDESK_SECTIONS.find((s) => s === name);
    if (!section) continue;
    bySection.set(section, [...(bySection.get(section) ?? []), file]);
    total += (await stat(file)).size;
  }
  return {
    total,
    read: async function* (section) {
      for (const file of bySection.get(section) ?? []) {
        if (extname(file) === '.jsonl') {
          for await (const l of jsonLines(counter, file)) yield { ref: `${basename(file)} line ${l.line}`, value: l.value, ...(l.error ? { error: l.error } : {}) };
        } else {
          // A list endpoint's answer ({"users": [...]}) or a bare array.
          let any = false;
          for await (const item of jsonArray(counter, file, section)) {
            any = true;
            yield { ref: `${basename(file)} ${section}[${item.index}]`, value: item.value };
          }
          if (!any) for await (const item of jsonArray(counter, file, null)) yield { ref: `${basename(file)} [${item.index}]`, value: item.value };
        }
      }
    },
  };
}

interface ZRecord extends SourceRecord {
  section: Section;
  error?: string;
}

export async function zendeskHandler(scope: TenantScope, path: string): Promise<ImportHandler> {
  const counter = new ByteCounter();
  const readers = await sectionReaders(counter, path);
  const { tenantId } = scope;
  /** Organization names by Zendesk id: rebuilt from the file on every run (resumed ones too). */
  const organizations = new Map<string, string>();
  /** Conversations whose messages changed in this batch: analysed once at the batch's end. */
  let touched = new Set<string>();

  const userRef = async (tx: Tx, id: string) => {
    const agent = await findRef(tx, tenantId, SOURCE, 'agent', id);
    if (agent) return { kind: 'agent' as const, id: agent.entity_id };
    const customer = await findRef(tx, tenantId, SOURCE, 'user', id);
    return customer ? { kind: 'customer' as const, id: customer.entity_id } : null;
  };

  async function applyUser(tx: Tx, u: Obj): Promise<RecordResult> {
    const id = requireId(u.id, 'id');
    const role = u.role === 'agent' || u.role === 'admin' ? 'agent' : 'end-user';
    const name = str(u.name);
    const email = str(u.email);
    if (role === 'agent') {
      const problems = [...(name ? [] : [{ field: 'name', problem: 'is missing' }]), ...(email && /^[^\s@]+@[^\s@]+$/.test(email) ? [] : [{ field: 'email', problem: 'an agent needs an e-mail address' }])];
      if (problems.length) throw new RecordRejected(problems);
      const mapped = { name, email: email!.toLowerCase() };
      const print = fingerprint(mapped);
      const ref = await findRef(tx, tenantId, SOURCE, 'agent', id);
      if (ref && ref.fingerprint === print) return { outcome: 'skipped', entity: 'agent', reason: UNCHANGED };
      const existing = ref ? undefined : await findAgentByEmail(tx, tenantId, mapped.email);
      let agentId = ref?.entity_id ?? existing?.id;
      if (agentId) await tx.updateTable('agents').set({ name: mapped.name!, updated_at: sql`now()` }).where('tenant_id', '=', tenantId).where('id', '=', agentId).execute();
      else agentId = (await insertAgent(tx, { tenant_id: tenantId, id: newId(), name: mapped.name!, email: mapped.email, role: 'agent', team_id: null })).id;
      await saveRef(tx, { tenantId, source: SOURCE, kind: 'agent', externalId: id, entityId: agentId, fingerprint: print });
      return ref || existing ? { outcome: 'updated', entity: 'agent', ...(existing && { reason: 'matched an agent by e-mail' }) } : { outcome: 'imported', entity: 'agent' };
    }
    const org = externalIdOf(u.organization_id);
    const tz = str(u.time_zone);
    const mapped = {
      name,
      emails: email ? [email.toLowerCase()] : [],
      phones: str(u.phone) ? [str(u.phone)!] : [],
      timeZone: tz && isTimeZone(tz) ? tz : undefined,
      locale: str(u.locale),
      attributes: {
        ...(org !== null && organizations.has(org) ? { company: organizations.get(org), kind: 'business' } : {}),
        ...(tz && !isTimeZone(tz) ? { zendeskTimeZone: tz } : {}),
      },
    };
    const print = fingerprint(mapped);
    const ref = await findRef(tx, tenantId, SOURCE, 'user', id);
    if (ref && ref.fingerprint === print) return { outcome: 'skipped', entity: 'customer', reason: UNCHANGED };
    const names = { emails: 'email', phones: 'phone', timeZone: 'time_zone' };
    const current = ref ? await findCustomer(tx, tenantId, ref.entity_id) : mapped.emails[0] ? await findCustomerByEmail(tx, tenantId, mapped.emails[0]) : undefined;
    let customerId: string;
    if (current) {
      await updateImportedCustomer(tx, scope, current, mapped, names);
      customerId = current.id;
    } else {
      customerId = (await createImportedCustomer(tx, scope, mapped, names)).id;
    }
    await saveRef(tx, { tenantId, source: SOURCE, kind: 'user', externalId: id, entityId: customerId, fingerprint: print });
    if (!current) return { outcome: 'imported', entity: 'customer' };
    return { outcome: 'updated', entity: 'customer', ...(!ref && { reason: 'matched a customer by e-mail' }) };
  }

  async function applyTicket(tx: Tx, t: Obj): Promise<RecordResult> {
    const id = requireId(t.id, 'id');
    const requester = requireId(t.requester_id, 'requester_id');
    const status = zendeskStatus(t.status ?? 'open');
    if (!status) throw new RecordRejected([{ field: 'status', problem: `unknown status ${JSON.stringify(t.status)}; expected new, open, pending, hold, solved or closed` }]);
    const createdAt = date(t.created_at, 'created_at');
    const updatedAt = t.updated_at === undefined || t.updated_at === null ? createdAt : date(t.updated_at, 'updated_at');
    if (t.tags !== undefined && t.tags !== null && (!Array.isArray(t.tags) || t.tags.some((x) => typeof x !== 'string'))) throw new RecordRejected([{ field: 'tags', problem: 'must be an array of strings' }]);
    const customer = await userRef(tx, requester);
    if (!customer || customer.kind !== 'customer') throw new RecordRejected([{ field: 'requester_id', problem: `user ${requester} is not an imported end-user` }]);
    const assigneeExt = externalIdOf(t.assignee_id);
    const assignee = assigneeExt ? await findRef(tx, tenantId, SOURCE, 'agent', assigneeExt) : undefined;
    const priority = str(t.priority);
    const tags = [...new Set([...((t.tags as string[] | undefined) ?? []).map((x) => x.trim().slice(0, 50)).filter(Boolean), ...(priority ? [`priority-${priority}`.slice(0, 50)] : [])])].slice(0, 50);
    const mapped = {
      customerId: customer.id,
      subject: (str(t.subject) ?? str(t.raw_subject) ?? '(no subject)').slice(0, 500),
      status,
      channel: zendeskChannel(t.via),
      assigneeId: assignee?.entity_id ?? null,
      tags,
      createdAt: createdAt.toISOString(),
      resolvedAt: status === 'resolved' || status === 'closed' ? updatedAt.toISOString() : null,
    };
    const print = fingerprint(mapped);
    const ref = await findRef(tx, tenantId, SOURCE, 'ticket', id);
    if (ref && ref.fingerprint === print) return { outcome: 'skipped', entity: 'conversation', reason: UNCHANGED };
    let conversationId: string;
    if (ref) {
      conversationId = ref.entity_id;
      await updateConversation(tx, tenantId, conversationId, { subject: mapped.subject, status, assignee_id: mapped.assigneeId, tags, customer_id: mapped.customerId, resolved_at: mapped.resolvedAt });
    } else {
      conversationId = (
        await insertConversation(tx, {
          tenant_id: tenantId,
          id: newId(),
          customer_id: mapped.customerId,
          channel: mapped.channel,
          subject: mapped.subject,
          severity: 'normal',
          status,
          assignee_id: mapped.assigneeId,
          team_id: null,
          tags,
          resolved_at: mapped.resolvedAt,
          created_at: createdAt,
          updated_at: updatedAt,
        })
      ).id;
    }
    await saveRef(tx, { tenantId, source: SOURCE, kind: 'ticket', externalId: id, entityId: conversationId, fingerprint: print });
    return { outcome: ref ? 'updated' : 'imported', entity: 'conversation' };
  }

  async function applyComment(tx: Tx, c: Obj): Promise<RecordResult> {
    const id = requireId(c.id, 'id');
    const ticket = requireId(c.ticket_id, 'ticket_id');
    const author = requireId(c.author_id, 'author_id');
    const body = typeof c.body === 'string' ? c.body : typeof c.plain_body === 'string' ? c.plain_body : undefined;
    if (body === undefined || body.trim() === '') throw new RecordRejected([{ field: 'body', problem: 'is missing or empty' }]);
    if (body.length > MAX_TEXT) throw new RecordRejected([{ field: 'body', problem: `is longer than ${MAX_TEXT} characters` }]);
    if (c.public !== undefined && typeof c.public !== 'boolean') throw new RecordRejected([{ field: 'public', problem: 'must be true or false' }]);
    const createdAt = date(c.created_at, 'created_at');
    const conversationRef = await findRef(tx, tenantId, SOURCE, 'ticket', ticket);
    if (!conversationRef) throw new RecordRejected([{ field: 'ticket_id', problem: `ticket ${ticket} was not imported` }]);
    const who = await userRef(tx, author);
    if (!who) throw new RecordRejected([{ field: 'author_id', problem: `user ${author} was not imported` }]);
    const mapped = {
      conversationId: conversationRef.entity_id,
      role: who.kind,
      author: who.id,
      text: body,
      visibility: c.public === false ? ('internal' as const) : ('public' as const),
      createdAt: createdAt.toISOString(),
    };
    const print = fingerprint(mapped);
    const ref = await findRef(tx, tenantId, SOURCE, 'comment', id);
    if (ref && ref.fingerprint === print) return { outcome: 'skipped', entity: 'message', reason: UNCHANGED };
    if (ref) {
      await tx.updateTable('messages').set({ text: body, visibility: mapped.visibility, role: mapped.role, author_id: mapped.author }).where('tenant_id', '=', tenantId).where('id', '=', ref.entity_id).execute();
      await saveRef(tx, { tenantId, source: SOURCE, kind: 'comment', externalId: id, entityId: ref.entity_id, fingerprint: print });
      touched.add(mapped.conversationId);
      return { outcome: 'updated', entity: 'message' };
    }
    const conversation = (await findConversation(tx, tenantId, mapped.conversationId))!;
    const message = await insertMessage(tx, {
      tenant_id: tenantId,
      id: newId(),
      conversation_id: conversation.id,
      role: mapped.role,
      author_id: mapped.author,
      text: body,
      visibility: mapped.visibility,
      created_at: createdAt,
    });
    // The clock fields follow the messages; the status stays the ticket's.
    const clock = advanceClock(
      { status: conversation.status, firstReplyAt: conversation.first_reply_at, waitingSince: conversation.waiting_since, lastCustomerMessageAt: conversation.last_customer_message_at },
      { role: message.role, visibility: message.visibility, at: createdAt },
    );
    const settled = conversation.status === 'resolved' || conversation.status === 'closed';
    await updateConversation(
      tx,
      tenantId,
      conversation.id,
      { first_reply_at: clock.firstReplyAt, waiting_since: settled ? null : clock.waitingSince, last_customer_message_at: clock.lastCustomerMessageAt },
      { appendSearchText: body },
    );
    await saveRef(tx, { tenantId, source: SOURCE, kind: 'comment', externalId: id, entityId: message.id, fingerprint: print });
    touched.add(conversation.id);
    return { outcome: 'imported', entity: 'message' };
  }

  return {
    totalBytes: readers.total,
    bytesRead: () => counter.bytes,
    async *records() {
      let seq = 0;
      for (const section of ZENDESK_SECTIONS) {
        for await (const item of readers.read(section)) {
          const record: ZRecord = { seq: ++seq, ref: item.ref, value: item.value, section, ...(item.error ? { error: item.error } : {}) };
          yield record;
        }
      }
    },
    observe(record) {
      const r = record as ZRecord;
      if (r.section === 'organizations' && isObj(r.value)) {
        const id = externalIdOf(r.value.id);
        const name = str(r.value.name);
        if (id !== null && name) organizations.set(id, name.slice(0, 200));
      }
    },
    entity(record) {
      return { organizations: 'organization', users: 'user', tickets: 'conversation', ticket_comments: 'message' }[(record as ZRecord).section];
    },
    async apply(tx, record) {
      const r = record as ZRecord;
      if (r.error) throw new RecordRejected([{ field: 'record', problem: r.error }]);
      if (!isObj(r.value)) throw new RecordRejected([{ field: 'record', problem: 'must be a JSON object' }]);
      switch (r.section) {
        case 'organizations':
          requireId(r.value.id, 'id');
          if (!str(r.value.name)) throw new RecordRejected([{ field: 'name', problem: 'is missing' }]);
          return { outcome: 'skipped', entity: 'organization', reason: 'organizations are kept as the company of their users' };
        case 'users':
          return applyUser(tx, r.value);
        case 'tickets':
          return applyTicket(tx, r.value);
        case 'ticket_comments':
          return applyComment(tx, r.value);
      }
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
