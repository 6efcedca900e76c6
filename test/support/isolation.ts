/**
 * The tenant isolation matrix: seed two tenants with every kind of record, then walk every route the
 * server registers as the owner (positive control), another tenant's token, another tenant's agent
 * session and a customer session, and collect every answer that is not a plain "not found".
 *
 * Routes are classified by ROUTES below. A route the table does not know is reported, so nobody can
 * add a route without saying how it is scoped; its path parameters get fixtures by name and by the
 * path segment before them (`/customers/{id}` → a customer of tenant A).
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { writeAuditCheckpoints } from '../../src/app/audit-checkpoints.ts';
import { auditKeyId } from '../../src/app/audit-signing-key.ts';
import { GLOBAL_TABLES } from '../../src/db/tables.ts';
import type { Store } from '../../src/db/store.ts';
import type { TestApp, TestTenant } from './app.ts';
import { APP_PATHS } from '../../web/src/app-paths.ts';
import { injectCharge } from './ledger.ts';
import { fanOutWebhookEvent } from '../../src/app/fan-out-webhook-event.ts';
import { insertAttempt } from '../../src/db/repositories/webhooks.ts';
import { withTenant } from '../../src/db/with-tenant.ts';
import { receiveEmail } from '../../src/app/receive-email.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- parsed JSON in a test helper */

export const PASSWORD = 'correct horse battery staple';
const COOKIE = '__Host-fairdesk_session';

/** Everything seeded for one tenant. Every human-readable value of a tenant contains its marker. */
export interface TenantFx {
  key: 'a' | 'b';
  id: string;
  slug: string;
  token: string;
  /** In every name, e-mail, subject and text of this tenant: a foreign body must never contain A's. */
  marker: string;
  team: string;
  admin: string;
  lead: string;
  compliance: string;
  /** A plain agent (the target of agent routes; not signed in). */
  agent: string;
  /** An agent whose sessions may be ended (sign-out routes). */
  throwawayEmail: string;
  customer: string;
  customerName: string;
  bob: string;
  conversation: string;
  bobConversation: string;
  /** The text of an internal note on `conversation` (never shown in the portal). */
  internalNote: string;
  closure: string;
  exception: string;
  spend: string;
  /** A credit granted to Alice (through the API). */
  credit: string;
  /** The invoice of the seeded charge of Alice's (seedRest). */
  invoice: string;
  product: string;
  plan: string;
  subscription: string;
  /** A cancellation attempt of `subscription` that shows a clarification (its price rose). */
  cancellation: string;
  /** Bob's subscription and a cancellation attempt of it (Alice must never reach them). */
  bobSubscription: string;
  bobCancellation: string;
  /** A conversation whose customer (one subscription) asked to cancel: its cancel request is open. */
  cancelRequestConversation: string;
  /** The reference of `subscription` (what the logged-out route asks for). */
  subscriptionReference: string;
  /** The unused reversal token of a logged-out cancellation of Alice's (from its e-mail). */
  reversalToken: string;
  /** That logged-out cancellation: confirmed, with its confirmation e-mail (carrying the token) queued. */
  loggedOutCancellation: string;
  /** A campaign of `product`, and a presented offer under it (of a fresh customer). */
  campaign: string;
  offer: string;
  /** A customer who uses fax but holds no product: someone an offer may be made to. */
  prospect: string;
  apiToken: string;
  /** The highest charter version (A has more than B, so A's last version is A's alone). */
  version: number;
  sessions: Record<'admin' | 'lead' | 'compliance', string>;
  /** A portal session of the customer `customer` (Alice). */
  alice: string;
  aliceEmail: string;
  /** Alice's first message (the customer's own words, on `conversation`): consent evidence. */
  aliceMessage: string;
  /** A hard-credit-inquiry grant of Alice's (evidenced by `aliceMessage`), used by `creditCheck`. */
  consent: string;
  /** A hard credit check of Alice's that relied on `consent`. */
  creditCheck: string;
  /** A webhook endpoint (at a public address no test sends to: no worker runs in the matrix). */
  webhook: string;
  /** A delivery of `webhook`, with one logged attempt (seedRest). */
  webhookDelivery: string;
  /** A file that came by e-mail (from Dana, a customer the mail created); its bytes contain the marker. */
  attachment: string;
}

export interface Ctx {
  app: FastifyInstance;
  store: Store;
  a: TenantFx;
  b: TenantFx;
  /** Creates records for fresh-per-call fixtures (writes that can be done once only). */
  make: Makers;
}

export interface Makers {
  customer(fx: TenantFx): Promise<string>;
  closure(fx: TenantFx): Promise<string>;
  token(fx: TenantFx): Promise<string>;
  agentSession(fx: TenantFx): Promise<string>;
  portalSession(fx: TenantFx): Promise<string>;
  /** A subscription of Alice (or the given customer) on `plan` whose price rose 30 days ago (out of cooling-off). */
  subscription(fx: TenantFx, customerId?: string): Promise<string>;
  /** A cancellation attempt on a fresh subscription, with a clarification showing. */
  cancellation(fx: TenantFx): Promise<string>;
  /** A cancellation attempt on a fresh subscription of Alice's, with an offer showing (a cheaper plan covers her use). */
  offerCancellation(fx: TenantFx): Promise<string>;
  /** A conversation with an open cancel request, of a fresh customer with one subscription. */
  cancelRequest(fx: TenantFx): Promise<string>;
  /** An offer of `product` under `campaign`, presented to a fresh customer who uses fax. */
  offer(fx: TenantFx, attributes?: Record<string, unknown>): Promise<string>;
  /** The same, to a customer flagged vulnerable: awaiting extra care. */
  extraCareOffer(fx: TenantFx): Promise<string>;
  /** An accepted offer: a sale. */
  sale(fx: TenantFx): Promise<string>;
}

type Role = 'admin' | 'lead' | 'compliance';
type Body = (a: TenantFx, self: TenantFx, n: number) => unknown;

/** How a route is scoped, and what the matrix expects of it. */
export type RouteSpec =
  | {
      kind: 'public';
      /** Requests without credentials, each with its expected status; none may show tenant A's data unless `own`. */
      requests: (ctx: Ctx) => { url: string; body?: unknown; status: number; own?: boolean; headers?: Record<string, string> }[];
    }
  | {
      kind: 'staff';
      /**
       * record: reaches one of A's records by path id — foreign principals get 404.
       * reference: creates something pointing at A's ids in the body — foreign principals get 404 or 422.
       * tenant: lists, reports, creates and "self" routes of the caller's own tenant — foreign principals
       *   get their own tenant's answer (2xx), with none of A's data in it.
       */
      access: 'record' | 'reference' | 'tenant';
      body?: Body;
      query?: (a: TenantFx) => string;
      /** The session role that holds the route's permission (default admin). */
      role?: Role;
      /** Path ids made afresh for each owner call (the write can be done only once). */
      fresh?: (ctx: Ctx, a: TenantFx) => Promise<Record<string, string>>;
      /** Path ids of A other than the default fixture for every call (e.g. a confirmed cancellation). */
      params?: (a: TenantFx) => Record<string, string>;
      /** The route ends the caller's session: use fresh sessions of a throwaway agent. */
      endsSession?: boolean;
      /** Owner answers other than 2xx (e.g. 400 for a token on a session-only route). */
      expect?: Partial<Record<'token' | 'session', number>>;
      /** Ids of A the owner's answer must contain (proves there was data to leak). */
      ownerSees?: (a: TenantFx) => string[];
      /** A foreign principal's OWN record pointing at A's ids: must be refused (404/422). */
      crossRef?: (a: TenantFx, self: TenantFx) => { params: Record<string, string>; body?: unknown };
    }
  | {
      kind: 'portal';
      body?: Body;
      /** Alice's own record ids for the path (default: none beyond the slug). */
      own?: (a: TenantFx) => Record<string, string>;
      /** Alice's own path ids made afresh for the positive control (the write can be done only once). */
      fresh?: (ctx: Ctx, a: TenantFx) => Promise<Record<string, string>>;
      /** Records Alice must not reach (Bob's, tenant B's): 404 each. */
      foreign?: (a: TenantFx, b: TenantFx) => Record<string, string>[];
      endsSession?: boolean;
    };

const days = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
let counter = 0;
const unique = () => `${process.pid}-${++counter}`;

