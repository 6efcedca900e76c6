import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../../src/app/create-tenant.ts';
import { importFile } from '../../src/app/import-file.ts';
import { makeCustomer, startTestApp, type TestApp } from '../support/app.ts';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'zendesk', 'export.json');
let t: TestApp;
let dir: string;
beforeAll(async () => {
  t = await startTestApp();
  dir = await mkdtemp(join(tmpdir(), 'fairdesk-import-test-'));
});
afterAll(async () => {
  await t?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const post = async (kind: string, body: string, contentType = 'application/json', as = t.a) =>
  t.call('POST', `/api/v1/imports/${kind}`, { rawBody: body, as, headers: { 'content-type': contentType } });

/** Every row of the tables an import writes, for one tenant (the audit log and run records aside). */
async function dump(tenantId: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of ['customers', 'agents', 'conversations', 'messages', 'external_refs', 'usage_events', 'spend_entries', 'cancel_requests', 'outbox']) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where tenant_id = ${tenantId}`.execute(t.store.db);
    out[table] = rows.rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

/** The same content without ids, so two tenants' imports can be compared. */
async function contentOf(tenantId: string) {
  const db = t.store.db;
  const customers = await db.selectFrom('customers').select(['name', 'emails', 'phones', 'time_zone', 'locale', 'attributes']).where('tenant_id', '=', tenantId).orderBy('name').execute();
  const conversations = await db.selectFrom('conversations').select(['subject', 'status', 'channel', 'tags', 'created_at', 'resolved_at', 'first_reply_at', 'listening']).where('tenant_id', '=', tenantId).orderBy('subject').execute();
  const messages = await db.selectFrom('messages').select(['text', 'role', 'visibility', 'labels', 'created_at']).where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('text').execute();
  const listening = conversations.map((c) => JSON.stringify(c.listening).replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, 'ID'));
  return { customers, conversations: conversations.map((c) => ({ ...c, listening: undefined })), listening, messages };
}

describe('zendesk import', () => {
  it('imports the export fixture and importing it twice gives the same state as once', async () => {
    const file = await readFile(FIXTURE, 'utf8');
    const first = await post('zendesk', file);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ kind: 'zendesk', status: 'completed', records: 31, imported: 19, updated: 0, skipped: 2, rejected: 10, resumedFrom: null });
    expect(first.json.byEntity).toMatchObject({ customer: { imported: 4 }, agent: { imported: 2 }, conversation: { imported: 4, rejected: 3 }, message: { imported: 9, rejected: 3 } });
    expect(first.json.rejections).toContainEqual({ record: 17, ref: 'tickets[4]', reason: 'requester_id: user 99999 is not an imported end-user' });
    expect(first.json.rejections).toContainEqual({ record: 10, ref: 'users[6]', reason: 'email: must be an e-mail address' });
    expect(first.json.rejections.map((r: { ref: string }) => r.ref)).toEqual([
      'organizations[2]', 'users[6]', 'users[7]', 'users[8]', 'tickets[4]', 'tickets[5]', 'tickets[6]', 'ticket_comments[9]', 'ticket_comments[10]', 'ticket_comments[11]',
    ]);
    const once = await dump(t.a.id);

    const second = await post('zendesk', file);
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({ records: 31, imported: 0, updated: 0, skipped: 21, rejected: 10 });
    expect(second.json.skippedReasons['unchanged since the last import']).toBe(19);
    expect(await dump(t.a.id)).toEqual(once);

    // What it became: the organization as the customer's company, times and statuses preserved, notes internal.
    const db = t.store.db;
    const priya = await db.selectFrom('customers').selectAll().where('tenant_id', '=', t.a.id).where('name', '=', 'Priya Natarajan').executeTakeFirstOrThrow();
    expect(priya).toMatchObject({ emails: ['priya@hargreaves.example'], phones: ['+44 20 7946 0011'], time_zone: 'Europe/London', locale: 'en-GB', attributes: { company: 'Hargreaves Bakery Ltd', kind: 'business' } });
    const jonas = await db.selectFrom('customers').selectAll().where('tenant_id', '=', t.a.id).where('name', '=', 'Jonas Weber').executeTakeFirstOrThrow();
    expect(jonas.time_zone).toBeNull();
    expect(jonas.attributes).toMatchObject({ zendeskTimeZone: 'Berlin', company: 'Nordlicht Reisen GmbH' });
    const invoice = await db.selectFrom('conversations').selectAll().where('tenant_id', '=', t.a.id).where('subject', '=', 'Invoice 4411 charged twice').executeTakeFirstOrThrow();
    expect(invoice).toMatchObject({ status: 'resolved', channel: 'email', tags: ['billing', 'duplicate_charge', 'priority-high'], sla_state: null });
    expect(invoice.created_at.toISOString()).toBe('2024-05-02T08:15:00.000Z');
    expect(invoice.first_reply_at?.toISOString()).toBe('2024-05-02T09:05:00.000Z');
    const aoife = await db.selectFrom('agents').selectAll().where('tenant_id', '=', t.a.id).where('email', '=', 'aoife.byrne@support.example').executeTakeFirstOrThrow();
    expect(invoice.assignee_id).toBe(aoife.id);
    expect(aoife.password_hash).toBeNull();
    const messages = await db.selectFrom('messages').selectAll().where('conversation_id', '=', invoice.id).orderBy('created_at').execute();
    expect(messages.map((m) => [m.role, m.visibility, m.created_at.toISOString()])).toEqual([
      ['customer', 'public', '2024-05-02T08:15:00.000Z'],
      ['agent', 'internal', '2024-05-02T09:00:00.000Z'],
      ['agent', 'public', '2024-05-02T09:05:00.000Z'],
      ['customer', 'public', '2024-05-03T16:30:00.000Z'],
    ]);
    expect(messages[2]!.author_id).toBe(aoife.id);
    // Listening analysis ran on the imported history: the cancel request is labelled, the offer after it found.
    const cancel = await db.selectFrom('conversations').selectAll().where('tenant_id', '=', t.a.id).where('subject', '=', 'Please cancel my subscription').executeTakeFirstOrThrow();
    const cancelMessages = await db.selectFrom('messages').selectAll().where('conversation_id', '=', cancel.id).orderBy('created_at').execute();
    expect(cancelMessages[0]!.labels).toContain('cancel_request');
    expect(JSON.stringify(cancel.listening)).toContain('cancel_not_honored');
    // History sends no e-mail and raises no cancel request.
    expect(once.outbox).toEqual([]);
    expect(once.cancel_requests).toEqual([]);

    const runs = await t.call('GET', '/api/v1/imports');
    expect(runs.status).toBe(200);
    expect(runs.json.data).toHaveLength(2);
    expect(runs.json.data[0]).toMatchObject({ status: 'completed', skipped: 21 });
  });

  it('resumes an interrupted run after its last committed batch and ends in the same state', async () => {
    const path = join(dir, 'export.json');
    await writeFile(path, await readFile(FIXTURE));
    const scope = { db: t.store.db, tenantId: t.b.id, actor: 'test' };
    let batches = 0;
    // A crash after the second batch: the progress callback runs after each commit.
    await expect(
      importFile(scope, {
        kind: 'zendesk',
        path,
        batchSize: 5,
        onProgress: () => {
          if (++batches === 2) throw new Error('simulated crash');
        },
      }),
    ).rejects.toThrow('simulated crash');
    const run = await t.store.db.selectFrom('import_runs').selectAll().where('tenant_id', '=', t.b.id).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ status: 'running', checkpoint: 10 });

    const resumed = await importFile(scope, { kind: 'zendesk', path, batchSize: 5 });
    expect(resumed).toMatchObject({ runId: run.id, resumedFrom: 10, records: 31, imported: 19, skipped: 2, rejected: 10 });
    expect(await contentOf(t.b.id)).toEqual(await contentOf(t.a.id));
  });

  it('rejects only the record the database refuses when a whole batch fails, retrying it record by record', async () => {
    // PostgreSQL refuses text with a NUL character: the batch's multi-row insert fails, then each record is applied alone.
    const path = join(dir, 'nul.json');
    const comment = (id: number, author: number, body: string, hour: number) => ({ id, ticket_id: 97100, author_id: author, body, public: true, created_at: `2024-06-01T${hour}:00:00Z` });
    await writeFile(
      path,
      JSON.stringify({
        users: [
          { id: 97001, name: 'Nul Customer', email: 'nul.customer@example.com', role: 'end-user' },
          { id: 97002, name: 'Nul Agent', email: 'nul.agent@support.example', role: 'agent' },
        ],
        tickets: [{ id: 97100, requester_id: 97001, assignee_id: 97002, subject: 'Cancel please', status: 'open', created_at: '2024-06-01T09:00:00Z' }],
        ticket_comments: [comment(97201, 97001, 'I want to cancel my subscription.', 10), comment(97202, 97002, 'bad \u0000 byte', 11), comment(97203, 97002, 'Sorry to hear that. Done.', 12)],
      }),
    );
    const result = await importFile({ db: t.store.db, tenantId: t.b.id, actor: 'test' }, { kind: 'zendesk', path });
    expect(result).toMatchObject({ records: 6, imported: 5, rejected: 1 });
    expect(result.rejections.map((r) => [r.record, r.ref])).toEqual([[5, 'ticket_comments[1]']]);
    const db = t.store.db;
    const conversation = await db.selectFrom('conversations').selectAll().where('tenant_id', '=', t.b.id).where('subject', '=', 'Cancel please').executeTakeFirstOrThrow();
    expect(conversation.first_reply_at?.toISOString()).toBe('2024-06-01T12:00:00.000Z');
    expect(JSON.stringify(conversation.listening)).toContain('listeningScore');
    const messages = await db.selectFrom('messages').selectAll().where('tenant_id', '=', t.b.id).where('conversation_id', '=', conversation.id).orderBy('id').execute();
    expect(messages.map((m) => m.text)).toEqual(['I want to cancel my subscription.', 'Sorry to hear that. Done.']);
    expect(messages[0]!.labels).toContain('cancel_request');
  });

  it('updates what a changed export changed, matching a new user to a customer by e-mail, the same way in one batch as in many', async () => {
    const changed = JSON.parse(await readFile(FIXTURE, 'utf8')) as { users: Array<Record<string, unknown>>; tickets: Array<Record<string, unknown>>; ticket_comments: Array<Record<string, unknown>> };
    changed.users[0]!.name = 'Priya N. Natarajan';
    changed.users.splice(1, 0, { id: 9100, name: 'Priya Again', email: 'PRIYA@hargreaves.example', phone: '+44 20 7946 0099', role: 'end-user' });
    changed.tickets[0]!.status = 'open';
    changed.ticket_comments[0]!.body = 'I want to cancel my subscription.';
    changed.ticket_comments.push({ id: 5013, ticket_id: 101, author_id: 9001, body: 'Still charged twice, this is ridiculous.', public: true, created_at: '2024-05-04T10:00:00Z' });
    const path = join(dir, 'changed.json');
    await writeFile(path, JSON.stringify(changed));
    const { tenant } = await createTenant(t.store.db, { name: 'One By One', slug: 'one-by-one', actor: 'test' });
    const expected = { imported: 1, updated: 4, rejected: 10 };
    expect(await importFile({ db: t.store.db, tenantId: t.a.id, actor: 'test' }, { kind: 'zendesk', path })).toMatchObject(expected);
    // The same two imports a record per batch (each record's writes done before the next one is read).
    const oneByOne = { db: t.store.db, tenantId: tenant.id, actor: 'test' };
    await importFile(oneByOne, { kind: 'zendesk', path: FIXTURE, batchSize: 1 });
    expect(await importFile(oneByOne, { kind: 'zendesk', path, batchSize: 1 })).toMatchObject(expected);
    expect(await contentOf(tenant.id)).toEqual(await contentOf(t.a.id));

    const priya = await t.store.db.selectFrom('customers').selectAll().where('tenant_id', '=', t.a.id).where('emails', '@>', sql<string[]>`array['priya@hargreaves.example']`).execute();
    expect(priya.map((c) => [c.name, c.phones])).toEqual([['Priya Again', ['+44 20 7946 0011', '+44 20 7946 0099']]]);
    const invoice = await t.store.db.selectFrom('conversations').selectAll().where('tenant_id', '=', t.a.id).where('subject', '=', 'Invoice 4411 charged twice').executeTakeFirstOrThrow();
    expect(invoice).toMatchObject({ status: 'open', resolved_at: null });
    const labels = await t.store.db.selectFrom('messages').select(['text', 'labels']).where('conversation_id', '=', invoice.id).orderBy('id').execute();
    expect(labels.find((m) => m.text === 'I want to cancel my subscription.')?.labels).toContain('cancel_request');
    expect(await importFile({ db: t.store.db, tenantId: t.a.id, actor: 'test' }, { kind: 'zendesk', path })).toMatchObject({ imported: 0, updated: 0, rejected: 10 });
  });
});

describe('customers-csv import', () => {
  it('matches on external id, then e-mail, then phone, and writes rejected rows back with an errors column', async () => {
    const tenant = t.a;
    const byExternal = await makeCustomer(t, tenant, { name: 'Ext Match', externalId: 'crm-1' });
    const byEmail = await makeCustomer(t, tenant, { name: 'Mail Match', emails: ['mail.match@example.com'] });
    const byPhone = await makeCustomer(t, tenant, { name: 'Phone Match', phones: ['+44 161 555 0100'] });
    const path = join(dir, 'customers.csv');
    await writeFile(
      path,
      [
        'External_ID,name,email,phone,kind,company,time_zone,locale,customer_since',
        'crm-1,Ext Match Renamed,,,business,Acme Ltd,Europe/London,en-GB,2020-01-31',
        ',,MAIL.MATCH@example.com,,person,,,,',
        ',,,+44 161 555 0100,,,,fr-FR,',
        'crm-9,Nina New,nina@example.com,+49 30 1234567,person,,Europe/Berlin,de-DE,',
        'crm-10,Bad Mail,not-mail,,,,,,',
        'crm-11,Odd Kind,,,robot,,Mars/Olympus,,',
        ',,unknown@example.com,,,,,,',
        '"crm-12","Quoted, Name",q@example.com,,,,,,',
      ].join('\n') + '\n',
    );
    const scope = { db: t.store.db, tenantId: tenant.id, actor: 'test' };
    const result = await importFile(scope, { kind: 'customers-csv', path });
    expect(result).toMatchObject({ records: 8, imported: 2, updated: 3, skipped: 0, rejected: 3, rejectedFile: `${path}.rejected.csv` });
    expect(result.rejections).toEqual([
      { record: 5, ref: 'row 6', reason: 'email: must be an e-mail address' },
      { record: 6, ref: 'row 7', reason: 'kind: must be person or business' },
      { record: 7, ref: 'row 8', reason: 'name: is needed for a new customer (no customer matched external_id, email or phone)' },
    ]);
    const rejected = await readFile(`${path}.rejected.csv`, 'utf8');
    expect(rejected.split('\n')[0]).toBe('external_id,name,email,phone,kind,company,time_zone,locale,customer_since,errors');
    expect(rejected).toContain('crm-10,Bad Mail,not-mail,,,,,,,email: must be an e-mail address');
    expect(rejected.split('\n').filter(Boolean)).toHaveLength(4);

    const db = t.store.db;
    const get = (id: string) => db.selectFrom('customers').selectAll().where('tenant_id', '=', tenant.id).where('id', '=', id).executeTakeFirstOrThrow();
    expect(await get(byExternal)).toMatchObject({ name: 'Ext Match Renamed', time_zone: 'Europe/London', customer_since: '2020-01-31', attributes: { kind: 'business', company: 'Acme Ltd' } });
    expect((await get(byEmail)).attributes).toMatchObject({ kind: 'person' });
    expect((await get(byPhone)).locale).toBe('fr-FR');
    const nina = await db.selectFrom('customers').selectAll().where('tenant_id', '=', tenant.id).where('external_id', '=', 'crm-9').executeTakeFirstOrThrow();
    expect(nina).toMatchObject({ name: 'Nina New', emails: ['nina@example.com'], phones: ['+49 30 1234567'], locale: 'de-DE' });
    expect((await db.selectFrom('customers').select('name').where('tenant_id', '=', tenant.id).where('external_id', '=', 'crm-12').executeTakeFirstOrThrow()).name).toBe('Quoted, Name');

    const again = await importFile(scope, { kind: 'customers-csv', path });
    expect(again).toMatchObject({ imported: 0, updated: 0, skipped: 5, rejected: 3 });
  });

  it('refuses a file with an unknown column, naming it', async () => {
    const res = await post('customers-csv', 'name,favourite_colour\nAda,green\n', 'text/csv');
    expect(res.status).toBe(422);
    expect(res.json.detail).toContain('unknown column favourite_colour');
  });
});

describe('transcripts, usage and billing imports', () => {
  it('imports analyzer transcripts as analysed conversations, once', async () => {
    const lines = [
      JSON.stringify({ id: 'tr-1', customer: { external_id: 'tr-cust-1', name: 'Tara Transcript' }, created_at: '2024-02-01T10:00:00Z', messages: [{ role: 'customer', text: 'I want to cancel my plan.' }, { role: 'agent', author: 'ben', text: 'Would you like a discount to stay instead?' }] }),
      '{not json',
      JSON.stringify({ id: 'tr-2', messages: [{ role: 'robot', text: 'beep' }] }),
      JSON.stringify({ messages: [{ role: 'customer', text: 'no id' }] }),
    ].join('\n');
    const res = await post('transcripts', lines, 'application/x-ndjson');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ records: 4, imported: 1, rejected: 3 });
    expect(res.json.rejections.map((r: { ref: string; reason: string }) => `${r.ref}: ${r.reason}`)).toEqual([
      'line 2: record: not valid JSON',
      'line 3: record: messages[0].role must be customer, agent or system',
      'line 4: id: is needed, so that importing the file again finds this conversation',
    ]);
    const conv = await t.store.db
      .selectFrom('conversations')
      .innerJoin('customers', (j) => j.onRef('customers.id', '=', 'conversations.customer_id').onRef('customers.tenant_id', '=', 'conversations.tenant_id'))
      .select(['conversations.id', 'conversations.status', 'conversations.created_at', 'customers.name'])
      .where('conversations.tenant_id', '=', t.a.id)
      .where('customers.external_id', '=', 'tr-cust-1')
      .executeTakeFirstOrThrow();
    expect(conv).toMatchObject({ status: 'closed', name: 'Tara Transcript' });
    expect(conv.created_at.toISOString()).toBe('2024-02-01T10:00:00.000Z');
    const labels = await t.store.db.selectFrom('messages').select('labels').where('conversation_id', '=', conv.id).orderBy('created_at').execute();
    expect(labels[0]!.labels).toContain('cancel_request');
    const again = await post('transcripts', lines, 'application/x-ndjson');
    expect(again.json).toMatchObject({ imported: 0, skipped: 1, rejected: 3 });
  });

  it('imports usage (CSV) and billing (JSON Lines) through the usage and spend use-cases, idempotent on external_id', async () => {
    await makeCustomer(t, t.b, { name: 'Ledger Lou', externalId: 'lou-1' });
    const usage = ['customer_external_id,unit,quantity,at,external_id', 'lou-1,fax,3,2024-03-01T00:00:00Z,u-1', 'lou-1,fax,0,2024-03-02T00:00:00Z,u-2', 'nobody,fax,1,2024-03-02T00:00:00Z,u-3'].join('\n');
    const u = await post('usage', usage, 'text/csv', t.b);
    expect(u.status).toBe(200);
    expect(u.json).toMatchObject({ imported: 1, rejected: 2 });
    expect(u.json.rejections.map((r: { reason: string }) => r.reason)).toEqual(['quantity: Too small: expected number to be >=1', 'customer_external_id: no customer has external id nobody']);
    const billing = [
      { customer_external_id: 'lou-1', amount_minor: 4999, currency: 'EUR', at: '2024-03-01T00:00:00Z', external_id: 'inv-1', source: 'billing' },
      { customer_external_id: 'lou-1', amount_minor: -1000, currency: 'EUR', at: '2024-03-05T00:00:00Z', external_id: 'ref-1' },
      { customer_external_id: 'lou-1', amount_minor: 12.5, currency: 'eur', at: 'soon', external_id: 'bad-1' },
    ].map((r) => JSON.stringify(r)).join('\n');
    const b = await post('billing', billing, 'application/x-ndjson', t.b);
    expect(b.json).toMatchObject({ imported: 2, rejected: 1 });
    expect(b.json.rejections[0].reason).toMatch(/^amount_minor: .*; currency: .*; at: must be an ISO-8601 date-time$/);
    const again = await post('billing', billing, 'application/x-ndjson', t.b);
    expect(again.json).toMatchObject({ imported: 0, skipped: 2, rejected: 1 });
    const spend = await t.store.db.selectFrom('spend_entries').select(['amount_minor', 'source']).where('tenant_id', '=', t.b.id).orderBy('at').execute();
    expect(spend).toEqual([{ amount_minor: 4999, source: 'billing' }, { amount_minor: -1000, source: 'import' }]);
  });

  it('needs the imports:run permission', async () => {
    const token = await t.call('POST', '/api/v1/tokens', { body: { name: 'reader', scopes: ['customers:read'] } });
    const res = await post('zendesk', '{}', 'application/json', { id: t.a.id, token: token.json.token });
    expect(res.status).toBe(403);
  });
});
