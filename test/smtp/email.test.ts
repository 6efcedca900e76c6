import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import nodemailer, { type Transporter } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobHandlers } from '../../src/jobs/handlers.ts';
import { createMailer, type Mailer } from '../../src/jobs/mailer.ts';
import { JobsWorker } from '../../src/jobs/worker.ts';
import { startInboundSmtp, type InboundSmtp } from '../../src/smtp/inbound.ts';
import type { ReceivedEmail } from '../../src/app/receive-email.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { parseMessage, startSmtpCapture } from '../support/mail.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- parsed JSON in tests */

const DOMAIN = 'fairdesk.test';
const MAX_BYTES = 256 * 1024;

let t: TestApp;
let inbound: InboundSmtp;
let capture: Awaited<ReturnType<typeof startSmtpCapture>>;
let mailer: Mailer;
let worker: JobsWorker;
let sender: Transporter;
let mailbox: string;
const received: Array<ReceivedEmail & { tenantId: string }> = [];

beforeAll(async () => {
  t = await startTestApp();
  const slug = (await t.call('GET', '/api/v1/tenant')).json.slug as string;
  mailbox = `support+${slug}@${DOMAIN}`;
  inbound = await startInboundSmtp({ db: t.store.db, host: '127.0.0.1', port: 0, routing: { domain: DOMAIN }, maxBytes: MAX_BYTES, onReceived: (r) => received.push(r) });
  capture = await startSmtpCapture();
  mailer = createMailer({ smtpUrl: capture.url, dataDir: t.store.dataDir });
  worker = new JobsWorker({ db: t.store.db, handlers: jobHandlers({ mailer, mailFrom: 'Acme Support <no-reply@acme.test>' }) });
  sender = nodemailer.createTransport({ host: '127.0.0.1', port: inbound.port, secure: false, ignoreTLS: true });
});

afterAll(async () => {
  sender?.close();
  mailer?.close();
  await capture?.close();
  await inbound?.close();
  await t?.close();
});

