import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../app/errors.ts';
import { importFile } from '../../app/import-file.ts';
import { listImports } from '../../app/read-imports.ts';
import { UnreadableFileError } from '../../app/imports/sources.ts';
import { ImportKindParams, ImportList, ImportListQuery, ImportQuery, ImportSummary } from '../../contracts/imports.ts';
import { emptySummary, type ImportSummary as Summary } from '../../domain/imports.ts';
import type { ImportRunRow } from '../../db/schema.ts';
import { pageRequest, presentPage } from '../cursor.ts';
import { errorResponses } from './shared.ts';

/** The largest file the API takes (the CLI has no limit: it reads the file where it is). */
export const IMPORT_BODY_LIMIT = 256 * 1024 * 1024;

export function presentImportRun(row: ImportRunRow): ImportSummary {
  const summary = { ...emptySummary(), ...(row.summary as unknown as Summary) };
  return {
    runId: row.id,
    kind: row.kind,
    source: row.source_name,
    status: row.status,
    resumedFrom: null,
    ...summary,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

/**
 * Imports through the API: the body is the file, streamed to a temporary file (never held in memory,
 * cut off past IMPORT_BODY_LIMIT), then imported like `fairdesk import`. Sending the same file again
 * continues an interrupted run, or changes nothing.
 */
export const importRoutes: FastifyPluginAsyncZod = async (app) => {
  // Any body is taken as a raw stream here (JSON, JSON Lines, CSV): the importer parses it while it streams.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

  app.post('/imports/:kind', {
    config: { permission: 'imports:run' },
    bodyLimit: IMPORT_BODY_LIMIT,
    schema: {
      tags: ['imports'],
      summary: 'Import a file: a Zendesk export (JSON), customers (CSV), transcripts (JSON Lines), usage or billing records (CSV with Content-Type text/csv, else JSON Lines)',
      description:
        'The request body is the file. Resumable and idempotent on external ids: sending the same file again continues an interrupted run or changes nothing. The answer is the summary of what was imported, updated, skipped and rejected (with each rejected record\'s place and reason). See docs/import.md.',
      params: ImportKindParams,
      querystring: ImportQuery,
      response: { 200: ImportSummary, ...errorResponses },
    },
    handler: async (req) => {
      const body = req.body as NodeJS.ReadableStream | undefined;
      if (!body || typeof (body as { pipe?: unknown }).pipe !== 'function') throw new AppError(400, 'validation', 'Invalid request', 'the request body must be the file to import', [{ pointer: '', detail: 'is missing' }]);
      const csv = /csv/i.test(String(req.headers['content-type'] ?? ''));
      const dir = await mkdtemp(join(tmpdir(), 'fairdesk-import-'));
      const file = join(dir, `${randomUUID()}.${req.params.kind === 'customers-csv' || csv ? 'csv' : req.params.kind === 'zendesk' ? 'json' : 'jsonl'}`);
      try {
        let size = 0;
        const limit = new Transform({
          transform(chunk: Buffer, _enc, next) {
            size += chunk.length;
            if (size > IMPORT_BODY_LIMIT) next(new AppError(413, 'too-large', 'Payload too large', `an import through the API may be at most ${IMPORT_BODY_LIMIT} bytes; use fairdesk import for larger files`));
            else next(null, chunk);
          },
        });
        await pipeline(body, limit, createWriteStream(file));
        if (size === 0) throw new AppError(400, 'validation', 'Invalid request', 'the request body must be the file to import', [{ pointer: '', detail: 'is empty' }]);
        const result = await importFile(req.scope, { kind: req.params.kind, path: file, sourceName: `api upload (${size} bytes)`, fresh: req.query.fresh === 'true' }).catch((error: unknown) => {
          if (error instanceof UnreadableFileError || (error instanceof Error && /unknown column/.test(error.message))) {
            throw new AppError(422, 'unprocessable', 'Unprocessable file', error.message.replace(file, 'the file'), [{ pointer: '', detail: error.message.replace(file, 'the file') }]);
          }
          throw error;
        });
        const { rejectedFile: _omit, ...summary } = result;
        return summary;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  });

  app.get('/imports', {
    config: { permission: 'imports:run' },
    schema: {
      tags: ['imports'],
      summary: 'Import runs, newest first, with their summaries (a run still `running` was interrupted and continues when the same file is sent again)',
      querystring: ImportListQuery,
      response: { 200: ImportList, ...errorResponses },
    },
    handler: async (req) => presentPage(await listImports(req.scope, pageRequest(req.query)), presentImportRun),
  });
};
