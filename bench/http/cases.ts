/**
 * The tenant the HTTP benchmarks load, and each case twice: as an HTTP request to the real server,
 * and as its reference — the same database work through the same store driver, in-process, with no
 * HTTP, no token look-up, no validation and no serialisation.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createConversation } from '../../src/app/create-conversation.ts';
import { createWebhook } from '../../src/app/create-webhook.ts';
import { generateHistory } from '../../src/app/generate-history.ts';
import { getEntitlements } from '../../src/app/get-entitlements.ts';
import { parityReport } from '../../src/app/parity-report.ts';
import { postMessage } from '../../src/app/post-message.ts';
import { listConversations } from '../../src/app/read-conversations.ts';
import type { TenantScope } from '../../src/app/scope.ts';
import { seedDemo } from '../../src/app/seed-demo.ts';
import { ConversationListQuery } from '../../src/contracts/conversations.ts';
import type { Store } from '../../src/db/store.ts';
import { jobHandlers } from '../../src/jobs/handlers.ts';
import { createMailer } from '../../src/jobs/mailer.ts';
import { JobsWorker } from '../../src/jobs/worker.ts';

export const CUSTOMER_LINES = [
  'My broadband keeps dropping every evening around eight.',
  'I restarted the router twice already, it did not help.',
  'No, I do not want to upgrade, I just want it to work.',
  'The light goes red for about two minutes, then it comes back.',
  'I cannot take another day off work for an engineer.',
  'Can you tell me why my bill went up this month?',
  'Thanks, that fixed it. Have a good evening.',
  'I have been waiting three days for an answer to this.',
];

export interface Fixture {
  tenantId: string;
  token: string;
  /** Open conversations that receive the ingested customer messages, round robin. */
  conversationIds: string[];
  /** Customers whose entitlements are asked for, round robin. */
  customerIds: string[];
  conversationsInTenant: number;
}

/**
 * The demo tenant (charter, agents, customers with spend) + `history` past conversations, a webhook
 * endpoint listening for every event (so each message also writes an outbox row, and the server's
 * worker delivers it to `webhookUrl`), and `openConversations` fresh open chat conversations.
 */
export async function seedFixture(store: Store, opts: { history: number; openConversations: number; webhookUrl: string }): Promise<Fixture> {
  const demo = await seedDemo(store.db);
  await generateHistory(store.db, demo.tenantId, { conversations: opts.history });
  const scope: TenantScope = { db: store.db, tenantId: demo.tenantId, actor: 'bench' };
  const customers = await store.db
    .selectFrom('customers')
    .select('id')
    .where('tenant_id', '=', demo.tenantId)
    .orderBy('id')
    .limit(1000)
    .execute();
  const customerIds = customers.map((c) => c.id);
  const conversationIds: string[] = [];
  for (let i = 0; i < opts.openConversations; i++) {
    const { conversation } = await createConversation(scope, {
      customerId: customerIds[i % customerIds.length]!,
      channel: 'chat',
      subject: `Bench conversation ${i}`,
      status: 'open',
      tags: [],
      message: { role: 'customer', text: CUSTOMER_LINES[i % CUSTOMER_LINES.length]!, visibility: 'public' },
    });
    conversationIds.push(conversation.id);
  }
  // After the conversations, so that seeding leaves no deliveries behind for the server.
  await createWebhook(scope, { url: opts.webhookUrl, events: ['*'], enabled: true }, { policy: { allowPrivate: false, allow: ['127.0.0.1'] } });
  const { count } = await store.db
    .selectFrom('conversations')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('tenant_id', '=', demo.tenantId)
    .executeTakeFirstOrThrow();
  return { tenantId: demo.tenantId, token: demo.token, conversationIds, customerIds, conversationsInTenant: Number(count) };
}

/**
 * Runs every due outbox job with the server's own handlers (webhooks to the loopback receiver, mail
 * to files in the data folder) until none is left: seeding and the references leave jobs behind,
 * and the server's worker would otherwise work through them during the measurement. Returns how many ran.
 */
