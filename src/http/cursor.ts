import { AppError } from '../app/errors.ts';
import type { Page, PageRequest } from '../db/repositories/paging.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Reads `?limit=&cursor=`; the cursor is opaque to clients (base64url of the last id). */
export function pageRequest(query: { limit: number; cursor?: string | undefined }): PageRequest {
  if (query.cursor === undefined) return { limit: query.limit };
  const after = Buffer.from(query.cursor, 'base64url').toString('utf8');
  if (!UUID.test(after)) {
    throw new AppError(400, 'validation', 'Invalid request', 'the cursor is not one this server gave out', [
      { parameter: 'cursor', detail: 'is not a valid cursor' },
    ]);
  }
  return { limit: query.limit, after };
}

/** The list shape every endpoint returns: `{data, nextCursor}`. */
export function presentPage<R extends { id: string }, T>(page: Page<R>, present: (row: R) => T): { data: T[]; nextCursor: string | null } {
  return {
    data: page.rows.map(present),
    nextCursor: page.nextAfter === null ? null : Buffer.from(page.nextAfter, 'utf8').toString('base64url'),
  };
}
