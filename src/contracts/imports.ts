import { z } from 'zod';
import { Id, PageQuery, Timestamp, listOf } from './common.ts';

export const ImportKind = z.enum(['zendesk', 'customers-csv', 'transcripts', 'usage', 'billing']);
export const ImportKindParams = z.strictObject({ kind: ImportKind });
export const ImportQuery = z.strictObject({ fresh: z.enum(['true', 'false']).optional().describe('start a new run even if an unfinished run of the same file exists') });

const Counts = z.object({ imported: z.number().int(), updated: z.number().int(), skipped: z.number().int(), rejected: z.number().int() });

/** What an import did: counts, per kind of record, skipped reasons and each rejection with its place in the file. */
export const ImportSummary = z
  .object({
    runId: Id,
    kind: ImportKind,
    source: z.string(),
    status: z.enum(['running', 'completed']),
    resumedFrom: z.number().int().nullable().describe('records already committed by an earlier, interrupted run of the same file'),
    records: z.number().int(),
    ...Counts.shape,
    byEntity: z.record(z.string(), Counts),
    skippedReasons: z.record(z.string(), z.number().int()),
    rejections: z.array(z.object({ record: z.number().int(), ref: z.string(), reason: z.string() })),
    rejectionsTruncated: z.boolean(),
    startedAt: Timestamp,
    finishedAt: Timestamp.nullable(),
  })
  .meta({ id: 'ImportSummary' });
export type ImportSummary = z.infer<typeof ImportSummary>;

export const ImportListQuery = z.strictObject({ ...PageQuery });
export const ImportList = listOf(ImportSummary);
