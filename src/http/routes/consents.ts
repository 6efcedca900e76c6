import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { runCreditCheck } from '../../app/credit-inquiry.ts';
import { portalConsents, portalWithdrawConsent } from '../../app/portal-consents.ts';
import { readConsents, type ConsentLedger } from '../../app/read-consents.ts';
import { listCreditChecks } from '../../app/read-credit-checks.ts';
import { listTenantConsents } from '../../app/read-tenant-consents.ts';
import { recordConsent, type ConsentView } from '../../app/record-consent.ts';
import { IdParams, ProblemSchema } from '../../contracts/common.ts';
import {
  Consent,
  ConsentCreate,
  ConsentList,
  CreditCheck,
  CreditCheckList,
  CreditCheckListQuery,
  CreditCheckCreate,
  PortalConsentList,
  PurposeParams,
  TenantConsentList,
  TenantConsentListQuery,
  type CreditCheckResult,
} from '../../contracts/consents.ts';
import { CONSENT_PURPOSES, PORTAL_WITHDRAWAL } from '../../domain/consents.ts';
import type { ConsentRow, CreditInquiryRow } from '../../db/schema.ts';
import { pageRequest, presentPage } from '../cursor.ts';
import { idempotentCreate } from '../idempotency.ts';
import { errorResponses } from './shared.ts';
import { z } from 'zod';

/** A consent record as the API shows it; `recordedBy` may be re-worded for the portal. */
export function presentConsent(row: ConsentRow, live: boolean, recordedBy: (actor: string) => string = (a) => a): Consent {
  return {
    id: row.id,
    customerId: row.customer_id,
    purpose: row.purpose,
    status: row.status,
    scope: row.scope,
    evidence: { messageId: row.evidence_message_id, screenVersion: row.screen_version, textHash: row.text_hash },
    at: row.at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    recordedBy: recordedBy(row.recorded_by),
    live,
  };
}

export function presentLedger(ledger: ConsentLedger, recordedBy?: (actor: string) => string): ConsentList {
  const liveIds = new Set(CONSENT_PURPOSES.map((p) => ledger.live[p]).filter((s) => s.live).map((s) => s.consentId));
  return {
    data: ledger.rows.map((r) => presentConsent(r, liveIds.has(r.id), recordedBy)),
    live: Object.fromEntries(
      CONSENT_PURPOSES.map((p) => {
        const s = ledger.live[p];
        return [p, { status: s.status, consentId: s.consentId, expiresAt: s.expiresAt?.toISOString() ?? null }];
      }),
    ) as ConsentList['live'],
  };
}

const presentView = (v: ConsentView) => presentConsent(v.row, v.live);

export function presentCreditCheck(row: CreditInquiryRow): CreditCheck {
  return {
    id: row.id,
    customerId: row.customer_id,
    kind: row.kind,
    reason: row.reason,
    consentId: row.consent_id,
    status: row.status,
    result: (row.result as CreditCheckResult | null) ?? null,
    at: row.at.toISOString(),
    actor: row.actor,
  };
}

