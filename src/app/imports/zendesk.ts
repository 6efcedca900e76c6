/**
 * `fairdesk import zendesk FILE|FOLDER`: the JSON of Zendesk's export API (docs/import.md).
 *
 * Order-independent: the file is read in four passes (organizations, users, tickets, comments), so a
 * ticket always finds its requester. End-users become customers (matched by the user's Zendesk id,
 * then by e-mail), agents and admins become agents (by id, then e-mail; created without a password),
 * tickets become conversations and comments messages, with their original times. Listening analysis
 * runs on each conversation a batch touched; no e-mail is sent, no SLA clock is started and no cancel
 * request is raised for history. Records are applied a batch at a time (see ZendeskBatch).
 */
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { sql, type Insertable } from 'kysely';
import type { CustomerCreate } from '../../contracts/customers.ts';
import { advanceClock } from '../../domain/conversation-clock.ts';
import { externalIdOf, fingerprint, UNCHANGED, zendeskChannel, zendeskStatus, type ConversationStatus, type RecordResult } from '../../domain/imports.ts';
import { insertAgent, findAgentByEmail } from '../../db/repositories/agents.ts';
import { writeAudits, type AuditEntry } from '../../db/repositories/audit.ts';
import { findConversation, findConversations, insertConversations, insertMessages, listMessagesOf, setMessageLabels, updateConversation } from '../../db/repositories/conversations.ts';
import { findCustomer, insertCustomers } from '../../db/repositories/customers.ts';
import { findCustomersByEmails, findRef, findRefs, saveRefs, updateConversationsOfBatch, type ConversationChange } from '../../db/repositories/imports.ts';
import { newId } from '../../db/ids.ts';
import type { ConversationRow, ConversationsTable, CustomerRow, CustomersTable, MessageRow, MessagesTable } from '../../db/schema.ts';
import type { Tx } from '../../db/with-tenant.ts';
import { customerCreatedAudit, newCustomerValues } from '../create-customer.ts';
import { analyseListening } from '../refresh-listening.ts';
import { reasonOf, RecordRejected, type ImportHandler, type SourceRecord } from '../run-import.ts';
import type { TenantScope } from '../scope.ts';
import { checkNewCustomer, updateImportedCustomer } from './customers.ts';
import { ByteCounter, folderFiles, jsonArray, jsonLines } from './sources.ts';

export const ZENDESK_SECTIONS = ['organizations', 'users', 'tickets', 'ticket_comments'] as const;
type Section = (typeof ZENDESK_SECTIONS)[number];
const SOURCE = 'zendesk';
const MAX_TEXT = 100_000;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** Answers per name, remembered: building a DateTimeFormat costs far more than the rest of a user record. */
const timeZones = new Map<string, boolean>();
function isTimeZone(tz: string): boolean {
  let known = timeZones.get(tz);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      known = tz.includes('/') || tz === 'UTC';
    } catch {
      known = false;
    }
    if (timeZones.size < 1000) timeZones.set(tz, known);
  }
  return known;
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

interface Ref {
  entityId: string;
  fingerprint: string;
}

/** A conversation's clock as the batch's messages advance it, and the texts to add to its search index. */
interface ConversationState {
  status: ConversationStatus;
  firstReplyAt: Date | null;
  waitingSince: Date | null;
  lastCustomerMessageAt: Date | null;
  clockChanged: boolean;
  searchTexts: string[];
}

const USER_KINDS = ['agent', 'user'] as const;

/**
 * What one batch knows and is about to write. The refs, customers (by e-mail) and conversations its
 * records need are read up front in a few queries; new customers, conversations, messages, refs and
 * audit rows are kept and written at the end in multi-row statements. The rare record that updates
 * a row (a changed record on a re-import, an agent, a customer matched by e-mail) writes it at once
 * through the usual repository or use-case, after writing what is pending so the order holds.
 * Nothing outlives the batch, so memory stays flat whatever the file's size.
 */
