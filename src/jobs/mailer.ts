import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  /** Stable per outbox job, so a retried send is recognisable as the same message. */
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  headers?: Record<string, string>;
  /** Threading: the Message-ID answered, and the thread's Message-IDs oldest first. */
  inReplyTo?: string;
  references?: string[];
  /** Where the customer's answer should go (our inbound address), when it is not `from`. */
  replyTo?: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  describe: string;
  close(): void;
}

/** SMTP when SMTP_URL is set; otherwise `.eml` files in the data folder, for development. */
export function createMailer(options: { smtpUrl?: string | undefined; dataDir: string }): Mailer {
  return options.smtpUrl ? smtpMailer(options.smtpUrl) : fileMailer(join(options.dataDir, 'mail'));
}

function smtpMailer(url: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    describe: `SMTP ${new URL(url).host}`,
    async send(mail) {
      await transport.sendMail({ ...mail, messageId: mail.messageId });
    },
    close: () => transport.close(),
  };
}

function fileMailer(dir: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    describe: `.eml files in ${dir}`,
    async send(mail) {
      const info = await transport.sendMail({ ...mail, messageId: mail.messageId });
      mkdirSync(dir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.messageId.replace(/[^a-zA-Z0-9-]/g, '')}.eml`;
      // Write then rename: a reader never sees half a message.
      const tmp = join(dir, `.${name}.tmp`);
      writeFileSync(tmp, info.message as Buffer);
      renameSync(tmp, join(dir, name));
    },
    close: () => transport.close(),
  };
}
