import type { CharterVersion } from '../../contracts/charter.ts';
import type { CharterVersionRow } from '../../db/schema.ts';

export function presentCharterVersion(row: CharterVersionRow): CharterVersion {
  return {
    version: row.version,
    effectiveAt: row.effective_at.toISOString(),
    changeNote: row.change_note,
    publishedAt: row.published_at.toISOString(),
    publishedBy: row.published_by,
    source: row.source,
    document: row.document as Record<string, unknown>,
  };
}