class ZendeskBatch {
  private readonly refs = new Map<string, Ref | null>();
  private readonly customers = new Map<string, CustomerRow>();
  /** E-mail → the oldest customer having it (stored, or created in this batch). */
  private readonly byEmail = new Map<string, string>();
  private readonly pendingCustomerIds = new Set<string>();
  readonly conversations = new Map<string, ConversationState>();
  readonly touched = new Set<string>();
  private newCustomers: Array<Insertable<CustomersTable>> = [];
  private newConversations: Array<Insertable<ConversationsTable>> = [];
  private newMessages: Array<Insertable<MessagesTable> & { id: string; labels: string[] }> = [];
  private refsToSave = new Map<string, { source: string; kind: string; externalId: string; entityId: string; fingerprint: string }>();
  private audits: AuditEntry[] = [];

  constructor(
    private readonly scope: TenantScope,
    private readonly tx: Tx,
  ) {}

  /** Reads, in one query per kind, the refs the records name, the customers their e-mails match and the conversations their comments go to. */
  async prefetch(records: ZRecord[]): Promise<void> {
    const ids: Record<'user' | 'agent' | 'ticket' | 'comment', Set<string>> = { user: new Set(), agent: new Set(), ticket: new Set(), comment: new Set() };
    const emails = new Set<string>();
    const add = (kinds: readonly (keyof typeof ids)[], value: unknown) => {
      const id = externalIdOf(value);
      if (id !== null) for (const kind of kinds) ids[kind].add(id);
    };
    for (const r of records) {
      if (!isObj(r.value)) continue;
      const v = r.value;
      if (r.section === 'users') {
        add(USER_KINDS, v.id);
        const email = str(v.email);
        if (email) emails.add(email.toLowerCase());
      } else if (r.section === 'tickets') {
        add(['ticket'], v.id);
        add(USER_KINDS, v.requester_id);
        add(['agent'], v.assignee_id);
      } else if (r.section === 'ticket_comments') {
        add(['comment'], v.id);
        add(['ticket'], v.ticket_id);
        add(USER_KINDS, v.author_id);
      }
    }
    const { tenantId } = this.scope;
    for (const [kind, set] of Object.entries(ids)) {
      if (set.size === 0) continue;
      const found = new Map((await findRefs(this.tx, tenantId, SOURCE, kind, [...set])).map((r) => [r.external_id, r]));
      for (const id of set) {
        const row = found.get(id);
        this.refs.set(`${kind}:${id}`, row ? { entityId: row.entity_id, fingerprint: row.fingerprint } : null);
      }
    }
    for (const customer of await findCustomersByEmails(this.tx, tenantId, [...emails])) this.noteCustomer(customer);
    const conversationIds = new Set<string>();
    for (const r of records) {
      if (r.section !== 'ticket_comments' || !isObj(r.value)) continue;
      const ticket = externalIdOf(r.value.ticket_id);
      const ref = ticket === null ? null : this.refs.get(`ticket:${ticket}`);
      if (ref) conversationIds.add(ref.entityId);
    }
    for (const c of await findConversations(this.tx, tenantId, [...conversationIds])) this.conversations.set(c.id, stateOf(c));
  }

  async ref(kind: string, id: string): Promise<Ref | null> {
    const key = `${kind}:${id}`;
    if (!this.refs.has(key)) {
      const row = await findRef(this.tx, this.scope.tenantId, SOURCE, kind, id);
      this.refs.set(key, row ? { entityId: row.entity_id, fingerprint: row.fingerprint } : null);
    }
    return this.refs.get(key)!;
  }

  setRef(kind: string, externalId: string, entityId: string, fingerprint: string): void {
    this.refs.set(`${kind}:${externalId}`, { entityId, fingerprint });
    this.refsToSave.set(`${kind}:${externalId}`, { source: SOURCE, kind, externalId, entityId, fingerprint });
  }

  /** A Zendesk user as what it became: an agent first, else a customer. */
  async user(id: string): Promise<{ kind: 'agent' | 'customer'; id: string } | null> {
    const agent = await this.ref('agent', id);
    if (agent) return { kind: 'agent', id: agent.entityId };
    const customer = await this.ref('user', id);
    return customer ? { kind: 'customer', id: customer.entityId } : null;
  }