/** Every route the server has, and how the matrix checks it. Add a new route here, with its scope. */
export const ROUTES: Record<string, RouteSpec> = {
  // Public: no credentials; asking with tenant B's slug must never show A's data.
  'GET /healthz': { kind: 'public', requests: () => [{ url: '/healthz', status: 200 }] },
  'GET /api/v1/openapi.json': { kind: 'public', requests: () => [{ url: '/api/v1/openapi.json', status: 200 }] },
  'GET /api/v1/public/{slug}/charter': {
    kind: 'public',
    requests: ({ a, b }) => [
      { url: `/api/v1/public/${a.slug}/charter`, status: 200, own: true },
      { url: `/api/v1/public/${b.slug}/charter`, status: 200 },
    ],
  },
  'POST /api/v1/auth/sign-in': {
    kind: 'public',
    // A's admin with A's password cannot sign in to tenant B.
    requests: ({ a, b }) => [{ url: '/api/v1/auth/sign-in', body: { tenant: b.slug, email: `admin.${a.marker}@example.com`, password: PASSWORD }, status: 401 }],
  },
  'POST /api/v1/portal/{slug}/magic-links': {
    kind: 'public',
    // Alice of A asking at B's door: the same 202, and no mail (checked by the snapshots of both tenants).
    requests: ({ a, b }) => [{ url: `/api/v1/portal/${b.slug}/magic-links`, body: { email: a.aliceEmail }, status: 202 }],
  },
  'POST /api/v1/portal/{slug}/sessions': {
    kind: 'public',
    // The body is filled in by the walker with a fresh, unused link of Alice's (tenant A) — used at B's slug.
    requests: ({ b }) => [{ url: `/api/v1/portal/${b.slug}/sessions`, body: 'alice-link', status: 401 }],
  },
  'POST /api/v1/public/{slug}/cancellations': {
    kind: 'public',
    // Alice of A with A's subscription reference at B's door, and a wrong e-mail at A's: the same 202, nothing changed.
    requests: ({ a, b }) => [
      { url: `/api/v1/public/${b.slug}/cancellations`, body: { email: a.aliceEmail, reference: a.subscriptionReference }, status: 202 },
      { url: `/api/v1/public/${a.slug}/cancellations`, body: { email: `bob.${b.marker}@example.com`, reference: a.subscriptionReference }, status: 202 },
    ],
  },
  'POST /api/v1/public/{slug}/cancellations/reverse': {
    kind: 'public',
    // A's unused reversal token at B's slug: not found, and A's cancellation stays as it is.
    requests: ({ a, b }) => [{ url: `/api/v1/public/${b.slug}/cancellations/reverse`, body: { token: a.reversalToken }, status: 404 }],
  },
  'GET /portal/{slug}/confirm': { kind: 'public', requests: ({ b }) => [{ url: `/portal/${b.slug}/confirm`, status: 200 }] },
  'GET /portal/confirm.js': { kind: 'public', requests: () => [{ url: '/portal/confirm.js', status: 200 }] },
  'GET /portal/{slug}/reverse-cancellation': { kind: 'public', requests: ({ b }) => [{ url: `/portal/${b.slug}/reverse-cancellation`, status: 200 }] },
  'GET /portal/reverse.js': { kind: 'public', requests: () => [{ url: '/portal/reverse.js', status: 200 }] },
  'GET /portal/portal.css': { kind: 'public', requests: () => [{ url: '/portal/portal.css', status: 200 }] },
  // The web app's pages: one index.html for everyone, with no data in it (each page asks the API).
  ...Object.fromEntries(
    Object.values(APP_PATHS).map((path): [string, RouteSpec] => [
      `GET ${path.replace(/:(\w+)/g, '{$1}')}`,
      { kind: 'public', requests: ({ a, b }) => [{ url: path.replace(':slug', b.slug).replace(':id', a.conversation), status: 200 }] },
    ]),
  ),
  'GET /assets/{file}': {
    kind: 'public',
    requests: () => [
      { url: '/assets/no-such-file.js', status: 404 },
      { url: '/assets/..%2Fpackage.json', status: 400 },
    ],
  },

  // Staff: "self" and tenant-wide routes.
  'GET /api/v1/auth/session': { kind: 'staff', access: 'tenant', expect: { token: 400 } },
  'POST /api/v1/auth/sign-out': { kind: 'staff', access: 'tenant', endsSession: true },
  'POST /api/v1/auth/sign-out-everywhere': { kind: 'staff', access: 'tenant', endsSession: true },
  'GET /api/v1/tenant': { kind: 'staff', access: 'tenant', ownerSees: (a) => [a.id] },
  'POST /api/v1/tokens': { kind: 'staff', access: 'tenant', body: (_a, self) => ({ name: `${self.marker} token ${unique()}`, scopes: ['customers:read'] }) },
  'GET /api/v1/tokens': { kind: 'staff', access: 'tenant', ownerSees: (a) => [a.apiToken] },
  'POST /api/v1/customers': { kind: 'staff', access: 'tenant', body: (_a, self) => ({ name: `New ${self.marker} customer` }) },
  'GET /api/v1/customers': { kind: 'staff', access: 'tenant', query: (a) => `?email=${encodeURIComponent(a.aliceEmail)}`, ownerSees: (a) => [a.customer] },
  'GET /api/v1/agents': { kind: 'staff', access: 'tenant', query: (a) => `?teamId=${a.team}`, ownerSees: (a) => [a.agent, a.lead] },
  'GET /api/v1/teams': { kind: 'staff', access: 'tenant', ownerSees: (a) => [a.team] },
  'POST /api/v1/teams': { kind: 'staff', access: 'tenant', body: (_a, self) => ({ name: `${self.marker} team ${unique()}` }) },
  'GET /api/v1/conversations': { kind: 'staff', access: 'tenant', query: (a) => `?customerId=${a.customer}`, ownerSees: (a) => [a.conversation] },
  // The JSONL export: A's customer id as a filter finds nothing for B (an empty body, not A's lines).
  'GET /api/v1/conversations/export': { kind: 'staff', access: 'tenant', query: (a) => `?customerId=${a.customer}`, ownerSees: (a) => [a.conversation, a.internalNote] },
  'GET /api/v1/charter': { kind: 'staff', access: 'tenant', ownerSees: (a) => [a.marker] },
  'GET /api/v1/charter/versions': { kind: 'staff', access: 'tenant', ownerSees: (a) => [a.marker] },
  'POST /api/v1/charter/versions': { kind: 'staff', access: 'tenant', body: (_a, self) => ({ source: charterFor(self.marker), effectiveAt: '2026-03-01T00:00:00Z' }) },
  'GET /api/v1/reports/listening': { kind: 'staff', access: 'tenant', ownerSees: (a) => [a.agent] },
  'GET /api/v1/reports/parity': { kind: 'staff', access: 'tenant' },
  'GET /api/v1/reports/cancellations': { kind: 'staff', access: 'tenant', ownerSees: () => ['logged_out'] },
  'GET /api/v1/reports/sla': { kind: 'staff', access: 'tenant' },
  'GET /api/v1/reports/repeat-contacts': { kind: 'staff', access: 'tenant' },
  'GET /api/v1/exceptions': { kind: 'staff', access: 'tenant', query: (a) => `?customerId=${a.customer}`, ownerSees: (a) => [a.exception] },
  // The audit log: A's exception grant is A's alone; another tenant asking by its id sees an empty page.
  'GET /api/v1/audit': { kind: 'staff', access: 'tenant', query: (a) => `?action=exception.&entityId=${a.exception}`, ownerSees: (a) => [a.exception] },
  'GET /api/v1/audit/verify': { kind: 'staff', access: 'tenant' },
  // The consent ledger across customers: A's grant is A's alone; another tenant asking by A's customer id sees an empty page.
  'GET /api/v1/consents': { kind: 'staff', access: 'tenant', role: 'compliance', query: (a) => `?customerId=${a.customer}`, ownerSees: (a) => [a.consent, a.customerName] },
  'GET /api/v1/products': { kind: 'staff', access: 'tenant', ownerSees: (a) => [a.product] },
  'POST /api/v1/products': { kind: 'staff', access: 'tenant', body: (_a, self) => ({ name: `${self.marker} product ${unique()}` }) },
  'GET /api/v1/plans': { kind: 'staff', access: 'tenant', query: (a) => `?productId=${a.product}`, ownerSees: (a) => [a.plan] },
  'GET /api/v1/subscriptions': { kind: 'staff', access: 'tenant', query: (a) => `?customerId=${a.customer}`, ownerSees: (a) => [a.subscription] },
  'GET /api/v1/cancel-requests': { kind: 'staff', access: 'tenant', query: () => '?status=open', ownerSees: (a) => [a.cancelRequestConversation] },
  // The consent ledger and credit checks: A's customer by path id; B's own customer may not cite A's message as evidence.
  'GET /api/v1/customers/{id}/consents': { kind: 'staff', access: 'record', ownerSees: (a) => [a.consent, a.aliceMessage] },
  'POST /api/v1/customers/{id}/consents': {
    kind: 'staff',
    access: 'record',
    body: (_a, self) => ({ purpose: 'marketing_contact', status: 'granted', scope: `${self.marker} product news`, evidence: { screenVersion: 'matrix/1', shownText: `${self.marker} news?` } }),
    crossRef: (a, self) => ({ params: { id: self.customer }, body: { purpose: 'marketing_contact', status: 'granted', scope: 'news', evidence: { messageId: a.aliceMessage } } }),
  },
  // Imports: into the caller's own tenant only; B's import of its own file must not touch A's rows.
  'GET /api/v1/imports': { kind: 'staff', access: 'tenant' },
  'POST /api/v1/imports/{kind}': {
    kind: 'staff',
    access: 'tenant',
    body: (_a, self, n) => ({ users: [{ id: 4242 + (n ?? 0), name: `${self.marker} imported ${unique()}`, role: 'end-user' }] }),
  },
  'GET /api/v1/customers/{id}/credit-checks': { kind: 'staff', access: 'record', ownerSees: (a) => [a.creditCheck, a.consent] },
  // Webhook endpoints and their delivery log: A's endpoint by id; B's own endpoint cannot replay A's delivery.
  'POST /api/v1/webhooks': { kind: 'staff', access: 'tenant', body: (_a, self) => ({ url: `https://93.184.215.14/${self.marker}/new`, description: `${self.marker} hook ${unique()}`, enabled: false }) },
  'GET /api/v1/webhooks': { kind: 'staff', access: 'tenant', ownerSees: (a) => [a.webhook] },
  'GET /api/v1/webhooks/{id}': { kind: 'staff', access: 'record' },
  'PATCH /api/v1/webhooks/{id}': { kind: 'staff', access: 'record', body: (_a, self) => ({ description: `${self.marker} hook (patched)` }) },
  'DELETE /api/v1/webhooks/{id}': {
    kind: 'staff',
    access: 'record',
    fresh: async (ctx, a) => {
      const res = await send(ctx.app, { name: 'seed', kind: 'token', credential: a.token }, 'POST', '/api/v1/webhooks', { url: `https://93.184.215.14/${a.marker}/gone`, enabled: false });
      if (res.status !== 201) throw new Error(`webhook fixture: ${res.status} ${res.body}`);
      return { id: res.json.id as string };
    },
  },
  'POST /api/v1/webhooks/{id}/rotate-secret': { kind: 'staff', access: 'record' },
  'GET /api/v1/webhooks/{id}/deliveries': { kind: 'staff', access: 'record', ownerSees: (a) => [a.webhook, a.webhookDelivery] },
  'POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/replay': {
    kind: 'staff',
    access: 'record',
    crossRef: (a, self) => ({ params: { id: self.webhook, deliveryId: a.webhookDelivery } }),
  },
  'POST /api/v1/customers/{id}/credit-checks': { kind: 'staff', access: 'record', body: (_a, self) => ({ kind: 'estimate', reason: `${self.marker} rate estimate` }) },

  // Staff: creates that point at A's records.
  'POST /api/v1/agents': {
    kind: 'staff',
    access: 'reference',
    body: (a, self) => ({ name: `${self.marker} hire`, email: `hire${unique()}.${self.marker}@example.com`, teamId: a.team }),
  },
  'POST /api/v1/conversations': {
    kind: 'staff',
    access: 'reference',
    body: (a, self) => ({ customerId: a.customer, channel: 'chat', subject: `${self.marker} new`, teamId: a.team, assigneeId: a.agent }),
  },
  'POST /api/v1/plans': {
    kind: 'staff',
    access: 'reference',
    body: (a, self) => ({ productId: a.product, name: `${self.marker} plan ${unique()}`, priceMinor: 999, currency: 'EUR', interval: 'month', features: ['fax'] }),
  },
  'POST /api/v1/subscriptions': { kind: 'staff', access: 'reference', body: (a) => ({ customerId: a.customer, planId: a.plan }) },
  'POST /api/v1/exceptions': {
    kind: 'staff',
    access: 'reference',
    body: (a, self) => ({ customerId: a.customer, what: `${self.marker} visit`, reason: `${self.marker} move`, approverId: a.lead, expiresAt: days(5) }),
  },

  // Staff: A's records by id.
  'GET /api/v1/customers/{id}': { kind: 'staff', access: 'record' },
  'PATCH /api/v1/customers/{id}': { kind: 'staff', access: 'record', body: (_a, self) => ({ attributes: { note: `${self.marker} patched` } }) },
  'GET /api/v1/customers/{id}/entitlements': { kind: 'staff', access: 'record', ownerSees: () => [] },
  // Who read the record: the owner sees reads of A's agents; B must not learn that A's record exists.
  // The access-request export: everything about A's customer, to A only.
  'GET /api/v1/customers/{id}/export': { kind: 'staff', access: 'record', ownerSees: (a) => [a.customer, a.conversation, a.internalNote, a.consent, a.invoice] },
  'GET /api/v1/customers/{id}/reads': { kind: 'staff', access: 'record', ownerSees: () => ['customer'] },
  'POST /api/v1/customers/{id}/erasure': {
    kind: 'staff',
    access: 'record',
    // Erasure is done once per customer: the owner erases a fresh one (A's Alice stays for the rest).
    fresh: async (ctx, a) => ({ id: await ctx.make.customer(a) }),
  },
  'GET /api/v1/customers/{id}/spend': { kind: 'staff', access: 'record', ownerSees: (a) => [a.spend] },
  'POST /api/v1/customers/{id}/spend': {
    kind: 'staff',
    access: 'record',
    body: (_a, self) => ({ amountMinor: 500, currency: 'GBP', at: days(-1), source: 'billing', externalId: `inv-${self.marker}-${unique()}` }),
  },
  'POST /api/v1/customers/{id}/closure': {
    kind: 'staff',
    access: 'record',
    body: () => ({ reason: 'customer_request' }),
    fresh: async (ctx, a) => ({ id: await ctx.make.customer(a) }),
  },
  'POST /api/v1/closures/{id}/approve': {
    kind: 'staff',
    access: 'record',
    role: 'lead',
    body: (_a, self) => ({ agentId: self.lead }),
    fresh: async (ctx, a) => ({ id: await ctx.make.closure(a) }),
    crossRef: (a, self) => ({ params: { id: self.closure }, body: { agentId: a.lead } }),
  },
  'POST /api/v1/customers/{id}/usage': {
    kind: 'staff',
    access: 'record',
    body: (_a, self) => ({ unit: 'fax', quantity: 2, at: days(-1), externalId: `use-${self.marker}-${unique()}` }),
  },
  'GET /api/v1/subscriptions/{id}': { kind: 'staff', access: 'record' },
  // The seeded charge of Alice's (seedRest) and her credit must be in the owner's answer.
  'GET /api/v1/customers/{id}/ledger': { kind: 'staff', access: 'record', ownerSees: (a) => [a.subscription, a.invoice, a.credit] },
  'GET /api/v1/customers/{id}/invoices': { kind: 'staff', access: 'record', ownerSees: (a) => [a.invoice] },
  'POST /api/v1/customers/{id}/credits': { kind: 'staff', access: 'record', body: (_a, self) => ({ amountMinor: 250, currency: 'EUR', reason: `${self.marker} goodwill` }) },
  'GET /api/v1/invoices/{id}': { kind: 'staff', access: 'record', ownerSees: (a) => [a.invoice, a.subscription] },
  'GET /api/v1/subscriptions/{id}/notices': { kind: 'staff', access: 'record' },
  'POST /api/v1/plans/{id}/price-changes': {
    kind: 'staff',
    access: 'record',
    body: (_a, self) => ({ priceMinor: 2299, effectiveAt: days(60), reason: `${self.marker} new features` }),
  },
  'POST /api/v1/plans/{id}/term-changes': {
    kind: 'staff',
    access: 'record',
    body: (_a, self) => ({ summary: `${self.marker}: the monthly fax cap falls from 200 to 150 pages`, effectiveAt: days(60) }),
  },
  'POST /api/v1/subscriptions/{id}/cancellations': {
    kind: 'staff',
    access: 'record',
    body: () => ({ channel: 'agent', reason: 'price', timing: 'period_end' }),
    // One standing attempt per subscription: the owner asks on a fresh one each time.
    fresh: async (ctx, a) => ({ id: await ctx.make.subscription(a) }),
  },
  'GET /api/v1/cancellations': { kind: 'staff', access: 'tenant', query: (a) => `?customerId=${a.customer}`, ownerSees: (a) => [a.cancellation] },
  'GET /api/v1/cancellations/{id}': { kind: 'staff', access: 'record' },
  // A confirmation as the customer got it: the logged-out one, whose e-mail carries a reversal token (never shown).
  'GET /api/v1/cancellations/{id}/confirmation': { kind: 'staff', access: 'record', params: (a) => ({ id: a.loggedOutCancellation }) },
  // Offers: product fits, campaigns, the gates, outcomes and incentives.
  'POST /api/v1/products/{id}/fit': { kind: 'staff', access: 'record', body: (_a, self) => ({ source: fitFor(self.marker) }) },
  'GET /api/v1/products/{id}/fit': { kind: 'staff', access: 'record' },
  'POST /api/v1/campaigns': {
    kind: 'staff',
    access: 'reference',
    body: (a, self) => ({ name: `${self.marker} campaign ${unique()}`, productIds: [a.product], situation: 'fax_heavy', ownerId: a.agent }),
  },
  'GET /api/v1/campaigns': { kind: 'staff', access: 'tenant', ownerSees: (a) => [a.campaign] },
  'GET /api/v1/campaigns/{id}': { kind: 'staff', access: 'record' },
  'GET /api/v1/customers/{id}/offers': { kind: 'staff', access: 'record', ownerSees: (a) => [a.product] },
  // The prospect uses fax and holds nothing: the gates let the owner's offer through, every time.
  'POST /api/v1/offers': { kind: 'staff', access: 'reference', body: (a) => ({ customerId: a.prospect, productId: a.product, campaignId: a.campaign, statedNeed: 'fax', agentId: a.agent }) },
  'GET /api/v1/offers': { kind: 'staff', access: 'tenant', query: (a) => `?campaignId=${a.campaign}`, ownerSees: (a) => [a.offer] },
  'GET /api/v1/offers/{id}': { kind: 'staff', access: 'record' },
  'POST /api/v1/offers/{id}/accept': { kind: 'staff', access: 'record', fresh: async (ctx, a) => ({ id: await ctx.make.offer(a) }) },
  'POST /api/v1/offers/{id}/decline': { kind: 'staff', access: 'record', fresh: async (ctx, a) => ({ id: await ctx.make.offer(a) }) },
  'POST /api/v1/offers/{id}/key-facts-read': { kind: 'staff', access: 'record', fresh: async (ctx, a) => ({ id: await ctx.make.offer(a) }) },
  'POST /api/v1/offers/{id}/review': { kind: 'staff', access: 'record', role: 'lead', fresh: async (ctx, a) => ({ id: await ctx.make.extraCareOffer(a) }) },
  'POST /api/v1/offers/{id}/outcomes': { kind: 'staff', access: 'record', role: 'lead', body: () => ({ kind: 'complaint', upheld: false }), fresh: async (ctx, a) => ({ id: await ctx.make.sale(a) }) },
  'GET /api/v1/reports/incentives': { kind: 'staff', access: 'tenant', ownerSees: (a) => [a.agent] },
  'POST /api/v1/cancellations/{id}/decline-offer': { kind: 'staff', access: 'record', fresh: async (ctx, a) => ({ id: await ctx.make.cancellation(a) }) },
  'POST /api/v1/cancellations/{id}/confirm': { kind: 'staff', access: 'record', fresh: async (ctx, a) => ({ id: await ctx.make.cancellation(a) }) },
  'POST /api/v1/cancellations/{id}/accept-offer': { kind: 'staff', access: 'record', fresh: async (ctx, a) => ({ id: await ctx.make.offerCancellation(a) }) },
  'POST /api/v1/cancellations/{id}/withdraw': { kind: 'staff', access: 'record', fresh: async (ctx, a) => ({ id: await ctx.make.cancellation(a) }) },
  // The agent side of cancellation: each owner call acts on a fresh conversation whose cancel request is open.
  'POST /api/v1/conversations/{id}/cancel-request/carry-out': { kind: 'staff', access: 'record', body: () => ({}), fresh: async (ctx, a) => ({ id: await ctx.make.cancelRequest(a) }) },
  'POST /api/v1/conversations/{id}/cancel-request/clarify': {
    kind: 'staff',
    access: 'record',
    body: (_a, self) => ({ text: `${self.marker}: the new price starts next month, not this one.` }),
    fresh: async (ctx, a) => ({ id: await ctx.make.cancelRequest(a) }),
  },
  'POST /api/v1/conversations/{id}/cancel-request/dismiss': {
    kind: 'staff',
    access: 'record',
    body: (_a, self) => ({ reason: `${self.marker}: the customer asked about cancelling a delivery, not the subscription` }),
    fresh: async (ctx, a) => ({ id: await ctx.make.cancelRequest(a) }),
  },
  'GET /api/v1/agents/{id}': { kind: 'staff', access: 'record' },
  'PATCH /api/v1/agents/{id}': {
    kind: 'staff',
    access: 'record',
    body: (_a, self) => ({ name: `${self.marker} agent renamed` }),
    crossRef: (a, self) => ({ params: { id: self.agent }, body: { teamId: a.team } }),
  },
  'POST /api/v1/agents/{id}/password': { kind: 'staff', access: 'record', body: () => ({ password: PASSWORD }) },
  'GET /api/v1/teams/{id}': { kind: 'staff', access: 'record' },
  'PATCH /api/v1/teams/{id}': { kind: 'staff', access: 'record', body: (_a, self) => ({ name: `${self.marker} team renamed ${unique()}` }) },
  'POST /api/v1/teams/{id}/assign': { kind: 'staff', access: 'record' },
  'GET /api/v1/conversations/{id}': { kind: 'staff', access: 'record' },
  // The bytes of a mailed file: the owner's answer is the file (with the marker in it), not JSON with its id.
  'GET /api/v1/attachments/{id}': { kind: 'staff', access: 'record', ownerSees: (a) => [`${a.marker} file`] },
  'PATCH /api/v1/conversations/{id}': {
    kind: 'staff',
    access: 'record',
    body: (_a, self) => ({ subject: `${self.marker} billing question (patched)` }),
    crossRef: (a, self) => ({ params: { id: self.conversation }, body: { assigneeId: a.agent } }),
  },
  'POST /api/v1/conversations/{id}/messages': { kind: 'staff', access: 'record', body: (_a, self) => ({ role: 'agent', text: `${self.marker} reply` }) },
  'POST /api/v1/conversations/{id}/check-reply': { kind: 'staff', access: 'record', body: (_a, self) => ({ text: `${self.marker} draft` }) },
  'GET /api/v1/charter/versions/{version}': { kind: 'staff', access: 'record' },
  'POST /api/v1/tokens/{id}/revoke': { kind: 'staff', access: 'record', fresh: async (ctx, a) => ({ id: await ctx.make.token(a) }) },

  // Portal: Alice (a customer of A) reaches only her own records, and only at A's slug.
  'GET /api/v1/portal/{slug}/me': { kind: 'portal' },
  'GET /api/v1/portal/{slug}/conversations': { kind: 'portal' },
  'POST /api/v1/portal/{slug}/conversations': { kind: 'portal', body: (a) => ({ subject: `Alice ${a.marker} asks`, text: 'Hello again' }) },
  'GET /api/v1/portal/{slug}/conversations/{id}': {
    kind: 'portal',
    own: (a) => ({ id: a.conversation }),
    foreign: (a, b) => [{ id: a.bobConversation }, { id: b.conversation }],
  },
  'POST /api/v1/portal/{slug}/conversations/{id}/messages': {
    kind: 'portal',
    body: () => ({ text: 'One more thing' }),
    own: (a) => ({ id: a.conversation }),
    foreign: (a, b) => [{ id: a.bobConversation }, { id: b.conversation }],
  },
  'POST /api/v1/portal/{slug}/sign-out': { kind: 'portal', endsSession: true },
  'GET /api/v1/portal/{slug}/consents': { kind: 'portal' },
  'POST /api/v1/portal/{slug}/consents/{purpose}/withdraw': {
    kind: 'portal',
    // Each positive control withdraws a consent granted for it just before.
    fresh: async (ctx, a) => {
      const body = { purpose: 'marketing_contact', status: 'granted', scope: `${a.marker} product news`, evidence: { screenVersion: 'matrix/1', shownText: 'news?' } };
      const res = await send(ctx.app, { name: 'seed', kind: 'token', credential: a.token }, 'POST', `/api/v1/customers/${a.customer}/consents`, body);
      if (res.status !== 201) throw new Error(`consent fixture: ${res.status} ${res.body}`);
      return { purpose: 'marketing_contact' };
    },
  },
  'GET /api/v1/portal/{slug}/subscriptions': { kind: 'portal' },
  'GET /api/v1/portal/{slug}/entitlements': { kind: 'portal' },
  'POST /api/v1/portal/{slug}/subscriptions/{id}/cancellations': {
    kind: 'portal',
    body: () => ({ reason: 'price', timing: 'period_end' }),
    fresh: async (ctx, a) => ({ id: await ctx.make.subscription(a) }),
    foreign: (a, b) => [{ id: a.bobSubscription }, { id: b.subscription }],
  },
  'GET /api/v1/portal/{slug}/cancellations/{id}': {
    kind: 'portal',
    own: (a) => ({ id: a.cancellation }),
    foreign: (a, b) => [{ id: a.bobCancellation }, { id: b.cancellation }],
  },
  'POST /api/v1/portal/{slug}/cancellations/{id}/decline-offer': {
    kind: 'portal',
    fresh: async (ctx, a) => ({ id: await ctx.make.cancellation(a) }),
    foreign: (a, b) => [{ id: a.bobCancellation }, { id: b.cancellation }],
  },
  'POST /api/v1/portal/{slug}/cancellations/{id}/accept-offer': {
    kind: 'portal',
    fresh: async (ctx, a) => ({ id: await ctx.make.offerCancellation(a) }),
    foreign: (a, b) => [{ id: a.bobCancellation }, { id: b.cancellation }],
  },
  'POST /api/v1/portal/{slug}/cancellations/{id}/withdraw': {
    kind: 'portal',
    fresh: async (ctx, a) => ({ id: await ctx.make.cancellation(a) }),
    foreign: (a, b) => [{ id: a.bobCancellation }, { id: b.cancellation }],
  },
  'POST /api/v1/portal/{slug}/cancellations/{id}/confirm': {
    kind: 'portal',
    fresh: async (ctx, a) => ({ id: await ctx.make.cancellation(a) }),
    foreign: (a, b) => [{ id: a.bobCancellation }, { id: b.cancellation }],
  },
};

