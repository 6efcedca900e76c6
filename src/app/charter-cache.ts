import { calendarFrom, type Calendar } from '../domain/charter/business-hours.ts';
import type { Charter } from '../domain/charter/schema.ts';
import { charterInEffect, findCharterVersion } from '../db/repositories/charters.ts';
import type { CharterVersionRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';

/** A published charter version ready for arithmetic: the document and its business calendar. */
export interface LoadedCharter {
  version: number;
  charter: Charter;
  calendar: Calendar;
}

// Published versions never change, so a parsed version can be cached for the life of the process.
const cache = new Map<string, LoadedCharter>();
const MAX_CACHED = 500;

function load(tenantId: string, row: CharterVersionRow): LoadedCharter {
  const key = `${tenantId}:${row.version}`;
  let loaded = cache.get(key);
  if (!loaded) {
    // Stored documents were validated when published; defaults are already filled in.
    const charter = row.document as Charter;
    loaded = { version: row.version, charter, calendar: calendarFrom(charter.businessHours) };
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    cache.set(key, loaded);
  }
  return loaded;
}

/** The charter in effect at `at`, or null when the tenant has published none yet. */
export async function loadCharterInEffect(tx: Tx, tenantId: string, at: Date): Promise<LoadedCharter | null> {
  const row = await charterInEffect(tx, tenantId, at);
  return row ? load(tenantId, row) : null;
}

/** A specific version (a conversation keeps the version it opened under). */
export async function loadCharterVersion(tx: Tx, tenantId: string, version: number): Promise<LoadedCharter | null> {
  const key = `${tenantId}:${version}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const row = await findCharterVersion(tx, tenantId, version);
  return row ? load(tenantId, row) : null;
}