  /** A customer's current row (written first if it was created in this batch). */
  async customer(id: string): Promise<CustomerRow | undefined> {
    if (this.pendingCustomerIds.has(id)) await this.flush();
    if (!this.customers.has(id)) {
      const row = await findCustomer(this.tx, this.scope.tenantId, id);
      if (row) this.noteCustomer(row);
    }
    return this.customers.get(id);
  }

  /** The oldest customer with this e-mail address, as findCustomerByEmail would find it at this point. */
  async customerByEmail(email: string): Promise<CustomerRow | undefined> {
    const id = this.byEmail.get(email.toLowerCase());
    return id === undefined ? undefined : this.customer(id);
  }

  noteCustomer(row: CustomerRow): void {
    this.customers.set(row.id, row);
    this.noteEmails(row.id, row.emails);
  }

  private noteEmails(id: string, emails: readonly string[]): void {
    for (const email of emails) {
      const known = this.byEmail.get(email);
      // uuid v7 text sorts like the uuid: the smaller id is the older customer.
      if (known === undefined || id < known) this.byEmail.set(email, id);
    }
  }

  createCustomer(input: CustomerCreate): string {
    const values = newCustomerValues(this.scope.tenantId, input);
    const id = values.id!;
    this.newCustomers.push(values);
    this.audits.push(customerCreatedAudit(this.scope, id, input));
    this.pendingCustomerIds.add(id);
    this.noteEmails(id, values.emails as string[]);
    return id;
  }

  createConversation(values: Insertable<ConversationsTable> & { id: string; status: ConversationStatus }): void {
    this.newConversations.push(values);
    this.conversations.set(values.id, { status: values.status, firstReplyAt: null, waitingSince: null, lastCustomerMessageAt: null, clockChanged: false, searchTexts: [] });
  }

  async conversation(id: string): Promise<ConversationState | undefined> {
    if (!this.conversations.has(id)) {
      const row = await findConversation(this.tx, this.scope.tenantId, id);
      if (row) this.conversations.set(id, stateOf(row));
    }
    return this.conversations.get(id);
  }

  addMessage(values: Insertable<MessagesTable> & { id: string; conversation_id: string }): void {
    this.newMessages.push({ ...values, labels: [] });
  }

  /** Writes the pending rows (parents first) and refs and audit rows, so a statement of one record can follow. */
  async flush(): Promise<void> {
    const { tx } = this;
    const { tenantId } = this.scope;
    await insertCustomers(tx, this.newCustomers);
    await insertConversations(tx, this.newConversations);
    await insertMessages(tx, this.newMessages);
    await saveRefs(tx, tenantId, [...this.refsToSave.values()]);
    await writeAudits(tx, tenantId, this.audits);
    this.newCustomers = [];
    this.pendingCustomerIds.clear();
    this.newConversations = [];
    this.newMessages = [];
    this.refsToSave = new Map();
    this.audits = [];
  }

  /**
   * The batch's end: the listening analysis of every conversation whose messages changed (read in one
   * query, new messages stored with their labels), then everything pending, then one update per
   * conversation with its clock, search text and analysis.
   */
  async finish(): Promise<void> {
    const { tx } = this;
    const { tenantId } = this.scope;
    await insertCustomers(tx, this.newCustomers);
    this.newCustomers = [];
    await insertConversations(tx, this.newConversations);
    this.newConversations = [];
    const touched = [...this.touched];
    const byConversation = new Map<string, Array<Pick<MessageRow, 'id' | 'role' | 'text' | 'author_id' | 'visibility' | 'labels'>>>(touched.map((id) => [id, []]));
    for (const m of await listMessagesOf(tx, tenantId, touched)) byConversation.get(m.conversation_id)!.push(m);
    const pending = new Map(this.newMessages.map((m) => [m.id, m]));
    for (const m of this.newMessages) byConversation.get(m.conversation_id)?.push({ id: m.id, role: m.role, text: m.text, author_id: m.author_id ?? null, visibility: m.visibility ?? 'public', labels: m.labels });
    const listening = new Map<string, string>();
    const relabelled: Array<{ id: string; labels: string[] }> = [];
    for (const [id, messages] of byConversation) {
      messages.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const analysis = analyseListening(id, messages);
      listening.set(id, JSON.stringify(analysis.listening));
      for (const change of analysis.changed) {
        const fresh = pending.get(change.id);
        if (fresh) fresh.labels = change.labels;
        else relabelled.push(change);
      }
    }
    await this.flush();
    await setMessageLabels(tx, tenantId, relabelled);
    const changes: ConversationChange[] = [];
    for (const [id, state] of this.conversations) {
      const analysed = listening.get(id);
      if (!state.clockChanged && state.searchTexts.length === 0 && analysed === undefined) continue;
      changes.push({ id, ...(state.clockChanged && { clock: state }), listening: analysed, searchTexts: state.searchTexts });
    }
    await updateConversationsOfBatch(tx, tenantId, changes);
  }
}