/** The example charter under a name carrying the tenant's marker. */
let exampleCharter = '';
export function setExampleCharter(source: string) {
  exampleCharter = source;
}
/** A product fit for the fax line: no target-market condition, a benefit on fax use, no fee. */
function fitFor(marker: string): string {
  return [
    'keyFacts: |',
    `  ${marker} Fax Line. From EUR 4.99 a month. Every page faxed saves you 5 cents against a courier.`,
    'fees: { currency: EUR, yearlyMinor: 0 }',
    'benefits:',
    '  - { unit: fax, valuePerUnitMinor: 5, description: saved against a courier per page }',
    'needs: [fax]',
    'situations: [fax_heavy]',
    '',
  ].join('\n');
}

function charterFor(marker: string, suffix = ''): string {
  return exampleCharter.replace(/^name: .*$/m, `name: ${marker} service charter${suffix}`);
}

/** The fixture for one path parameter of tenant `fx`, chosen by its name and the segment before it. */
export function paramFor(route: string, name: string, fx: TenantFx): string {
  if (name === 'slug') return fx.slug;
  if (name === 'version') return String(fx.version);
  if (name === 'purpose') return 'marketing_contact';
  if (name === 'deliveryId') return fx.webhookDelivery;
  if (name === 'kind') return 'zendesk';
  const path = route.split(' ')[1]!;
  const before = /\/([\w-]+)\/\{id\}/.exec(path)?.[1];
  const byCollection: Record<string, string> = {
    customers: fx.customer,
    conversations: fx.conversation,
    agents: fx.agent,
    teams: fx.team,
    tokens: fx.apiToken,
    closures: fx.closure,
    exceptions: fx.exception,
    subscriptions: fx.subscription,
    cancellations: fx.cancellation,
    plans: fx.plan,
    invoices: fx.invoice,
    products: fx.product,
    campaigns: fx.campaign,
    offers: fx.offer,
    webhooks: fx.webhook,
    attachments: fx.attachment,
  };
  if (name === 'id' && before && byCollection[before]) return byCollection[before]!;
  throw new Error(`${route}: no fixture for {${name}}${before ? ` after /${before}/` : ''} — add it to paramFor() in the isolation matrix`);
}