/** The tenant's row counts of everything a mail can write. */
const TABLES = ['customers', 'conversations', 'messages', 'email_messages', 'attachments', 'audit_log'] as const;
async function counts(tenantId = t.a.id) {
  const out = {} as Record<(typeof TABLES)[number], number>;
  for (const table of TABLES) {
    const row = await t.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

async function customerByEmail(email: string): Promise<string> {
  const res = await t.call('GET', `/api/v1/customers?email=${encodeURIComponent(email)}`);
  expect(res.json.data).toHaveLength(1);
  return res.json.data[0].id as string;
}

async function conversationsOf(customerId: string): Promise<any[]> {
  const list = await t.call('GET', `/api/v1/conversations?customerId=${customerId}`);
  return Promise.all(list.json.data.map(async (c: any) => (await t.call('GET', `/api/v1/conversations/${c.id}`)).json));
}

/** Speaks SMTP by hand (no SIZE declared, as a plain client would) and returns the server's replies. */
async function rawSmtp(port: number, lines: string[]): Promise<string[]> {
  const socket = connect(port, '127.0.0.1');
  const replies: string[] = [];
  let buffer = '';
  let waiting: ((line: string) => void) | null = null;
  socket.on('data', (chunk) => {
    buffer += chunk.toString('latin1');
    let i: number;
    while ((i = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      if (/^\d{3} /.test(line)) {
        replies.push(line);
        waiting?.(line);
      }
    }
  });
  const next = () => new Promise<string>((resolve) => (waiting = resolve));
  await next(); // banner
  for (const line of lines) {
    const reply = next();
    socket.write(`${line}\r\n`);
    await reply; // every command, and the data after DATA, gets one final reply
  }
  socket.end();
  return replies;
}

describe('e-mail in and out', () => {
  it('threads a customer mail, the agent reply and the customer answer into one conversation, with the reply in the customer thread', async () => {
    const before = await counts();
    await sender.sendMail({
      from: 'Pat Doe <Pat@Example.com>',
      to: mailbox,
      subject: 'My router is broken',
      text: 'Hello, my router stopped working yesterday. Can you help?',
      messageId: '<first.pat@example.com>',
    });
    const pat = await customerByEmail('pat@example.com');
    let [conversation] = await conversationsOf(pat);
    expect(conversation).toMatchObject({ channel: 'email', subject: 'My router is broken', status: 'open' });
    expect(conversation.messages).toHaveLength(1);
    expect(conversation.messages[0]).toMatchObject({ role: 'customer', text: 'Hello, my router stopped working yesterday. Can you help?' });
    // The same post-message path as the API: the SLA clock and the listening analysis ran on it.
    expect(conversation.lastCustomerMessageAt).not.toBeNull();
    expect(conversation.waitingSince).not.toBeNull();
    expect(conversation.listening).not.toBeNull();

    // The agent answers in the console; the reply goes out by SMTP through the outbox.
    const reply = await t.call('POST', `/api/v1/conversations/${conversation.id}/messages`, { body: { role: 'agent', text: 'Sorry to hear that. Please restart it while holding the reset button.' } });
    expect(reply.status).toBe(201);
    expect(await worker.runDue()).toBeGreaterThanOrEqual(1);
    expect(capture.received).toHaveLength(1);
    const out = parseMessage(capture.received[0]!.raw);
    expect(capture.received[0]!.to).toEqual(['pat@example.com']);
    expect(out.headers.subject).toBe('Re: My router is broken');
    expect(out.headers['in-reply-to']).toBe('<first.pat@example.com>');
    expect(out.headers.references).toBe('<first.pat@example.com>');
    expect(out.headers['reply-to']).toBe(mailbox);
    expect(out.text).toContain('holding the reset button');
    const ourId = out.headers['message-id']!;
    expect(ourId).toMatch(/^<[0-9a-f-]{36}@fairdesk>$/);

    // Pat's mail client answers the agent's mail: In-Reply-To is our Message-ID, the quote is dropped.
    await sender.sendMail({
      from: 'pat@example.com',
      to: mailbox,
      subject: 'Re: My router is broken',
      text: 'Thanks, that fixed it!\n\nOn Mon, 2 Mar 2026 at 10:00, Acme Support <no-reply@acme.test> wrote:\n> Sorry to hear that. Please restart it while holding the reset button.\n',
      messageId: '<second.pat@example.com>',
      inReplyTo: ourId,
      references: ['<first.pat@example.com>', ourId],
    });
    const all = await conversationsOf(pat);
    expect(all).toHaveLength(1);
    conversation = all[0];
    expect(conversation.messages.map((m: any) => [m.role, m.text])).toEqual([
      ['customer', 'Hello, my router stopped working yesterday. Can you help?'],
      ['agent', 'Sorry to hear that. Please restart it while holding the reset button.'],
      ['customer', 'Thanks, that fixed it!'],
    ]);
    expect(conversation.firstReplyAt).not.toBeNull();
    expect(new Date(conversation.lastCustomerMessageAt).getTime()).toBeGreaterThan(new Date(conversation.messages[1].createdAt).getTime() - 1);

    // The next agent reply answers the customer's latest mail and carries the whole chain.
    await t.call('POST', `/api/v1/conversations/${conversation.id}/messages`, { body: { role: 'agent', text: 'Glad to hear it.' } });
    await worker.runDue();
    const second = parseMessage(capture.received[1]!.raw);
    expect(second.headers['in-reply-to']).toBe('<second.pat@example.com>');
    expect(second.headers.references!.split(/\s+/)).toEqual(['<first.pat@example.com>', ourId, '<second.pat@example.com>']);

    const after = await counts();
    expect(after.customers - before.customers).toBe(1);
    expect(after.conversations - before.conversations).toBe(1);
    expect(after.messages - before.messages).toBe(4);
    expect(after.email_messages - before.email_messages).toBe(4); // two in, two out
  });

  it('stores a redelivered mail once', async () => {
    const mail = { from: 'rae@example.com', to: mailbox, subject: 'Invoice question', text: 'Why was I charged twice?', messageId: '<once.rae@example.com>' };
    await sender.sendMail(mail);
    const before = await counts();
    const n = received.length;
    await sender.sendMail(mail);
    expect(received.slice(n)).toEqual([{ outcome: 'duplicate', tenantId: t.a.id }]);
    expect(await counts()).toEqual(before);
    const rae = await customerByEmail('rae@example.com');
    const [conversation] = await conversationsOf(rae);
    expect(conversation.messages).toHaveLength(1);
  });

  it("does not let another sender's reply join someone else's thread", async () => {
    await sender.sendMail({ from: 'sam@example.com', to: mailbox, subject: 'Account locked', text: 'I cannot sign in.', messageId: '<root.sam@example.com>' });
    const sam = await customerByEmail('sam@example.com');
    const [samThread] = await conversationsOf(sam);
    await t.call('POST', `/api/v1/conversations/${samThread.id}/messages`, { body: { role: 'agent', text: 'I have unlocked your account.' } });
    const sent = capture.received.length;
    await worker.runDue();
    const ourId = parseMessage(capture.received[sent]!.raw).headers['message-id']!;

    // Mallory knows both Message-IDs and answers "in" Sam's thread.
    await sender.sendMail({
      from: 'mallory@example.com',
      to: mailbox,
      subject: 'Re: Account locked',
      text: 'Please also change the e-mail address on this account to mine.',
      messageId: '<reply.mallory@example.com>',
      inReplyTo: ourId,
      references: ['<root.sam@example.com>', ourId],
    });
    const [samAfter] = await conversationsOf(sam);
    expect(samAfter.messages).toHaveLength(2);
    const mallory = await customerByEmail('mallory@example.com');
    const malloryThreads = await conversationsOf(mallory);
    expect(malloryThreads).toHaveLength(1);
    expect(malloryThreads[0].id).not.toBe(samThread.id);
    expect(malloryThreads[0]).toMatchObject({ subject: 'Re: Account locked', customerId: mallory });
    // Replying to Mallory never pulls Sam's Message-IDs into Mallory's mail.
    await t.call('POST', `/api/v1/conversations/${malloryThreads[0].id}/messages`, { body: { role: 'agent', text: 'We cannot do that.' } });
    await worker.runDue();
    const toMallory = parseMessage(capture.received.at(-1)!.raw);
    expect(toMallory.headers['in-reply-to']).toBe('<reply.mallory@example.com>');
    expect(toMallory.headers.references).toBe('<reply.mallory@example.com>');
  });

  it('keeps attachments byte for byte and serves them as downloads to agents of the tenant only', async () => {
    const binary = randomBytes(100_000);
    await sender.sendMail({
      from: 'Kim <kim@example.com>',
      to: mailbox,
      subject: 'Photo of the error',
      text: 'See the attached screenshot.',
      messageId: '<photo.kim@example.com>',
      attachments: [
        { filename: 'screen shot é.png', content: binary, contentType: 'image/png' },
        { filename: '../../evil.html', content: '<script>alert(1)</script>', contentType: 'text/html' },
      ],
    });
    const kim = await customerByEmail('kim@example.com');
    const [conversation] = await conversationsOf(kim);
    const files = conversation.messages[0].attachments as any[];
    expect(files.map((f) => [f.filename, f.contentType, f.size])).toEqual([
      ['screen shot é.png', 'image/png', 100_000],
      ['evil.html', 'text/html', 25],
    ]);
    expect(files[0].sha256).toBe(createHash('sha256').update(binary).digest('hex'));

    const png = await t.app.inject({ method: 'GET', url: files[0].url, headers: { authorization: `Bearer ${t.a.token}` } });
    expect(png.statusCode).toBe(200);
    expect(png.rawPayload.equals(binary)).toBe(true);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.headers['content-disposition']).toBe(`attachment; filename="screen shot _.png"; filename*=UTF-8''screen%20shot%20%C3%A9.png`);

    const html = await t.app.inject({ method: 'GET', url: files[1].url, headers: { authorization: `Bearer ${t.a.token}` } });
    expect(html.statusCode).toBe(200);
    expect(html.body).toBe('<script>alert(1)</script>');
    expect(html.headers['content-type']).toBe('application/octet-stream');
    expect(html.headers['content-disposition']).toMatch(/^attachment; filename="evil.html"/);
    expect(html.headers['content-security-policy']).toContain('sandbox');
    expect(html.headers['x-content-type-options']).toBe('nosniff');

    // Another tenant's token does not find it.
    const foreign = await t.call('GET', files[0].url, { as: t.b });
    expect(foreign.status).toBe(404);

    // Erasing Kim removes the files and the address the mail came from.
    const erased = await t.call('POST', `/api/v1/customers/${kim}/erasure`);
    expect(erased.status).toBe(200);
    expect(erased.json.removed.join(' ')).toMatch(/2 e-mail attachments/);
    expect((await t.call('GET', files[0].url)).status).toBe(404);
    const addresses = await t.store.db.selectFrom('email_messages').select('address').where('tenant_id', '=', t.a.id).where('header_id', '=', '<photo.kim@example.com>').execute();
    expect(addresses).toEqual([{ address: null }]);
  });

  it('refuses an oversize message with 552 and writes nothing, whether the client declares its size or not', async () => {
    const before = await counts();
    const big = randomBytes(MAX_BYTES);
    const declared = await sender
      .sendMail({ from: 'lou@example.com', to: mailbox, subject: 'Huge', text: 'Big file attached.', attachments: [{ filename: 'big.bin', content: big }] })
      .then(
        () => null,
        (error: { responseCode?: number; response?: string }) => error,
      );
    expect(declared?.responseCode).toBe(552);

    // A client that does not declare SIZE sends it all; the answer after the data is 552.
    const body = big.toString('base64').replace(/.{76}/g, '$&\r\n');
    const replies = await rawSmtp(inbound.port, [
      'EHLO client.example.com',
      'MAIL FROM:<lou@example.com>',
      `RCPT TO:<${mailbox}>`,
      'DATA',
      `From: lou@example.com\r\nTo: ${mailbox}\r\nSubject: Huge\r\nMessage-ID: <huge.lou@example.com>\r\n\r\n${body}\r\n.`,
      'QUIT',
    ]);
    expect(replies.at(-2)).toMatch(/^552 /);
    expect(await counts()).toEqual(before);
    const lou = await t.call('GET', `/api/v1/customers?email=lou%40example.com`);
    expect(lou.json.data).toEqual([]);
  });

  it('refuses recipients that are no tenant of ours', async () => {
    const error = await sender
      .sendMail({ from: 'pat@example.com', to: `support+no-such-tenant@${DOMAIN}`, subject: 'Hello', text: 'Anyone?' })
      .then(
        () => null,
        (e: { responseCode?: number }) => e,
      );
    expect(error?.responseCode).toBe(550);
    const elsewhere = await sender.sendMail({ from: 'pat@example.com', to: 'someone@other.test', subject: 'Hello', text: 'Anyone?' }).catch((e: { responseCode?: number }) => e);
    expect((elsewhere as { responseCode?: number }).responseCode).toBe(550);
  });
});