/** The consent ledger and credit checks of a customer, for staff; and the whole tenant's ledger, for review. */
export const consentRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/consents', {
    config: { permission: 'consents:review' },
    schema: {
      tags: ['consents'],
      summary: "The tenant's consent ledger across customers, newest first, each record with its customer's name and whether it is in force now",
      description:
        'Filters: purpose, status (of the record), customerId, and from/to on when it was recorded (from inclusive, to exclusive). Logged as a read of each customer record shown.',
      querystring: TenantConsentListQuery,
      response: { 200: TenantConsentList, ...errorResponses },
    },
    handler: async (req) => {
      const { purpose, status, customerId, from, to } = req.query;
      const page = await listTenantConsents(req.scope, { purpose, status, customerId, from, to }, pageRequest(req.query));
      return presentPage(page, (v) => ({ ...presentConsent(v.row, v.live), customerName: v.customerName }));
    },
  });

  app.get('/customers/:id/consents', {
    config: { permission: 'customers:read' },
    schema: {
      tags: ['consents'],
      summary: "A customer's consent ledger (whole history, newest first) and where each purpose stands now",
      params: IdParams,
      response: { 200: ConsentList, ...errorResponses },
    },
    handler: async (req) => presentLedger(await readConsents(req.scope, req.params.id)),
  });

  app.post('/customers/:id/consents', {
    config: { permission: 'customers:write' },
    schema: {
      tags: ['consents'],
      summary: 'Record a consent decision: granted, refused or withdrawn (a new record; records are never edited)',
      description:
        "Evidence is a message the customer wrote in one of their conversations, or the screen version with the text shown (`shownText`, stored as its SHA-256) or its hash. Only grants expire; a hard_credit_inquiry grant runs at most 30 days and serves one inquiry.",
      params: IdParams,
      body: ConsentCreate,
      response: { 201: Consent, ...errorResponses },
    },
    handler: (req, reply) => idempotentCreate(req, reply, 'consents.create', (hooks) => recordConsent(req.scope, req.params.id, req.body, hooks), presentView),
  });

  app.post('/customers/:id/credit-checks', {
    config: { permission: 'customers:write' },
    schema: {
      tags: ['consents'],
      summary: 'Run a credit check: a hard or soft bureau inquiry (only on a live consent) or an estimate (never needs one)',
      description:
        'hard and soft ask the credit bureau (simulated by default) and need a live hard_credit_inquiry or soft_credit_inquiry consent; without one the answer is 422 `urn:fairdesk:problem:consent-required`, nothing is written and the bureau is not asked. An estimate is computed from the customer’s own account, asks no bureau and leaves nothing on their credit file.',
      params: IdParams,
      body: CreditCheckCreate,
      response: { 201: CreditCheck, ...errorResponses, 502: ProblemSchema },
    },
    handler: (req, reply) => idempotentCreate(req, reply, 'credit-checks.create', (hooks) => runCreditCheck(req.scope, req.params.id, req.body, hooks), presentCreditCheck),
  });

  app.get('/customers/:id/credit-checks', {
    config: { permission: 'customers:read' },
    schema: {
      tags: ['consents'],
      summary: "A customer's credit checks, newest first, with the consent each relied on",
      params: IdParams,
      querystring: CreditCheckListQuery,
      response: { 200: CreditCheckList, ...errorResponses },
    },
    handler: async (req) => presentPage(await listCreditChecks(req.scope, req.params.id, pageRequest(req.query)), presentCreditCheck),
  });
};

/** "you" for what the customer did themself, "us" for what staff recorded. */
const portalActor = (customerId: string) => (actor: string) => (actor === `customer:${customerId}` ? 'you' : 'us');

/**
 * The signed-in customer's consents in the portal: see them, and withdraw one in force. Registered
 * inside the portal's signed-in scope (routes/portal.ts), whose hook sets `req.portal`.
 */
export function portalConsentRoutes(plain: FastifyInstance): void {
  const signedIn = plain.withTypeProvider<ZodTypeProvider>();
  signedIn.get('/portal/:slug/consents', {
    schema: {
      tags: ['portal'],
      summary: 'My consents: the whole history and where each purpose stands, with the text each "withdraw" button shows',
      params: z.strictObject({ slug: z.string().max(60) }),
      response: { 200: PortalConsentList, 401: errorResponses[401] },
    },
    handler: async (req) => ({
      ...presentLedger(await portalConsents(req.portal), portalActor(req.portal.customerId)),
      withdrawal: { screenVersion: PORTAL_WITHDRAWAL.screenVersion, texts: { ...PORTAL_WITHDRAWAL.texts } },
    }),
  });

  signedIn.post('/portal/:slug/consents/:purpose/withdraw', {
    schema: {
      tags: ['portal'],
      summary: 'Withdraw my consent for a purpose',
      description: `Records a withdrawal, evidenced by the screen version ${PORTAL_WITHDRAWAL.screenVersion} and the SHA-256 of the withdrawal text shown for the purpose. 409 when no consent for it is in force.`,
      params: PurposeParams,
      response: { 201: Consent, ...errorResponses },
    },
    handler: async (req, reply) => {
      const view = await portalWithdrawConsent(req.portal, req.params.purpose);
      reply.code(201);
      return presentConsent(view.row, view.live, portalActor(req.portal.customerId));
    },
  });
}
