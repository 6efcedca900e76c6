import type { SelectQueryBuilder } from 'kysely';

export interface PageRequest {
  limit: number;
  /** The id of the last row of the previous page (decoded from the opaque cursor). */
  after?: string | undefined;
}

export interface Page<T> {
  rows: T[];
  /** The id to continue after, or null on the last page. */
  nextAfter: string | null;
}

/**
 * Keyset pagination, newest first: ids are UUIDv7, so `id < after` is "older than the last row
 * seen" and each page is an index range scan however deep the client pages.
 */
export async function pageQuery<DB, TB extends keyof DB, O extends { id: string }>(
  query: SelectQueryBuilder<DB, TB, O>,
  page: PageRequest,
): Promise<Page<O>> {
  // The cast names a column every paged table has; Kysely cannot infer it across the generic.
  const q = query as unknown as SelectQueryBuilder<{ t: { id: string } }, 't', O>;
  const bounded = page.after ? q.where('id', '<', page.after) : q;
  const rows = await bounded.orderBy('id', 'desc').limit(page.limit + 1).execute();
  const more = rows.length > page.limit;
  const pageRows = more ? rows.slice(0, page.limit) : rows;
  return { rows: pageRows, nextAfter: more ? pageRows[pageRows.length - 1]!.id : null };
}
