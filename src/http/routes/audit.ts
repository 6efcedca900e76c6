import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { loadAuditSigningKey } from '../../app/audit-signing-key.ts';
import { AppError } from '../../app/errors.ts';
import { readAuditLog, verifyTenantAuditLog } from '../../app/read-audit-log.ts';
import { AuditList, AuditListQuery, AuditVerification } from '../../contracts/audit.ts';
import { errorResponses } from './shared.ts';

/** The cursor is opaque to clients: base64url of `seq:<n>`, the last seq of the page. */
const encodeCursor = (seq: number): string => Buffer.from(`seq:${seq}`, 'utf8').toString('base64url');

function decodeCursor(cursor: string): number {
  const match = /^seq:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) {
    throw new AppError(400, 'validation', 'Invalid request', 'the cursor is not one this server gave out', [{ parameter: 'cursor', detail: 'is not a valid cursor' }]);
  }
  return Number(match[1]);
}

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/audit', {
    config: { permission: 'audit:read' },
    schema: {
      tags: ['audit'],
      summary: "The tenant's audit log, newest first: who did what to which record (field names, never values)",
      querystring: AuditListQuery,
      response: { 200: AuditList, ...errorResponses },
    },
    handler: async (req) => {
      const { limit, cursor, ...filter } = req.query;
      const page = await readAuditLog(req.scope, filter, { limit, before: cursor === undefined ? undefined : decodeCursor(cursor) });
      return { data: page.entries, nextCursor: page.nextBefore === null ? null : encodeCursor(page.nextBefore) };
    },
  });

  app.get('/audit/verify', {
    config: { permission: 'audit:read' },
    schema: {
      tags: ['audit'],
      summary: "Walks this tenant's hash chain against its head and signed checkpoints and names the first broken link",
      response: { 200: AuditVerification, ...errorResponses },
    },
    handler: async (req) => {
      // The key the server signs checkpoints with (FAIRDESK_AUDIT_KEY, else the data folder), as `fairdesk audit verify` reads it.
      const key = loadAuditSigningKey({ dataDir: app.store.dataDir, env: process.env, create: false });
      return verifyTenantAuditLog(req.scope, key ? [key] : []);
    },
  });
};
