import { z } from 'zod';
import { Timestamp } from './common.ts';

export const CharterPublish = z.strictObject({
  source: z.string().min(1).max(200_000).describe('The charter as YAML (see docs/charter.md and `fairdesk charter schema`)'),
  effectiveAt: Timestamp.optional().describe("Defaults to the document's `effective` date, else now"),
  changeNote: z.string().trim().min(1).max(2000).optional(),
});

export const CharterVersion = z
  .object({
    version: z.number().int(),
    effectiveAt: Timestamp,
    changeNote: z.string().nullable(),
    publishedAt: Timestamp,
    publishedBy: z.string(),
    source: z.string(),
    document: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'CharterVersion' });
export type CharterVersion = z.infer<typeof CharterVersion>;

export const CharterVersionParams = z.strictObject({ version: z.coerce.number().int().min(1) });
export const CharterVersionListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(20).optional(),
});
export const CharterVersionList = z.object({ data: z.array(CharterVersion), nextCursor: z.string().nullable() });

export const PublicCharter = z
  .object({ tenant: z.object({ slug: z.string(), name: z.string() }), version: z.number().int(), effectiveAt: Timestamp, document: z.record(z.string(), z.unknown()) })
  .meta({ id: 'PublicCharter' });

export const TargetRuleSchema = z.object({
  channel: z.string(),
  severity: z.string(),
  firstResponseMinutes: z.number().int().describe('business minutes'),
  resolutionMinutes: z.number().int().describe('business minutes'),
});

export const EntitlementsSchema = z
  .object({
    tier: z.object({ id: z.string(), name: z.string() }).nullable(),
    entitlements: z.object({
      targets: z.array(TargetRuleSchema),
      callback: z.boolean(),
      namedTeam: z.string().nullable(),
      extras: z.array(z.string()),
    }),
    reasons: z.array(z.string()),
    charterVersion: z.number().int(),
  })
  .meta({ id: 'Entitlements' });
