import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { addResult, emptySummary, type ImportKind, type ImportSummary, type RecordResult } from '../domain/imports.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { newId } from '../db/ids.ts';
import type { DB, ImportRunRow } from '../db/schema.ts';
import { withTenant, type Tx } from '../db/with-tenant.ts';
import { AppError } from './errors.ts';
import type { TenantScope } from './scope.ts';

/** One record read from the file, numbered in processing order (the checkpoint counts these). */
export interface SourceRecord {
  seq: number;
  /** Where it is in the file, for people: `tickets[3]`, `row 5`, `line 7`. */
  ref: string;
  value: unknown;
}

/** What a kind of import does with the records of a file. */
export interface ImportHandler {
  /** Streams the file's records in a fixed order; `read()` tells how many bytes have been consumed. */
  records(): AsyncIterable<SourceRecord>;
  totalBytes: number;
  bytesRead(): number;
  /** What a record would have become (customer, conversation …), to count a rejection under. */
  entity?(record: SourceRecord): string;
  /** Sees every record, also those a resumed run skips (to rebuild what later records refer to). */
  observe?(record: SourceRecord): void;
  /** Applies one record inside the batch's transaction. Throwing rejects the record (its writes are undone). */
  apply(tx: Tx, record: SourceRecord): Promise<RecordResult>;
  /**
   * Applies a whole batch with few statements: one result per record, in order; records it refuses
   * come back rejected (having written nothing). If it throws (a failure in the database, say), its
   * writes are rolled back and the batch is applied again record by record, each under a savepoint,
   * so that only the failing record is rejected.
   */
  applyBatch?(tx: Tx, records: SourceRecord[]): Promise<RecordResult[]>;
  /** After the batch's records, before its checkpoint (e.g. listening analysis of touched conversations). */
  endBatch?(tx: Tx): Promise<void>;
  /** A record's writes were rolled back: forget anything remembered about it. */
  forget?(): void;
  /** After a batch committed: the records it rejected (e.g. to write them to a rejected-rows file). */
  afterCommit?(rejected: Array<{ record: SourceRecord; reason: string }>): Promise<void>;
  close?(): Promise<void>;
}

export interface ImportRunResult extends ImportSummary {
  runId: string;
  kind: ImportKind;
  source: string;
  status: 'completed';
  /** The checkpoint a resumed run continued from (records already committed), or null for a fresh run. */
  resumedFrom: number | null;
  startedAt: string;
  finishedAt: string;
  /** Where the rejected rows were written (customers-csv), when any were. */
  rejectedFile?: string | undefined;
}

export interface RunImportOptions {
  kind: ImportKind;
  /** The file (or folder) on this machine. */
  path: string;
  /** What to call it in the run record (defaults to the file name). */
  sourceName?: string | undefined;
  handler: (ctx: { tenantId: string; resuming: boolean; db: Kysely<DB> }) => Promise<ImportHandler>;
  /** Records per transaction. */
  batchSize?: number;
  /** Start afresh even if an unfinished run of the same file exists. */
  fresh?: boolean;
  onProgress?: ((done: number, total: number) => void) | undefined;
  /** Extra fields for the result (e.g. the rejected file's path), read after the run. */
  extra?: () => Partial<ImportRunResult>;
}

export const DEFAULT_BATCH = 250;

/**
 * Runs an import: finds the unfinished run of the same file (same SHA-256, same kind) and continues
 * after its checkpoint, or starts a new one; commits `batchSize` records per transaction together
 * with the new checkpoint and summary (and an audit row, last). A handler that applies whole
 * batches does so under one savepoint; otherwise (or when that fails) each record runs under its
 * own savepoint, so a record that fails is rejected with its reason and the rest of the batch stands.
 */