export async function drainOutbox(store: Store, dataDir: string): Promise<number> {
  const mailer = createMailer({ dataDir });
  const worker = new JobsWorker({
    db: store.db,
    handlers: jobHandlers({ mailer, mailFrom: 'bench@fairdesk.localhost', webhooks: { policy: { allowPrivate: false, allow: ['127.0.0.1'] } } }),
  });
  let total = 0;
  try {
    for (let ran = await worker.runDue(); ran > 0; ran = await worker.runDue()) total += ran;
  } finally {
    mailer.close();
  }
  return total;
}

/** A loopback receiver for the webhook deliveries: answers 204 to everything, counts what came. */
export interface WebhookReceiver {
  url: string;
  received: () => number;
  /** Resolves when nothing has arrived for `quietMs` (at most `maxMs`); returns the count. */
  quiet(quietMs: number, maxMs: number): Promise<number>;
  /** Resolves when `n` deliveries have arrived in all (at most `maxMs`); returns the count. */
  reach(n: number, maxMs: number): Promise<number>;
  close(): Promise<void>;
}

export async function webhookReceiver(): Promise<WebhookReceiver> {
  let received = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received: () => received,
    async quiet(quietMs, maxMs) {
      const until = Date.now() + maxMs;
      let last = -1;
      while (received !== last && Date.now() < until) {
        last = received;
        await new Promise((resolve) => setTimeout(resolve, quietMs));
      }
      return received;
    },
    async reach(n, maxMs) {
      const until = Date.now() + maxMs;
      while (received < n && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 200));
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface HttpCase {
  key: 'ingest' | 'list' | 'entitlements' | 'parity';
  name: string;
  method: 'GET' | 'POST';
  /** Request i's path (and body); i counts up per request. */
  path(i: number): string;
  body?(i: number): string;
  /** The reference: operation i, in-process on the store. */
  direct(scope: TenantScope, i: number): Promise<unknown>;
  /** What the reference is, for the docs and the log. */
  reference: string;
  /** Concurrent connections (and reference loops) when not the run's default. */
  connections?: number;
}

export function httpCases(fx: Fixture): HttpCase[] {
  const listQuery = ConversationListQuery.parse({ limit: '50' });
  const { limit: _limit, cursor: _cursor, ...listFilter } = listQuery;
  const message = (i: number) => ({ role: 'customer' as const, text: `${CUSTOMER_LINES[i % CUSTOMER_LINES.length]} (${i})`, visibility: 'public' as const });
  return [
    {
      key: 'ingest',
      name: 'message ingest: POST /conversations/:id/messages (customer message, analysis, SLA, audit, outbox)',
      method: 'POST',
      path: (i) => `/api/v1/conversations/${fx.conversationIds[i % fx.conversationIds.length]}/messages`,
      body: (i) => JSON.stringify(message(i)),
      direct: (scope, i) => postMessage(scope, fx.conversationIds[i % fx.conversationIds.length]!, message(i)),
      reference: 'postMessage() (src/app/post-message.ts): the same tenant transaction and statements',
    },
    {
      key: 'list',
      name: 'conversation list: GET /conversations?limit=50',
      method: 'GET',
      path: () => '/api/v1/conversations?limit=50',
      direct: (scope) => listConversations(scope, listFilter, { limit: 50 }),
      reference: 'listConversations(): the repository query in its tenant transaction',
    },
    {
      key: 'entitlements',
      name: 'entitlements: GET /customers/:id/entitlements',
      method: 'GET',
      path: (i) => `/api/v1/customers/${fx.customerIds[i % fx.customerIds.length]}/entitlements`,
      direct: (scope, i) => getEntitlements(scope, fx.customerIds[i % fx.customerIds.length]!),
      reference: 'getEntitlements(): the app function (read log row, charter, customer facts)',
    },
    {
      key: 'parity',
      name: `parity report: GET /reports/parity (${fx.conversationsInTenant.toLocaleString('en')} conversations)`,
      method: 'GET',
      path: () => '/api/v1/reports/parity',
      direct: (scope) => parityReport(scope, {}),
      reference: 'parityReport(): the app function',
      // A report takes hundreds of milliseconds: two at a time, as two leads would ask.
      connections: 2,
    },
  ];
}