function stateOf(c: ConversationRow): ConversationState {
  return { status: c.status, firstReplyAt: c.first_reply_at, waitingSince: c.waiting_since, lastCustomerMessageAt: c.last_customer_message_at, clockChanged: false, searchTexts: [] };
}

export async function zendeskHandler(scope: TenantScope, path: string): Promise<ImportHandler> {
  const counter = new ByteCounter();
  const readers = await sectionReaders(counter, path);
  const { tenantId } = scope;
  /** Organization names by Zendesk id: rebuilt from the file on every run (resumed ones too). */
  const organizations = new Map<string, string>();

  async function applyUser(tx: Tx, b: ZendeskBatch, u: Obj): Promise<RecordResult> {
    const id = requireId(u.id, 'id');
    const role = u.role === 'agent' || u.role === 'admin' ? 'agent' : 'end-user';
    const name = str(u.name);
    const email = str(u.email);
    if (role === 'agent') {
      const problems = [...(name ? [] : [{ field: 'name', problem: 'is missing' }]), ...(email && /^[^\s@]+@[^\s@]+$/.test(email) ? [] : [{ field: 'email', problem: 'an agent needs an e-mail address' }])];
      if (problems.length) throw new RecordRejected(problems);
      const mapped = { name, email: email!.toLowerCase() };
      const print = fingerprint(mapped);
      const ref = await b.ref('agent', id);
      if (ref && ref.fingerprint === print) return { outcome: 'skipped', entity: 'agent', reason: UNCHANGED };
      // Agents are few: written one by one.
      await b.flush();
      const existing = ref ? undefined : await findAgentByEmail(tx, tenantId, mapped.email);
      let agentId = ref?.entityId ?? existing?.id;
      if (agentId) await tx.updateTable('agents').set({ name: mapped.name!, updated_at: sql`now()` }).where('tenant_id', '=', tenantId).where('id', '=', agentId).execute();
      else agentId = (await insertAgent(tx, { tenant_id: tenantId, id: newId(), name: mapped.name!, email: mapped.email, role: 'agent', team_id: null })).id;
      b.setRef('agent', id, agentId, print);
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
    const ref = await b.ref('user', id);
    if (ref && ref.fingerprint === print) return { outcome: 'skipped', entity: 'customer', reason: UNCHANGED };
    const names = { emails: 'email', phones: 'phone', timeZone: 'time_zone' };
    const current = ref ? await b.customer(ref.entityId) : mapped.emails[0] ? await b.customerByEmail(mapped.emails[0]) : undefined;
    let customerId: string;
    if (current) {
      await b.flush();
      const updated = await updateImportedCustomer(tx, scope, current, mapped, names);
      if (updated) b.noteCustomer(updated);
      customerId = current.id;
    } else {
      // Checked against the API's schema here, written with the batch's other new customers.
      customerId = b.createCustomer(checkNewCustomer(mapped, names));
    }
    b.setRef('user', id, customerId, print);
    if (!current) return { outcome: 'imported', entity: 'customer' };
    return { outcome: 'updated', entity: 'customer', ...(!ref && { reason: 'matched a customer by e-mail' }) };
  }

  async function applyTicket(tx: Tx, b: ZendeskBatch, t: Obj): Promise<RecordResult> {
    const id = requireId(t.id, 'id');
    const requester = requireId(t.requester_id, 'requester_id');
    const status = zendeskStatus(t.status ?? 'open');
    if (!status) throw new RecordRejected([{ field: 'status', problem: `unknown status ${JSON.stringify(t.status)}; expected new, open, pending, hold, solved or closed` }]);
    const createdAt = date(t.created_at, 'created_at');
    const updatedAt = t.updated_at === undefined || t.updated_at === null ? createdAt : date(t.updated_at, 'updated_at');
    if (t.tags !== undefined && t.tags !== null && (!Array.isArray(t.tags) || t.tags.some((x) => typeof x !== 'string'))) throw new RecordRejected([{ field: 'tags', problem: 'must be an array of strings' }]);
    const customer = await b.user(requester);
    if (!customer || customer.kind !== 'customer') throw new RecordRejected([{ field: 'requester_id', problem: `user ${requester} is not an imported end-user` }]);
    const assigneeExt = externalIdOf(t.assignee_id);
    const assignee = assigneeExt ? await b.ref('agent', assigneeExt) : null;
    const priority = str(t.priority);
    const tags = [...new Set([...((t.tags as string[] | undefined) ?? []).map((x) => x.trim().slice(0, 50)).filter(Boolean), ...(priority ? [`priority-${priority}`.slice(0, 50)] : [])])].slice(0, 50);
    const mapped = {
      customerId: customer.id,
      subject: (str(t.subject) ?? str(t.raw_subject) ?? '(no subject)').slice(0, 500),
      status,
      channel: zendeskChannel(t.via),
      assigneeId: assignee?.entityId ?? null,
      tags,
      createdAt: createdAt.toISOString(),
      resolvedAt: status === 'resolved' || status === 'closed' ? updatedAt.toISOString() : null,
    };
    const print = fingerprint(mapped);
    const ref = await b.ref('ticket', id);
    if (ref && ref.fingerprint === print) return { outcome: 'skipped', entity: 'conversation', reason: UNCHANGED };
    let conversationId: string;
    if (ref) {
      conversationId = ref.entityId;
      await b.flush();
      await updateConversation(tx, tenantId, conversationId, { subject: mapped.subject, status, assignee_id: mapped.assigneeId, tags, customer_id: mapped.customerId, resolved_at: mapped.resolvedAt });
      const state = b.conversations.get(conversationId);
      if (state) state.status = status;
    } else {
      conversationId = newId();
      b.createConversation({
        tenant_id: tenantId,
        id: conversationId,
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
      });
    }
    b.setRef('ticket', id, conversationId, print);
    return { outcome: ref ? 'updated' : 'imported', entity: 'conversation' };
  }

  async function applyComment(tx: Tx, b: ZendeskBatch, c: Obj): Promise<RecordResult> {
    const id = requireId(c.id, 'id');
    const ticket = requireId(c.ticket_id, 'ticket_id');
    const author = requireId(c.author_id, 'author_id');
    const body = typeof c.body === 'string' ? c.body : typeof c.plain_body === 'string' ? c.plain_body : undefined;
    if (body === undefined || body.trim() === '') throw new RecordRejected([{ field: 'body', problem: 'is missing or empty' }]);
    if (body.length > MAX_TEXT) throw new RecordRejected([{ field: 'body', problem: `is longer than ${MAX_TEXT} characters` }]);
    if (c.public !== undefined && typeof c.public !== 'boolean') throw new RecordRejected([{ field: 'public', problem: 'must be true or false' }]);
    const createdAt = date(c.created_at, 'created_at');
    const conversationRef = await b.ref('ticket', ticket);
    if (!conversationRef) throw new RecordRejected([{ field: 'ticket_id', problem: `ticket ${ticket} was not imported` }]);
    const who = await b.user(author);
    if (!who) throw new RecordRejected([{ field: 'author_id', problem: `user ${author} was not imported` }]);
    const mapped = {
      conversationId: conversationRef.entityId,
      role: who.kind,
      author: who.id,
      text: body,
      visibility: c.public === false ? ('internal' as const) : ('public' as const),
      createdAt: createdAt.toISOString(),
    };
    const print = fingerprint(mapped);
    const ref = await b.ref('comment', id);
    if (ref && ref.fingerprint === print) return { outcome: 'skipped', entity: 'message', reason: UNCHANGED };
    if (ref) {
      await b.flush();
      await tx.updateTable('messages').set({ text: body, visibility: mapped.visibility, role: mapped.role, author_id: mapped.author }).where('tenant_id', '=', tenantId).where('id', '=', ref.entityId).execute();
      b.setRef('comment', id, ref.entityId, print);
      b.touched.add(mapped.conversationId);
      return { outcome: 'updated', entity: 'message' };
    }
    const conversation = await b.conversation(mapped.conversationId);
    if (!conversation) throw new RecordRejected([{ field: 'ticket_id', problem: `the conversation of ticket ${ticket} no longer exists` }]);
    const messageId = newId();
    b.addMessage({ tenant_id: tenantId, id: messageId, conversation_id: mapped.conversationId, role: mapped.role, author_id: mapped.author, text: body, visibility: mapped.visibility, created_at: createdAt });
    // The clock fields follow the messages; the status stays the ticket's.
    const clock = advanceClock(conversation, { role: mapped.role, visibility: mapped.visibility, at: createdAt });
    const settled = conversation.status === 'resolved' || conversation.status === 'closed';
    conversation.firstReplyAt = clock.firstReplyAt;
    conversation.waitingSince = settled ? null : clock.waitingSince;
    conversation.lastCustomerMessageAt = clock.lastCustomerMessageAt;
    conversation.clockChanged = true;
    conversation.searchTexts.push(body);
    b.setRef('comment', id, messageId, print);
    b.touched.add(mapped.conversationId);
    return { outcome: 'imported', entity: 'message' };
  }

  async function applyOne(tx: Tx, b: ZendeskBatch, r: ZRecord): Promise<RecordResult> {
    if (r.error) throw new RecordRejected([{ field: 'record', problem: r.error }]);
    if (!isObj(r.value)) throw new RecordRejected([{ field: 'record', problem: 'must be a JSON object' }]);
    switch (r.section) {
      case 'organizations':
        requireId(r.value.id, 'id');
        if (!str(r.value.name)) throw new RecordRejected([{ field: 'name', problem: 'is missing' }]);
        return { outcome: 'skipped', entity: 'organization', reason: 'organizations are kept as the company of their users' };
      case 'users':
        return applyUser(tx, b, r.value);
      case 'tickets':
        return applyTicket(tx, b, r.value);
      case 'ticket_comments':
        return applyComment(tx, b, r.value);
    }
  }

  const entityOf = (record: SourceRecord) => ({ organizations: 'organization', users: 'user', tickets: 'conversation', ticket_comments: 'message' })[(record as ZRecord).section];

  /**
   * The batch's records in order. A record refused by a rule (RecordRejected, raised before it
   * changes anything) is a rejected result; any other error aborts the batch, which run-import then
   * retries record by record under savepoints.
   */
  async function applyBatch(tx: Tx, records: SourceRecord[]): Promise<RecordResult[]> {
    const b = new ZendeskBatch(scope, tx);
    await b.prefetch(records as ZRecord[]);
    const results: RecordResult[] = [];
    for (const record of records) {
      try {
        results.push(await applyOne(tx, b, record as ZRecord));
      } catch (error) {
        if (!(error instanceof RecordRejected)) throw error;
        results.push({ outcome: 'rejected', entity: entityOf(record), reason: reasonOf(error) });
      }
    }
    await b.finish();
    return results;
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
    entity: entityOf,
    applyBatch,
    async apply(tx, record) {
      return (await applyBatch(tx, [record]))[0]!;
    },
  };
}