function fill(route: string, fx: TenantFx, overrides: Record<string, string> = {}): string {
  const path = route.split(' ')[1]!;
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => overrides[name] ?? paramFor(route, name, fx));
}

type Who = { name: string; kind: 'token' | 'session' | 'customer' | 'none'; credential?: string };

export interface Answer {
  status: number;
  body: string;
  json: any;
  cookie?: string;
}

export async function send(app: FastifyInstance, who: Who, method: string, url: string, body?: unknown, extra: Record<string, string> = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...extra };
  if (who.kind === 'token') headers.authorization = `Bearer ${who.credential}`;
  if (who.kind === 'session' || who.kind === 'customer') {
    headers.cookie = who.credential!;
    headers['sec-fetch-site'] = 'same-origin'; // a genuine same-origin browser request, so only the tenant scope can refuse it
  }
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await app.inject({ method: method as InjectOptions['method'], url, headers, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}) });
  let json: any;
  try {
    json = res.json();
  } catch {
    json = undefined;
  }
  const cookie = res.cookies.find((c) => c.name === COOKIE);
  return { status: res.statusCode, body: res.body, json, ...(cookie ? { cookie: `${COOKIE}=${cookie.value}` } : {}) };
}

/** The tenant tables (every table with a tenant_id column, api_tokens included). */
export async function tenantTables(store: Store): Promise<string[]> {
  const rows = await sql<{ table_name: string }>`
    select c.table_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE'
    order by c.table_name`.execute(store.db);
  return rows.rows.map((r) => r.table_name);
}

