import { z } from 'zod';
import { Id, Timestamp, listOf } from './common.ts';

/** The families of actions the audit browser offers as prefixes (`exception.` matches `exception.granted`). */
export const AUDIT_ACTION_FAMILIES = ['exception.', 'closure.', 'cancellation.', 'offer.', 'consent.', 'customer.', 'charter.', 'agent.', 'api_token.'] as const;

export const AuditListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(40).optional().describe('The nextCursor of the previous page (opaque)'),
  action: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[a-z0-9_.]+$/, { error: 'must be an action such as exception.granted, or a prefix ending in a dot such as exception.' })
    .optional()
    .describe('An exact action (`exception.granted`) or a prefix ending in a dot (`exception.`)'),
  entityType: z.string().trim().min(1).max(100).optional(),
  entityId: z.string().trim().min(1).max(200).optional(),
  actor: z.string().trim().min(1).max(200).optional().describe('Exactly as logged: `agent:<id>`, `token:<id>`, `cli`, `system`'),
  from: Timestamp.optional().describe('Entries at or after this instant'),
  to: Timestamp.optional().describe('Entries before this instant'),
});
export type AuditListQuery = z.infer<typeof AuditListQuery>;

/** One row of the tenant's audit log: who did what to which record, and the names (never the values) of the fields changed. */
export const AuditEntry = z
  .object({
    seq: z.number().int().describe('Position in the tenant’s hash chain, from 1'),
    id: Id,
    at: Timestamp,
    actor: z.string(),
    /** The agent's name when the actor is `agent:<id>` and the agent exists. */
    actorName: z.string().nullable(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string(),
    fields: z.array(z.string()),
    hash: z.string(),
    prevHash: z.string(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditList = listOf(AuditEntry);
export type AuditList = z.infer<typeof AuditList>;

/** The verdict of walking this tenant's chain against its head and stored checkpoints. */
export const AuditVerification = z
  .object({
    ok: z.boolean(),
    checked: z.number().int().describe('Rows walked'),
    head: z.number().int().describe('The head’s seq (0 when the log is empty)'),
    checkpoints: z.number().int().describe('Stored checkpoints compared with the chain'),
    firstBroken: z.object({ seq: z.number().int(), reason: z.string() }).nullable(),
    lastCheckpoint: z.object({ seq: z.number().int(), signedAt: Timestamp }).nullable().describe('The latest stored signed checkpoint'),
    checkedAt: Timestamp,
  })
  .meta({ id: 'AuditVerification' });
export type AuditVerification = z.infer<typeof AuditVerification>;
