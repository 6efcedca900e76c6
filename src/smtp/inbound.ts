import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Logger } from 'pino';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import { receiveEmail, type IncomingEmail, type ReceivedEmail } from '../app/receive-email.ts';
import { findTenantBySlug } from '../db/repositories/tenants.ts';
import type { DB } from '../db/schema.ts';
import { normalizeMessageId, referencedIds, tenantSlugFor, type InboundRouting } from '../domain/email.ts';

export interface InboundSmtpOptions {
  db: Kysely<DB>;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  routing: InboundRouting;
  /** The largest message accepted, in bytes as sent; larger ones get 552 and nothing is stored. */
  maxBytes: number;
  logger?: Logger | undefined;
  onOutbox?: () => void;
  /** Told of every stored or duplicate mail (tests, logs). */
  onReceived?: (result: ReceivedEmail & { tenantId: string }) => void;
}

export interface InboundSmtp {
  /** `host:port` it listens on. */
  address: string;
  port: number;
  close(): Promise<void>;
}

/** An SMTP reply code carried by an error the server sends back to the client. */
function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * The inbound SMTP listener that `fairdesk serve` starts when SMTP_LISTEN is set. It accepts mail
 * only for recipients that route to an existing tenant (550 otherwise), refuses a message over
 * `maxBytes` with 552 before anything is written, and stores each accepted mail through
 * receiveEmail() once per tenant addressed. A failure to store answers 451, so the sending MTA
 * retries; a retry is harmless because a stored Message-ID is never stored again.
 *
 * It speaks plain SMTP without AUTH or STARTTLS and checks no SPF/DKIM: put it behind the
 * organisation's MTA (docs/email.md).
 */
export async function startInboundSmtp(options: InboundSmtpOptions): Promise<InboundSmtp> {
  const { db, routing, maxBytes, logger } = options;

  const tenantFor = async (address: string) => {
    const slug = tenantSlugFor(address, routing);
    return slug ? ((await findTenantBySlug(db, slug)) ?? null) : null;
  };

  const server = new SMTPServer({
    banner: 'Fairdesk inbound mail',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxBytes,
    maxClients: 50,
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, callback: (err?: Error | null) => void) {
      tenantFor(address.address).then(
        (tenant) => callback(tenant ? null : smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`)),
        (error: unknown) => {
          logger?.error({ err: error }, 'inbound mail: recipient lookup failed');
          callback(smtpError(451, '4.3.0 temporary failure, try again later'));
        },
      );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let length = 0;
      stream.on('data', (chunk: Buffer) => {
        // Past the limit the rest is drained unread: nothing oversize is held in memory or parsed.
        if (length <= maxBytes) chunks.push(chunk);
        length += chunk.length;
      });
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        if (stream.sizeExceeded || length > maxBytes) {
          callback(smtpError(552, `5.3.4 message too big: the limit is ${maxBytes} bytes`));
          return;
        }
        store(Buffer.concat(chunks), session).then(
          () => callback(null),
          (error: unknown) => {
            if (error instanceof Error && 'responseCode' in error) return callback(error);
            logger?.error({ err: error }, 'inbound mail: storing failed');
            callback(smtpError(451, '4.3.0 could not store the message, try again later'));
          },
        );
      });
    },
  });

  async function store(raw: Buffer, session: SMTPServerSession): Promise<void> {
    const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
    const base = incomingFrom(parsed, raw, session);
    if (!base) throw smtpError(550, '5.1.7 the message has no sender address');
    // Each tenant addressed gets the mail once, under the address that routed it there.
    const seen = new Set<string>();
    for (const rcpt of session.envelope.rcptTo) {
      const tenant = await tenantFor(rcpt.address);
      if (!tenant || seen.has(tenant.id)) continue;
      seen.add(tenant.id);
      const result = await receiveEmail(
        { db, tenantId: tenant.id, actor: 'email', ...(options.onOutbox ? { onOutbox: options.onOutbox } : {}) },
        { ...base, mailbox: rcpt.address },
      );
      logger?.info({ tenantId: tenant.id, outcome: result.outcome, ...(result.outcome === 'stored' ? { conversationId: result.conversationId, threaded: result.threaded } : {}) }, 'inbound mail');
      options.onReceived?.({ ...result, tenantId: tenant.id });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Errors on client sockets are the client's problem; keep serving.
  server.on('error', (error) => logger?.warn({ err: error }, 'inbound mail: connection error'));
  const port = (server.server.address() as { port: number }).port;
  return {
    address: `${options.host}:${port}`,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The parts of a parsed mail receiveEmail needs (without the mailbox), or null without any sender address. */
export function incomingFrom(parsed: ParsedMail, raw: Buffer, session: Pick<SMTPServerSession, 'envelope'>): Omit<IncomingEmail, 'mailbox'> | null {
  const sender = parsed.from?.value.find((a) => a.address);
  const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
  const address = sender?.address ?? envelopeFrom;
  if (!address || !address.includes('@')) return null;
  return {
    // Without a Message-ID, the bytes' hash stands in: the same bytes delivered again are still one message.
    messageId: normalizeMessageId(parsed.messageId) ?? `<${createHash('sha256').update(raw).digest('hex')}@fairdesk.invalid>`,
    from: { address, name: sender?.name || null },
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    references: referencedIds(parsed.inReplyTo, parsed.references),
    attachments: parsed.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
  };
}