/** Every row of one tenant, as the superuser sees it (sliding session times left out): compared before and after foreign requests. */
export async function snapshot(store: Store, tenantId: string, tables: string[]): Promise<string> {
  const parts: string[] = [];
  for (const table of tables) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where tenant_id = ${tenantId}`.execute(store.db);
    const lines = rows.rows.map((r) => {
      if (table === 'sessions') {
        const { last_seen_at: _l, expires_at: _e, ...rest } = r;
        return JSON.stringify(rest);
      }
      return JSON.stringify(r);
    });
    parts.push(`${table}:${lines.sort().join('\n')}`);
  }
  return parts.join('\n#\n');
}

function diffTables(before: string, after: string): string {
  const b = before.split('\n#\n');
  const a = after.split('\n#\n');
  return b.filter((part, i) => part !== a[i]).map((p) => p.split(':')[0]).join(', ');
}

/** Tenant A's ids (every row of every tenant table) and its marker: what a foreign answer must never contain. */
export async function secretsOf(store: Store, fx: TenantFx, tables: string[]): Promise<string[]> {
  const ids = new Set<string>([fx.id, fx.marker]);
  for (const table of tables) {
    const has = await sql<{ n: number }>`select count(*)::int as n from information_schema.columns where table_schema = 'public' and table_name = ${table} and column_name = 'id'`.execute(store.db);
    if (!has.rows[0]!.n) continue;
    const rows = await sql<{ id: string }>`select id::text as id from ${sql.table(table)} where tenant_id = ${fx.id}`.execute(store.db);
    for (const r of rows.rows) ids.add(r.id);
  }
  return [...ids];
}

function leaked(body: string, secrets: string[], asked: string): string[] {
  const lower = body.toLowerCase();
  return secrets.filter((s) => lower.includes(s.toLowerCase()) && !asked.toLowerCase().includes(s.toLowerCase()));
}

export interface MatrixResult {
  failures: string[];
  /** Requests made, per principal. */
  checks: Record<string, number>;
}

/**
 * Walks the given routes: reads first, then writes (a foreign create must not run before a read that
 * counts on B's state, e.g. B's charter versions). Collects failures instead of throwing, so the
 * negative control can show exactly what the matrix reports.
 */
export async function walkMatrix(ctx: Ctx, routes: string[], table: Record<string, RouteSpec>): Promise<MatrixResult> {
  const { app, store, a, b } = ctx;
  const failures: string[] = [];
  const checks: Record<string, number> = {};
  const tables = await tenantTables(store);
  const secretsA = await secretsOf(store, a, tables);
  const count = (who: string) => (checks[who] = (checks[who] ?? 0) + 1);
  const ordered = [...new Set(routes)].sort((x, y) => Number(x.startsWith('GET ') ? 0 : 1) - Number(y.startsWith('GET ') ? 0 : 1));

  for (const route of ordered) {
    const spec = table[route];
    if (!spec) {
      failures.push(`${route}: not in the isolation matrix — add it to ROUTES in test/support/isolation.ts with its tenant scope`);
      continue;
    }
    const method = route.split(' ')[0]!;
    const fail = (who: string, what: string) => failures.push(`${route} as ${who}: ${what}`);
    try {
      if (spec.kind === 'public') {
        for (const r of spec.requests(ctx)) {
          let body = r.body;
          if (body === 'alice-link') body = { token: await aliceLink(ctx) };
          const beforeA = await snapshot(store, a.id, tables);
          const beforeB = r.own ? '' : await snapshot(store, b.id, tables);
          const res = await send(app, { name: 'anonymous', kind: 'none' }, method, r.url, body, r.headers);
          count('anonymous');
          if (res.status !== r.status) fail('anonymous', `${r.url} answered ${res.status}, expected ${r.status}: ${res.body.slice(0, 200)}`);
          if (!r.own) {
            const found = leaked(res.body, secretsA, r.url + JSON.stringify(body ?? ''));
            if (found.length) fail('anonymous', `${r.url} shows tenant A's data: ${found.slice(0, 3).join(', ')}`);
            if ((await snapshot(store, b.id, tables)) !== beforeB) fail('anonymous', `${r.url} changed tenant B's rows`);
          }
          if ((await snapshot(store, a.id, tables)) !== beforeA) fail('anonymous', `${r.url} changed tenant A's rows`);
        }
        continue;
      }

      if (spec.kind === 'portal') {
        await walkPortal(ctx, route, spec, secretsA, tables, fail, count);
        continue;
      }

      // Staff routes.
      const role = spec.role ?? 'admin';
      const body = (self: TenantFx, n: number) => spec.body?.(a, self, n);
      const query = spec.query?.(a) ?? '';
      const url = fill(route, a, spec.params?.(a)) + query;
      const askedBody = (self: TenantFx) => JSON.stringify(body(self, 0) ?? '');
      const foreign: Who[] = spec.endsSession
        ? [
            { name: "B's token", kind: 'token', credential: b.token },
            { name: "B's agent session", kind: 'session', credential: await ctx.make.agentSession(b) },
          ]
        : [
            { name: "B's token", kind: 'token', credential: b.token },
            { name: `B's ${role} session`, kind: 'session', credential: b.sessions[role] },
          ];
      const customer: Who = { name: "A's customer session", kind: 'customer', credential: a.alice };

      const before = await snapshot(store, a.id, tables);
      // A customer session holds no staff permission at all.
      {
        const res = await send(app, customer, method, url, body(a, 0));
        count(customer.name);
        if (res.status !== 401) fail(customer.name, `answered ${res.status}, expected 401: ${res.body.slice(0, 200)}`);
        const found = leaked(res.body, secretsA, url + askedBody(a));
        if (found.length) fail(customer.name, `answer shows A's data: ${found.slice(0, 3).join(', ')}`);
      }
      for (const who of foreign) {
        const res = await send(app, who, method, url, body(b, 1));
        count(who.name);
        const asked = url + askedBody(b);
        if (spec.access === 'record' && res.status !== 404) fail(who.name, `answered ${res.status}, expected 404: ${res.body.slice(0, 200)}`);
        if (spec.access === 'reference' && res.status !== 404 && res.status !== 422) fail(who.name, `answered ${res.status}, expected 404 or 422: ${res.body.slice(0, 200)}`);
        if (spec.access === 'tenant') {
          const expected = spec.expect?.[who.kind as 'token' | 'session'];
          if (expected ? res.status !== expected : res.status < 200 || res.status > 299) fail(who.name, `answered ${res.status} on its own tenant, expected ${expected ?? '2xx'}: ${res.body.slice(0, 200)}`);
        }
        if (res.status >= 500) fail(who.name, `server error ${res.status}`);
        const found = leaked(res.body, secretsA, asked);
        if (found.length) fail(who.name, `answer shows A's data: ${found.slice(0, 3).join(', ')}`);
      }
      if (spec.crossRef) {
        for (const who of foreign) {
          const ref = spec.crossRef(a, b);
          const refUrl = fill(route, b, ref.params);
          const res = await send(app, who, method, refUrl, ref.body);
          count(who.name);
          if (res.status !== 404 && res.status !== 422) fail(who.name, `its own record pointed at A's ids answered ${res.status}, expected 404 or 422: ${res.body.slice(0, 200)}`);
          const found = leaked(res.body, secretsA, refUrl + JSON.stringify(ref.body ?? ''));
          if (found.length) fail(who.name, `cross-reference answer shows A's data: ${found.slice(0, 3).join(', ')}`);
        }
      }
      const after = await snapshot(store, a.id, tables);
      if (after !== before) fail('foreign principals', `changed tenant A's rows (${diffTables(before, after)})`);

      // Positive control: the owner, by token and by session, succeeds on the same request.
      const owners: Who[] = [
        { name: "A's token", kind: 'token', credential: a.token },
        { name: `A's ${role} session`, kind: 'session', credential: spec.endsSession ? await ctx.make.agentSession(a) : a.sessions[role] },
      ];
      for (const who of owners) {
        const ids = spec.fresh ? await spec.fresh(ctx, a) : (spec.params?.(a) ?? {});
        const ownUrl = fill(route, a, ids) + query;
        const res = await send(app, who, method, ownUrl, body(a, 2));
        count(who.name);
        const expected = spec.expect?.[who.kind as 'token' | 'session'];
        if (expected ? res.status !== expected : res.status < 200 || res.status > 299) {
          fail(who.name, `positive control answered ${res.status}, expected ${expected ?? '2xx'}: ${res.body.slice(0, 300)}`);
          continue;
        }
        if (expected) continue;
        // By default a record read must show the record it was asked for.
        const pathIds = [...route.matchAll(/\{(\w+)\}/g)].map((m) => ids[m[1]!] ?? paramFor(route, m[1]!, a));
        const sees = spec.ownerSees?.(a) ?? (spec.access === 'record' && method === 'GET' ? pathIds : []);
        for (const s of sees) if (!res.body.toLowerCase().includes(s.toLowerCase())) fail(who.name, `positive control answer lacks ${s}: ${res.body.slice(0, 200)}`);
      }
    } catch (error) {
      failures.push(`${route}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { failures, checks };
}

async function walkPortal(
  ctx: Ctx,
  route: string,
  spec: Extract<RouteSpec, { kind: 'portal' }>,
  secretsA: string[],
  tables: string[],
  fail: (who: string, what: string) => void,
  count: (who: string) => void,
) {
  const { app, store, a, b } = ctx;
  const method = route.split(' ')[0]!;
  const body = spec.body?.(a, a, 0);
  const asked = JSON.stringify(body ?? '');
  // What Alice must never see: Bob's records, the internal note, anything of tenant B.
  const bobSecrets = [a.bob, a.bobConversation, a.bobSubscription, a.bobCancellation, 'bobcat', a.internalNote, b.id, b.marker, ...(await secretsOf(store, b, tables))];
  const alice: Who = { name: 'Alice (customer of A)', kind: 'customer', credential: spec.endsSession ? await ctx.make.portalSession(a) : a.alice };

  // Alice reaching for Bob's conversation (same tenant) and for tenant B's: 404, nothing changed.
  for (const ids of spec.foreign?.(a, b) ?? []) {
    const url = fill(route, a, ids);
    const before = await snapshot(store, a.id, tables);
    const res = await send(app, alice, method, url, body);
    count(alice.name);
    if (res.status !== 404) fail(alice.name, `${url} answered ${res.status}, expected 404: ${res.body.slice(0, 200)}`);
    const found = leaked(res.body, bobSecrets, url + asked);
    if (found.length) fail(alice.name, `${url} shows another customer's data: ${found.slice(0, 3).join(', ')}`);
    if ((await snapshot(store, a.id, tables)) !== before) fail(alice.name, `${url} changed tenant A's rows`);
  }
  // Alice's session at tenant B's slug, and staff credentials on the portal: 401.
  const others: [Who, string][] = [
    [alice, fill(route, a, { slug: b.slug, ...(spec.own?.(a) ?? {}) })],
    [{ name: "A's token", kind: 'token', credential: a.token }, fill(route, a, spec.own?.(a) ?? {})],
    [{ name: "A's admin session", kind: 'session', credential: a.sessions.admin }, fill(route, a, spec.own?.(a) ?? {})],
  ];
  for (const [who, url] of others) {
    const before = await snapshot(store, a.id, tables);
    const res = await send(app, who, method, url, body);
    count(who.name);
    if (res.status !== 401) fail(who.name, `${url} answered ${res.status}, expected 401: ${res.body.slice(0, 200)}`);
    const found = leaked(res.body, secretsA, url + asked);
    if (found.length) fail(who.name, `${url} shows A's data: ${found.slice(0, 3).join(', ')}`);
    if ((await snapshot(store, a.id, tables)) !== before) fail(who.name, `${url} changed tenant A's rows`);
  }
  // Positive control: Alice on her own records succeeds, and sees nothing of Bob's or internal notes.
  const url = fill(route, a, { ...(spec.own?.(a) ?? {}), ...(spec.fresh ? await spec.fresh(ctx, a) : {}) });
  const res = await send(app, alice, method, url, body);
  count(alice.name);
  if (res.status < 200 || res.status > 299) fail(alice.name, `positive control ${url} answered ${res.status}: ${res.body.slice(0, 300)}`);
  const found = leaked(res.body, bobSecrets, url + asked);
  if (found.length) fail(alice.name, `her own ${url} shows another customer's data: ${found.slice(0, 3).join(', ')}`);
  if (spec.own && method === 'GET' && !res.body.includes(Object.values(spec.own(a))[0]!)) fail(alice.name, `positive control lacks her record: ${res.body.slice(0, 200)}`);
}

