import { z } from 'zod';
import { CONSENT_PURPOSES, CONSENT_STATUSES, ESTIMATE_BANDS } from '../domain/consents.ts';
import { Id, PageQuery, Timestamp, listOf, text } from './common.ts';

export const ConsentPurpose = z.enum(CONSENT_PURPOSES);
export const ConsentStatus = z.enum(CONSENT_STATUSES);

/**
 * What shows the customer's decision: one of their messages, or the version of the screen they saw
 * with the text shown on it (`shownText`, stored only as its SHA-256) or that text's hash (`textHash`).
 */
export const ConsentEvidenceInput = z
  .strictObject({
    messageId: Id.optional().describe("A message the customer wrote in one of their own conversations"),
    screenVersion: text(100).optional().describe('The version of the screen or script the customer saw, e.g. "checkout/3"'),
    shownText: z.string().min(1, { error: 'must not be empty' }).max(20_000).optional().describe('The exact text shown; the server stores its SHA-256, not the text'),
    textHash: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, { error: 'must be a SHA-256 in hex (64 characters)' })
      .optional()
      .describe('SHA-256 (hex) of the exact text shown'),
  })
  .superRefine((e, ctx) => {
    if ((e.messageId === undefined) === (e.screenVersion === undefined)) {
      ctx.addIssue({ code: 'custom', path: e.messageId === undefined ? ['messageId'] : ['screenVersion'], message: 'give either messageId, or screenVersion with shownText or textHash' });
    }
    if (e.messageId !== undefined && (e.shownText !== undefined || e.textHash !== undefined)) {
      ctx.addIssue({ code: 'custom', path: [e.shownText !== undefined ? 'shownText' : 'textHash'], message: 'goes with screenVersion, not with messageId' });
    }
    if (e.screenVersion !== undefined && (e.shownText === undefined) === (e.textHash === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['shownText'], message: 'with screenVersion, give exactly one of shownText or textHash' });
    }
  });

export const ConsentCreate = z.strictObject({
  purpose: ConsentPurpose,
  status: ConsentStatus,
  scope: text(500).describe('What exactly it covers, e.g. "one hard inquiry for the Business Rewards Card application"'),
  evidence: ConsentEvidenceInput,
  expiresAt: Timestamp.optional().describe(
    'Grants only; in the future. A hard_credit_inquiry grant runs at most 30 days (30 days when omitted), a soft_credit_inquiry grant at most 365 days',
  ),
});
export type ConsentCreate = z.infer<typeof ConsentCreate>;

/** Where a purpose stands: the latest record's status, or expired, used (a hard-inquiry grant one inquiry relied on), none. */
export const LiveStatus = z.enum(['granted', 'refused', 'withdrawn', 'expired', 'used', 'none']);

export const Consent = z
  .object({
    id: Id,
    customerId: Id,
    purpose: ConsentPurpose,
    status: ConsentStatus,
    scope: z.string(),
    evidence: z.object({ messageId: Id.nullable(), screenVersion: z.string().nullable(), textHash: z.string().nullable() }),
    at: Timestamp,
    expiresAt: Timestamp.nullable(),
    recordedBy: z.string().describe('Who recorded it: agent:<id>, token:<id>, or customer:<id> (in the portal: "you" or "us")'),
    live: z.boolean().describe('This record is the one in force for its purpose now'),
  })
  .meta({ id: 'Consent' });
export type Consent = z.infer<typeof Consent>;

export const LiveConsent = z.object({ status: LiveStatus, consentId: Id.nullable(), expiresAt: Timestamp.nullable() }).meta({ id: 'LiveConsent' });

export const ConsentList = z
  .object({
    data: z.array(Consent).describe('The whole history, newest first'),
    live: z.record(ConsentPurpose, LiveConsent),
  })
  .meta({ id: 'ConsentList' });
export type ConsentList = z.infer<typeof ConsentList>;

/** The portal's list also carries the text shown with each "withdraw" button (its hash is the evidence). */
export const PortalConsentList = ConsentList.extend({
  withdrawal: z.object({ screenVersion: z.string(), texts: z.record(ConsentPurpose, z.string()) }),
}).meta({ id: 'PortalConsentList' });
export type PortalConsentList = z.infer<typeof PortalConsentList>;

export const PurposeParams = z.strictObject({ slug: z.string().max(60), purpose: ConsentPurpose });

export const CreditCheckKind = z.enum(['hard', 'soft', 'estimate']);

export const CreditCheckCreate = z.strictObject({
  kind: CreditCheckKind.describe('hard and soft ask the credit bureau and need a live consent; an estimate never does'),
  reason: text(500).describe('Why the check is made, e.g. "Business Rewards Card application"'),
});
export type CreditCheckCreate = z.infer<typeof CreditCheckCreate>;

export const CreditCheckResult = z
  .object({
    source: z.enum(['bureau', 'estimate']),
    simulated: z.boolean().describe('True when the bureau is the built-in simulation (no real bureau was asked)'),
    bureau: z.string().nullable(),
    reference: z.string().nullable(),
    score: z.number().int().nullable().describe('The bureau score (300–850); null for an estimate'),
    band: z.string().describe(`A bureau's band (poor, fair, good, very_good, excellent) or an estimate's (${ESTIMATE_BANDS.join(', ')})`),
    statement: z.string(),
    factsUsed: z.array(z.object({ fact: z.string(), value: z.string() })),
  })
  .meta({ id: 'CreditCheckResult' });
export type CreditCheckResult = z.infer<typeof CreditCheckResult>;

export const CreditCheck = z
  .object({
    id: Id,
    customerId: Id,
    kind: CreditCheckKind,
    reason: z.string(),
    consentId: Id.nullable().describe('The consent a hard or soft check relied on'),
    status: z.enum(['pending', 'completed', 'failed']),
    result: CreditCheckResult.nullable(),
    at: Timestamp,
    actor: z.string(),
  })
  .meta({ id: 'CreditCheck' });
export type CreditCheck = z.infer<typeof CreditCheck>;

export const CreditCheckListQuery = z.strictObject({ ...PageQuery });
export const CreditCheckList = listOf(CreditCheck);

/** Filters of the tenant-wide consent ledger (compliance): whole records, newest first. */
export const TenantConsentListQuery = z
  .strictObject({
    ...PageQuery,
    purpose: ConsentPurpose.optional(),
    status: ConsentStatus.optional().describe('The record’s own status (granted, refused, withdrawn)'),
    customerId: Id.optional(),
    from: Timestamp.optional().describe('Records made at or after this instant'),
    to: Timestamp.optional().describe('Records made before this instant'),
  })
  .superRefine((q, ctx) => {
    if (q.from !== undefined && q.to !== undefined && Date.parse(q.to) <= Date.parse(q.from)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
  });
export type TenantConsentListQuery = z.infer<typeof TenantConsentListQuery>;

/** A record of the tenant's ledger with the customer's name (the list is read across customers). */
export const TenantConsent = Consent.extend({ customerName: z.string() }).meta({ id: 'TenantConsent' });
export type TenantConsent = z.infer<typeof TenantConsent>;
export const TenantConsentList = listOf(TenantConsent).meta({ id: 'TenantConsentList' });