export async function runImport(scope: TenantScope, options: RunImportOptions): Promise<ImportRunResult> {
  const { db, tenantId } = scope;
  const fileSha256 = await sha256OfPath(options.path);
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const sourceName = options.sourceName ?? basename(options.path);

  let run: ImportRunRow | undefined = options.fresh
    ? undefined
    : await withTenant(db, tenantId, (tx) =>
        tx
          .selectFrom('import_runs')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('kind', '=', options.kind)
          .where('file_sha256', '=', fileSha256)
          .where('status', '=', 'running')
          .orderBy('id', 'desc')
          .executeTakeFirst(),
      );
  const resumedFrom = run ? run.checkpoint : null;
  if (!run) {
    run = await withTenant(db, tenantId, async (tx) => {
      const row = await tx
        .insertInto('import_runs')
        .values({ tenant_id: tenantId, id: newId(), kind: options.kind, source_name: sourceName, file_sha256: fileSha256, status: 'running', checkpoint: 0, summary: JSON.stringify(emptySummary()), actor: scope.actor })
        .returningAll()
        .executeTakeFirstOrThrow();
      await writeAudit(tx, { tenantId, actor: scope.actor, action: 'import.started', entityType: 'import_run', entityId: row.id, fields: ['kind', 'sourceName', 'fileSha256'] });
      return row;
    });
  }
  const runId = run.id;
  let checkpoint = run.checkpoint;
  let summary = run.summary as unknown as ImportSummary;

  const handler = await options.handler({ tenantId, resuming: resumedFrom !== null, db });
  const progress = () => options.onProgress?.(Math.min(handler.bytesRead(), handler.totalBytes), handler.totalBytes);

  /** The batch at once, under one savepoint; null (and nothing written) when that failed. */
  const applyWhole = async (tx: Tx, batch: SourceRecord[]): Promise<RecordResult[] | null> => {
    if (!handler.applyBatch) return null;
    await sql`savepoint import_batch`.execute(tx);
    try {
      const results = await handler.applyBatch(tx, batch);
      await sql`release savepoint import_batch`.execute(tx);
      return results;
    } catch {
      await sql`rollback to savepoint import_batch`.execute(tx);
      handler.forget?.();
      return null;
    }
  };

  /** Record by record, each under a savepoint: a record that fails is rejected with its reason. */
  const applyEach = async (tx: Tx, batch: SourceRecord[]): Promise<RecordResult[]> => {
    const results: RecordResult[] = [];
    for (const record of batch) {
      await sql`savepoint import_record`.execute(tx);
      try {
        results.push(await handler.apply(tx, record));
        await sql`release savepoint import_record`.execute(tx);
      } catch (error) {
        await sql`rollback to savepoint import_record`.execute(tx);
        handler.forget?.();
        results.push({ outcome: 'rejected', entity: handler.entity?.(record) ?? 'record', reason: reasonOf(error) });
      }
    }
    return results;
  };

  const commit = async (batch: SourceRecord[]) => {
    const next = structuredClone(summary);
    const rejected: Array<{ record: SourceRecord; reason: string }> = [];
    await withTenant(db, tenantId, async (tx) => {
      const results = (await applyWhole(tx, batch)) ?? (await applyEach(tx, batch));
      for (const [i, record] of batch.entries()) {
        const result = results[i]!;
        if (result.outcome === 'rejected') rejected.push({ record, reason: result.reason ?? 'rejected' });
        addResult(next, record.seq, record.ref, result);
      }
      await handler.endBatch?.(tx);
      const last = batch[batch.length - 1]!.seq;
      await tx
        .updateTable('import_runs')
        .set({ checkpoint: last, summary: JSON.stringify(next), updated_at: sql`now()` })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', runId)
        .execute();
      await writeAudit(tx, { tenantId, actor: scope.actor, action: 'import.batch', entityType: 'import_run', entityId: runId, fields: [`records ${batch[0]!.seq}-${last}`] });
      checkpoint = last;
    });
    summary = next;
    await handler.afterCommit?.(rejected);
    progress();
  };

  try {
    let batch: SourceRecord[] = [];
    for await (const record of handler.records()) {
      handler.observe?.(record);
      if (record.seq <= checkpoint) continue;
      batch.push(record);
      if (batch.length >= batchSize) {
        await commit(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await commit(batch);
  } finally {
    await handler.close?.();
  }

  const finished = await withTenant(db, tenantId, async (tx) => {
    const row = await tx
      .updateTable('import_runs')
      .set({ status: 'completed', finished_at: sql`now()`, updated_at: sql`now()` })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', runId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(tx, { tenantId, actor: scope.actor, action: 'import.completed', entityType: 'import_run', entityId: runId, fields: ['imported', 'updated', 'skipped', 'rejected'] });
    return row;
  });
  progress();
  return {
    runId,
    kind: options.kind,
    source: sourceName,
    status: 'completed',
    resumedFrom,
    startedAt: finished.started_at.toISOString(),
    finishedAt: (finished.finished_at ?? new Date()).toISOString(),
    ...summary,
    ...options.extra?.(),
  };
}

/** A rejection's reason: the fields an application error names, else the error's own message. */
export function reasonOf(error: unknown): string {
  if (error instanceof AppError && error.errors.length > 0) {
    return error.errors.map((e) => `${(e.pointer ?? e.parameter ?? '').replace(/^\//, '')}${e.pointer || e.parameter ? ': ' : ''}${e.detail}`).join('; ');
  }
  return error instanceof Error ? error.message : String(error);
}

/** A record the importer refuses, with the fields at fault. */
export class RecordRejected extends AppError {
  constructor(errors: Array<{ field: string; problem: string }>) {
    super(422, 'record-rejected', 'Record rejected', errors.map((e) => `${e.field}: ${e.problem}`).join('; '), errors.map((e) => ({ pointer: `/${e.field}`, detail: e.problem })));
  }
}

/** SHA-256 of a file, or of a folder's files in name order (streamed). */
export async function sha256OfPath(path: string): Promise<string> {
  const info = await stat(path);
  const hash = createHash('sha256');
  const files = info.isDirectory() ? (await import('./imports/sources.ts')).folderFiles(path) : [path];
  for (const file of await files) {
    hash.update(`${basename(file)}\n`);
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}