/** Asks for a sign-in link for Alice of A and reads it from the outbox e-mail. */
async function aliceLink(ctx: Ctx): Promise<string> {
  return magicLink(ctx.app, ctx.store, ctx.a.slug, ctx.a.aliceEmail);
}

export async function magicLink(app: FastifyInstance, store: Store, slug: string, email: string): Promise<string> {
  const res = await send(app, { name: 'anonymous', kind: 'none' }, 'POST', `/api/v1/portal/${slug}/magic-links`, { email });
  if (res.status !== 202) throw new Error(`magic link: ${res.status} ${res.body}`);
  const jobs = await store.db.selectFrom('outbox').select(['payload']).where('kind', '=', 'email.send').orderBy('id', 'desc').execute();
  const mail = jobs.map((j) => j.payload as { to: string; text: string }).find((p) => p.to === email);
  const match = mail && new RegExp(`/portal/${slug}/confirm#(\\S+)`).exec(mail.text);
  if (!match) throw new Error(`no sign-in e-mail for ${email}`);
  return match[1]!;
}

/** Seeds one tenant through the API with every kind of record; every human-readable value carries the marker. */
export async function seedTenant(t: TestApp, tenant: TestTenant, key: 'a' | 'b'): Promise<TenantFx> {
  const marker = key === 'a' ? 'aardvark' : 'bison';
  const M = marker[0]!.toUpperCase() + marker.slice(1);
  const as = { as: tenant };
  const ok = async (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown, headers?: Record<string, string>) => {
    const res = await t.call(method, url, { ...as, ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) });
    if (res.status < 200 || res.status > 299) throw new Error(`seed ${method} ${url}: ${res.status} ${res.body}`);
    return res.json;
  };
  const idem = () => ({ 'idempotency-key': randomUUID() });
  const slug = (await ok('GET', '/api/v1/tenant')).slug as string;

  // Charter versions: A gets two, B one, so A's latest version number exists only in A.
  let version = (await ok('POST', '/api/v1/charter/versions', { source: charterFor(marker), effectiveAt: '2026-01-01T00:00:00Z' }, idem())).version as number;
  if (key === 'a') version = (await ok('POST', '/api/v1/charter/versions', { source: charterFor(marker, ' (2)'), effectiveAt: '2026-02-01T00:00:00Z', changeNote: `${M} update` })).version;

  const team = (await ok('POST', '/api/v1/teams', { name: `${M} Care` }, idem())).id as string;
  const agent = async (name: string, role: string) =>
    (await ok('POST', '/api/v1/agents', { name: `${M} ${name}`, email: `${name}.${marker}@example.com`, role, teamId: team }, idem())).id as string;
  const admin = await agent('admin', 'admin');
  const lead = await agent('lead', 'lead');
  const compliance = await agent('compliance', 'compliance');
  const plain = await agent('agent', 'agent');
  const throwaway = await agent('throwaway', 'agent');
  for (const id of [admin, lead, compliance, plain, throwaway]) {
    const res = await t.call('POST', `/api/v1/agents/${id}/password`, { ...as, body: { password: PASSWORD } });
    if (res.status !== 204) throw new Error(`password: ${res.status} ${res.body}`);
  }

  const aliceEmail = `alice.${marker}@example.com`;
  const customerName = `Alice ${M}`;
  const customer = (await ok('POST', '/api/v1/customers', { name: customerName, emails: [aliceEmail], externalId: `ext-${marker}-alice` }, idem())).id as string;
  const bob = (await ok('POST', '/api/v1/customers', { name: `Bob ${M} Bobcat`, emails: [`bob.${marker}@example.com`] })).id as string;

  const opened = await ok('POST', '/api/v1/conversations', {
    customerId: customer,
    channel: 'email',
    subject: `${M} billing question`,
    teamId: team,
    assigneeId: plain,
    message: { role: 'customer', text: `My ${marker} bill is wrong` },
  });
  const conversation = opened.id as string;
  const aliceMessage = opened.messages[0].id as string;
  const internalNote = `internal-${marker}-note-never-for-the-customer`;
  await ok('POST', `/api/v1/conversations/${conversation}/messages`, { role: 'agent', text: internalNote, visibility: 'internal' });
  await ok('POST', `/api/v1/conversations/${conversation}/messages`, { role: 'agent', author: plain, text: `Sorry, ${M} team is fixing it` }, idem());
  // Bob's conversation is unassigned, so the team's queue has work to assign.
  const bobConversation = (
    await ok('POST', '/api/v1/conversations', { customerId: bob, channel: 'chat', subject: `${M} Bobcat outage`, teamId: team, message: { role: 'customer', text: `bobcat ${marker} words` } })
  ).id as string;

  const spend = (await ok('POST', `/api/v1/customers/${customer}/spend`, { amountMinor: 12000, currency: 'GBP', at: days(-10), source: 'billing', externalId: `inv-${marker}-1` })).id as string;
  const exception = (
    await ok('POST', '/api/v1/exceptions', { customerId: customer, what: `${M} engineer visit`, reason: `${M} office move`, approverId: lead, expiresAt: days(10) })
  ).id as string;
  const product = (await ok('POST', '/api/v1/products', { name: `${M} Fax Line` }, idem())).id as string;
  const plan = (await ok('POST', '/api/v1/plans', { productId: product, name: `${M} Pro`, priceMinor: 1999, currency: 'EUR', interval: 'month', features: ['fax'] }, idem())).id as string;
  // A cheaper plan that covers Alice's use: what an offer to a customer who does not use Pro proposes.
  await ok('POST', '/api/v1/plans', { productId: product, name: `${M} Lite`, priceMinor: 499, currency: 'EUR', interval: 'month', features: ['fax'] }, idem());
  await ok('POST', `/api/v1/customers/${customer}/usage`, { unit: 'fax', quantity: 4, at: days(-3), externalId: `use-${marker}-1` }, idem());
  // Use in an earlier month: what an offer's value rests on.
  await ok('POST', `/api/v1/customers/${customer}/usage`, { unit: 'fax', quantity: 40, at: days(-40), externalId: `use-${marker}-0` }, idem());
  await ok('POST', `/api/v1/products/${product}/fit`, { source: fitFor(marker) }, idem());
  const campaign = (await ok('POST', '/api/v1/campaigns', { name: `${M} fax campaign`, productIds: [product], situation: 'fax_heavy', ownerId: plain }, idem())).id as string;
  const prospect = (await ok('POST', '/api/v1/customers', { name: `Pat ${M} Prospect` })).id as string;
  await ok('POST', `/api/v1/customers/${prospect}/usage`, { unit: 'fax', quantity: 25, at: days(-40), externalId: `use-${marker}-prospect` }, idem());
  const apiToken = (await ok('POST', '/api/v1/tokens', { name: `${marker} read-only`, scopes: ['customers:read'] })).id as string;
  // Enabled, so the events after it (the consent below) fan out to it in seedRest; no worker ever sends.
  const webhook = (await ok('POST', '/api/v1/webhooks', { url: `https://93.184.215.14/${marker}/hooks`, description: `${M} CRM sync`, events: ['*'] }, idem())).id as string;

  const fx: TenantFx = {
    key,
    id: tenant.id,
    slug,
    token: tenant.token,
    marker,
    team,
    admin,
    lead,
    compliance,
    agent: plain,
    throwawayEmail: `throwaway.${marker}@example.com`,
    customer,
    customerName,
    bob,
    conversation,
    bobConversation,
    internalNote,
    closure: '',
    exception,
    spend,
    credit: '',
    invoice: '',
    product,
    plan,
    campaign,
    offer: '',
    prospect,
    subscription: '',
    cancellation: '',
    bobSubscription: '',
    bobCancellation: '',
    cancelRequestConversation: '',
    subscriptionReference: '',
    reversalToken: '',
    loggedOutCancellation: '',
    apiToken,
    version,
    sessions: { admin: '', lead: '', compliance: '' },
    alice: '',
    aliceEmail,
    aliceMessage,
    consent: '',
    creditCheck: '',
    webhook,
    webhookDelivery: '',
    attachment: '',
  };
  fx.credit = (await ok('POST', `/api/v1/customers/${customer}/credits`, { amountMinor: 300, currency: 'GBP', reason: `${M} goodwill` }, idem())).id as string;
  const make = makers(t.app, t.store);
  // A closure that waits for approval (a repeat-contact case is open) — also seeds conversation_links.
  fx.closure = await make.closure(fx);
  fx.subscription = await make.subscription(fx);
  fx.cancellation = await make.cancellation(fx);
  fx.subscriptionReference = (await ok('GET', `/api/v1/subscriptions/${fx.subscription}`)).reference as string;
  ({ token: fx.reversalToken, cancellationId: fx.loggedOutCancellation } = await loggedOutCancellation(t, fx));
  fx.bobSubscription = await make.subscription(fx, bob);
  fx.bobCancellation = (await t.call('POST', `/api/v1/subscriptions/${fx.bobSubscription}/cancellations`, { ...as, body: { channel: 'agent', timing: 'period_end' } })).json.id as string;
  fx.cancelRequestConversation = await make.cancelRequest(fx);
  fx.offer = await make.offer(fx);
  // A sale with an outcome recorded after it.
  const sale = await make.sale(fx);
  await ok('POST', `/api/v1/offers/${sale}/outcomes`, { kind: 'complaint', upheld: false, note: `${M} fee question` });
  // A price change announced on the plan: its subscribers (Alice's subscriptions) get their notices.
  const change = await t.call('POST', `/api/v1/plans/${plan}/price-changes`, { ...as, body: { priceMinor: 2199, effectiveAt: days(45), reason: `${M} costs rose` } });
  if (change.status !== 201 || change.json.noticed < 1) throw new Error(`price change: ${change.status} ${change.body}`);
  // And a change of its terms: the same subscribers get a notice of it.
  const terms = await t.call('POST', `/api/v1/plans/${plan}/term-changes`, { ...as, body: { summary: `${M}: the monthly fax cap falls to 150 pages`, effectiveAt: days(45) } });
  if (terms.status !== 201 || terms.json.noticed < 1) throw new Error(`terms change: ${terms.status} ${terms.body}`);
  // A hard-inquiry grant of Alice's in her own words, and the one hard credit check it allowed.
  fx.consent = (
    await ok('POST', `/api/v1/customers/${customer}/consents`, { purpose: 'hard_credit_inquiry', status: 'granted', scope: `${M} card application`, evidence: { messageId: aliceMessage } }, idem())
  ).id as string;
  fx.creditCheck = (await ok('POST', `/api/v1/customers/${customer}/credit-checks`, { kind: 'hard', reason: `${M} card application` }, idem())).id as string;
  // An import run and the external refs it wrote: a Zendesk user of this tenant's.
  const imported = await t.call('POST', '/api/v1/imports/zendesk', { ...as, rawBody: JSON.stringify({ users: [{ id: 1, name: `${M} Zendesk user`, email: `zd.${marker}@example.com` }] }) });
  if (imported.status !== 200 || imported.json.imported !== 1) throw new Error(`import: ${imported.status} ${imported.body}`);
  for (const role of ['admin', 'lead', 'compliance'] as const) fx.sessions[role] = await signIn(t.app, slug, `${role}.${marker}@example.com`);
  fx.alice = await portalSignIn(t.app, t.store, slug, aliceEmail);
  await magicLink(t.app, t.store, slug, `bob.${marker}@example.com`); // an unused link of Bob's
  fx.attachment = await mailedAttachment(t.store, fx);
  return fx;
}

