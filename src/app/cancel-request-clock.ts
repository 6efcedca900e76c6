/**
 * The same-business-day clock of cancel requests, in the app layer: which calendar applies (the
 * charter in effect when the request was made, else none: end of the UTC day) and keeping the
 * stored badge current.
 */
import { cancelRequestDueAt, cancelRequestSlaState, DEFAULT_AT_RISK, type CancelRequestSlaState } from '../domain/cancel-request.ts';
import type { CancelRequestRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';
import { loadCharterInEffect, loadCharterVersion } from './charter-cache.ts';

/** Due time and the charter version whose business hours set it (null: no charter, end of the UTC day). */
export async function cancelRequestDue(tx: Tx, tenantId: string, requestedAt: Date): Promise<{ dueAt: Date; charterVersion: number | null; state: CancelRequestSlaState }> {
  const loaded = await loadCharterInEffect(tx, tenantId, requestedAt);
  const dueAt = cancelRequestDueAt(requestedAt, loaded?.calendar ?? null);
  const state = cancelRequestSlaState({
    requestedAt,
    dueAt,
    closedAt: null,
    calendar: loaded?.calendar ?? null,
    atRisk: loaded?.charter.atRisk ?? DEFAULT_AT_RISK,
    now: requestedAt,
  });
  return { dueAt, charterVersion: loaded?.version ?? null, state };
}

/** The badge of a stored cancel request at `now` (or at its closing, once closed). A breach, once recorded, stays. */
export async function cancelRequestStateAt(tx: Tx, tenantId: string, row: CancelRequestRow, now: Date, closedAt: Date | null = row.closed_at): Promise<CancelRequestSlaState> {
  if (row.sla_state === 'breached') return 'breached';
  const loaded = row.charter_version === null ? null : await loadCharterVersion(tx, tenantId, row.charter_version);
  return cancelRequestSlaState({
    requestedAt: row.requested_at,
    dueAt: row.due_at,
    closedAt,
    calendar: loaded?.calendar ?? null,
    atRisk: loaded?.charter.atRisk ?? DEFAULT_AT_RISK,
    now,
  });
}
