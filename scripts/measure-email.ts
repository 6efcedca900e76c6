/**
 * `npx tsx scripts/measure-email.ts [count]`: how fast the inbound SMTP listener stores mail, over
 * real SMTP on 127.0.0.1, on a fresh embedded store (or the PostgreSQL server in DATABASE_URL, in a
 * database of its own that is dropped afterwards). Prints the figures docs/email.md quotes.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { createTenant } from '../src/app/create-tenant.ts';
import { openStore } from '../src/db/store.ts';
import { startInboundSmtp } from '../src/smtp/inbound.ts';

const count = Number(process.argv[2] ?? 200);
const dataDir = mkdtempSync(join(tmpdir(), 'fairdesk-mail-'));
let databaseUrl: string | undefined;
const admin = process.env.DATABASE_URL;
const dbName = `fairdesk_mail_${process.pid}`;
if (admin) {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${dbName}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${dbName}`;
  databaseUrl = url.toString();
}
const store = await openStore({ dataDir, databaseUrl });
const { tenant } = await createTenant(store.db, { name: 'Mail bench', actor: 'bench' });
const MAX = 10 * 1024 * 1024;
const smtp = await startInboundSmtp({ db: store.db, host: '127.0.0.1', port: 0, routing: { domain: 'bench.test' }, maxBytes: MAX });
const to = `support+${tenant.slug}@bench.test`;
const sender = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1 });

const time = async (label: string, n: number, send: (i: number) => Promise<unknown>) => {
  const start = performance.now();
  for (let i = 0; i < n; i++) await send(i);
  const ms = performance.now() - start;
  console.log(`${label}: ${n} in ${(ms / 1000).toFixed(2)} s = ${(ms / n).toFixed(1)} ms per mail, ${((n * 1000) / ms).toFixed(0)} mails/s`);
};
const body = 'Hello, my router stopped working yesterday and I cannot get online. Can you help me fix it?';
await time('new threads (new customer each)', count, (i) => sender.sendMail({ from: `c${i}@example.com`, to, subject: `Router ${i}`, text: body, messageId: `<n${i}@example.com>` }));
await time('replies into existing threads', count, (i) =>
  sender.sendMail({ from: `c${i}@example.com`, to, subject: `Re: Router ${i}`, text: `Still broken.\n\nOn Mon, Support wrote:\n> ${body}`, messageId: `<r${i}@example.com>`, inReplyTo: `<n${i}@example.com>` }),
);
await time('redeliveries (stored once)', count, (i) => sender.sendMail({ from: `c${i}@example.com`, to, subject: `Router ${i}`, text: body, messageId: `<n${i}@example.com>` }));
// The largest attachment that fits the 10 MiB message limit once base64-encoded (4/3 plus line ends).
const file = randomBytes(7 * 1024 * 1024);
await time('one 7 MiB attachment', 1, () => sender.sendMail({ from: 'big@example.com', to, subject: 'Big', text: 'Attached.', attachments: [{ filename: 'big.bin', content: file }] }));
const over = await sender
  .sendMail({ from: 'big@example.com', to, subject: 'Too big', text: 'Attached.', attachments: [{ filename: 'big.bin', content: randomBytes(8 * 1024 * 1024) }] })
  .then(
    () => 'accepted',
    (e: { responseCode?: number }) => `refused ${e.responseCode}`,
  );
console.log(`one 8 MiB attachment (over 10 MiB encoded): ${over}`);
const rows = await store.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
console.log(`store: ${store.kind}, messages stored: ${rows.n} (expected ${2 * count + 1})`);

sender.close();
await smtp.close();
await store.close();
rmSync(dataDir, { recursive: true, force: true });
if (admin) {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`drop database if exists ${dbName} with (force)`);
  await client.end();
}