/** A mail with a file from a new sender (Dana), stored as the SMTP listener stores it; returns the file's id. */
async function mailedAttachment(store: Store, fx: TenantFx): Promise<string> {
  const received = await receiveEmail(
    { db: store.db, tenantId: fx.id, actor: 'email' },
    {
      messageId: `<seed-${fx.marker}@example.com>`,
      from: { address: `dana.${fx.marker}@example.com`, name: `Dana ${fx.marker}` },
      mailbox: `support+${fx.slug}@fairdesk.test`,
      subject: `${fx.marker} invoice copy`,
      text: `Here is my ${fx.marker} invoice.`,
      references: [],
      attachments: [{ filename: `${fx.marker}.txt`, contentType: 'text/plain', content: Buffer.from(`${fx.marker} file`) }],
    },
  );
  if (received.outcome !== 'stored') throw new Error(`mailed attachment: ${received.outcome}`);
  const row = await store.db.selectFrom('attachments').select('id').where('tenant_id', '=', fx.id).where('message_id', '=', received.messageId).executeTakeFirstOrThrow();
  return row.id;
}

/** Cancels a fresh subscription of Alice's on the logged-out route and reads the reversal token from its e-mail. */
async function loggedOutCancellation(t: TestApp, fx: TenantFx): Promise<{ token: string; cancellationId: string }> {
  const sub = await makers(t.app, t.store).subscription(fx);
  const { reference } = (await t.call('GET', `/api/v1/subscriptions/${sub}`, { as: { id: fx.id, token: fx.token } })).json;
  const res = await send(t.app, { name: 'anonymous', kind: 'none' }, 'POST', `/api/v1/public/${fx.slug}/cancellations`, { email: fx.aliceEmail, reference });
  if (res.status !== 202) throw new Error(`logged-out cancellation: ${res.status} ${res.body}`);
  const jobs = await t.store.db.selectFrom('outbox').select(['payload']).where('tenant_id', '=', fx.id).where('kind', '=', 'email.send').execute();
  const mail = jobs.map((j) => j.payload as { subscriptionReference?: string; text: string; cancellationId: string }).find((p) => p.subscriptionReference === reference);
  const match = mail && /reverse-cancellation#(\S+)/.exec(mail.text);
  if (!match) throw new Error(`no reversal link for ${reference}`);
  return { token: match[1]!, cancellationId: mail.cancellationId };
}

async function signIn(app: FastifyInstance, slug: string, email: string): Promise<string> {
  const res = await send(app, { name: 'anonymous', kind: 'none' }, 'POST', '/api/v1/auth/sign-in', { tenant: slug, email, password: PASSWORD });
  if (res.status !== 200 || !res.cookie) throw new Error(`sign-in ${email}: ${res.status} ${res.body}`);
  return res.cookie;
}

async function portalSignIn(app: FastifyInstance, store: Store, slug: string, email: string): Promise<string> {
  const token = await magicLink(app, store, slug, email);
  const res = await send(app, { name: 'anonymous', kind: 'none' }, 'POST', `/api/v1/portal/${slug}/sessions`, { token });
  if (res.status !== 200 || !res.cookie) throw new Error(`portal sign-in ${email}: ${res.status} ${res.body}`);
  return res.cookie;
}

export function makers(app: FastifyInstance, store: Store): Makers {
  const as = (fx: TenantFx): Who => ({ name: 'seed', kind: 'token', credential: fx.token });
  const ok = async (fx: TenantFx, url: string, body: unknown) => {
    const res = await send(app, as(fx), 'POST', url, body);
    if (res.status !== 201) throw new Error(`fixture ${url}: ${res.status} ${res.body}`);
    return res.json;
  };
  const customer = async (fx: TenantFx) => (await ok(fx, '/api/v1/customers', { name: `Carol ${fx.marker} ${unique()}` })).id as string;
  return {
    customer,
    async closure(fx) {
      const id = await customer(fx);
      for (let i = 0; i < 3; i++) await ok(fx, '/api/v1/conversations', { customerId: id, channel: 'email', subject: `${fx.marker} repeat ${i}`, teamId: fx.team });
      const closure = await ok(fx, `/api/v1/customers/${id}/closure`, { reason: 'non_payment' });
      if (closure.state !== 'awaiting_approval') throw new Error(`closure fixture is ${closure.state}`);
      return closure.id as string;
    },
    async token(fx) {
      return (await ok(fx, '/api/v1/tokens', { name: `${fx.marker} temp ${unique()}`, scopes: ['customers:read'] })).id as string;
    },
    async subscription(fx, customerId = fx.customer) {
      const body = {
        customerId,
        planId: fx.plan,
        startedAt: days(-400),
        currentPeriodStart: days(-10),
        currentPeriodEnd: days(20),
        priceHistory: [
          { priceMinor: 1799, from: days(-400) },
          { priceMinor: 1999, from: days(-30) },
        ],
      };
      return (await ok(fx, '/api/v1/subscriptions', body)).id as string;
    },
    async cancellation(fx) {
      const sub = (await this.subscription(fx)) as string;
      const c = await ok(fx, `/api/v1/subscriptions/${sub}/cancellations`, { channel: 'agent', reason: 'price', timing: 'period_end' });
      if (c.status !== 'clarified') throw new Error(`cancellation fixture is ${c.status}`);
      return c.id as string;
    },
    async offerCancellation(fx) {
      const sub = (await this.subscription(fx)) as string;
      const c = await ok(fx, `/api/v1/subscriptions/${sub}/cancellations`, { channel: 'agent', reason: 'unused', timing: 'period_end' });
      if (c.status !== 'offered') throw new Error(`offer cancellation fixture is ${c.status}`);
      return c.id as string;
    },
    async cancelRequest(fx) {
      const id = await customer(fx);
      await ok(fx, '/api/v1/subscriptions', { customerId: id, planId: fx.plan, startedAt: days(-400), currentPeriodStart: days(-10), currentPeriodEnd: days(20) });
      const c = await ok(fx, '/api/v1/conversations', { customerId: id, channel: 'chat', subject: `${fx.marker} leaving`, message: { role: 'customer', text: `Please cancel my ${fx.marker} subscription.` } });
      if (c.cancelRequest?.status !== 'open') throw new Error(`cancel request fixture: ${JSON.stringify(c.cancelRequest)}`);
      return c.id as string;
    },
    async offer(fx, attributes = {}) {
      const id = (await ok(fx, '/api/v1/customers', { name: `Dora ${fx.marker} ${unique()}`, attributes })).id as string;
      await ok(fx, `/api/v1/customers/${id}/usage`, { unit: 'fax', quantity: 30, at: days(-40), externalId: `use-${fx.marker}-${unique()}` });
      const offer = await ok(fx, '/api/v1/offers', { customerId: id, productId: fx.product, campaignId: fx.campaign, agentId: fx.agent });
      return offer.id as string;
    },
    async extraCareOffer(fx) {
      const id = (await this.offer(fx, { vulnerable: true })) as string;
      const r = await send(app, as(fx), 'GET', `/api/v1/offers/${id}`);
      if (r.json.status !== 'awaiting_extra_care') throw new Error(`extra-care offer fixture is ${r.json.status}`);
      return id;
    },
    async sale(fx) {
      const id = (await this.offer(fx)) as string;
      const r = await send(app, as(fx), 'POST', `/api/v1/offers/${id}/accept`);
      if (r.status !== 200) throw new Error(`sale fixture: ${r.status} ${r.body}`);
      return id;
    },
    agentSession: (fx) => signIn(app, fx.slug, fx.throwawayEmail),
    portalSession: (fx) => portalSignIn(app, store, fx.slug, fx.aliceEmail),
  };
}

/**
 * Fills the tables no API route writes yet: signed audit checkpoints (written by `fairdesk serve`)
 * record reads (when no route logs them) and billing charges. Then every tenant table must hold rows of both tenants.
 */
export async function seedRest(store: Store, tenants: TenantFx[]): Promise<string[]> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  await writeAuditCheckpoints(store.db, { keyId: auditKeyId(publicKey), privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() }, { tenantIds: tenants.map((t) => t.id) });
  for (const fx of tenants) {
    // A webhook delivery with one logged attempt: the fan-out of the tenant's consent event (the worker's
    // first step), and an attempt written as the delivery step would — nothing is sent.
    const event = await store.db.selectFrom('outbox').selectAll().where('tenant_id', '=', fx.id).where('kind', '=', 'consent.changed').orderBy('id', 'desc').executeTakeFirstOrThrow();
    fx.webhookDelivery = await withTenant(store.db, fx.id, async (tx) => {
      await fanOutWebhookEvent(tx, event);
      const delivery = await tx.selectFrom('webhook_deliveries').select('id').where('tenant_id', '=', fx.id).where('endpoint_id', '=', fx.webhook).where('event_id', '=', event.id).executeTakeFirstOrThrow();
      await insertAttempt(tx, { tenant_id: fx.id, id: randomUUID(), delivery_id: delivery.id, job_id: randomUUID(), replay: false, at: new Date(), duration_ms: 12, status_code: 200, error: null });
      return delivery.id;
    });
    const reads = await store.db.selectFrom('record_reads').select('id').where('tenant_id', '=', fx.id).executeTakeFirst();
    if (!reads) await store.db.insertInto('record_reads').values({ tenant_id: fx.id, id: randomUUID(), actor: `agent:${fx.agent}`, customer_id: fx.customer, what: 'customer' }).execute();
    // The billing ledger is written by `fairdesk billing run`, not by a route: one invoiced charge per tenant.
    const charge = await store.db.selectFrom('charges').select(['id', 'invoice_id']).where('tenant_id', '=', fx.id).where('kind', '=', 'charge').executeTakeFirst();
    if (charge?.invoice_id) fx.invoice = charge.invoice_id;
    else {
      fx.invoice = (
        await injectCharge(store.db, { tenant_id: fx.id, subscription_id: fx.subscription, customer_id: fx.customer, amount_minor: 1999, currency: 'EUR', period_start: days(-10), period_end: days(20), at: days(-10), external_id: `seed-${fx.marker}-charge` })
      ).invoiceId;
    }
  }
  const empty: string[] = [];
  for (const table of await tenantTables(store)) {
    if ((GLOBAL_TABLES as readonly string[]).includes(table) && table !== 'api_tokens') continue;
    for (const fx of tenants) {
      const n = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where tenant_id = ${fx.id}`.execute(store.db);
      if (!n.rows[0]!.n) empty.push(`${table} (tenant ${fx.key.toUpperCase()})`);
    }
  }
  return empty;
}
