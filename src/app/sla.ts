import { businessMinutesBetween } from '../domain/charter/business-hours.ts';
import { entitlementsFor } from '../domain/charter/entitlements.ts';
import { severityFor } from '../domain/charter/severity.ts';
import { slaStatus, targetsFor } from '../domain/charter/sla.ts';
import { effectiveTargets } from '../domain/charter/targets.ts';
import type { Channel } from '../domain/charter/schema.ts';
import type { ConversationRow, CustomerRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';
import { loadCharterInEffect, loadCharterVersion, type LoadedCharter } from './charter-cache.ts';
import { loadCustomerFacts } from './customer-facts.ts';
import { UnprocessableError } from './errors.ts';
import { updateConversation as updateConversationRow } from '../db/repositories/conversations.ts';

/** The SLA columns of a conversation. */
export interface SlaFields {
  charter_version: number | null;
  tier: string | null;
  opened_spend_minor: number | null;
  first_response_due_at: Date | null;
  resolution_due_at: Date | null;
  min_first_response_due_at: Date | null;
  min_resolution_due_at: Date | null;
  sla_state: ConversationRow['sla_state'];
}

/**
 * The severity a new conversation gets: the one asked for, if the charter knows it, else the one
 * the charter derives from what the customer needs (channel, tags) — never from their value.
 * Without a charter, the asked-for severity or "normal".
 */
export async function severityAtOpen(
  tx: Tx,
  tenantId: string,
  at: Date,
  input: { channel: Channel; tags: string[]; severity?: string | undefined },
): Promise<{ severity: string; charter: LoadedCharter | null }> {
  const loaded = await loadCharterInEffect(tx, tenantId, at);
  if (!loaded) return { severity: input.severity ?? 'normal', charter: null };
  if (input.severity === undefined) return { severity: severityFor(loaded.charter, { channel: input.channel, tags: input.tags }), charter: loaded };
  requireKnownSeverity(loaded, input.severity);
  return { severity: input.severity, charter: loaded };
}

export function requireKnownSeverity(loaded: LoadedCharter, severity: string): void {
  const known = loaded.charter.severities.map((s) => s.id);
  if (!known.includes(severity)) {
    throw new UnprocessableError(`severity ${severity} is not one the charter defines`, [
      { pointer: '/severity', detail: `must be one of the charter's severities: ${known.join(', ')}` },
    ]);
  }
}

/**
 * The clock a conversation opens with: targets from the charter in effect and the customer's
 * entitlements at this moment (kept with the conversation, like the charter version), and the
 * minimum's due times, which the parity report measures every customer against.
 */
export async function slaAtOpen(
  tx: Tx,
  tenantId: string,
  loaded: LoadedCharter | null,
  customer: CustomerRow,
  conversation: { channel: Channel; severity: string; openedAt: Date },
): Promise<SlaFields> {
  if (!loaded) {
    return {
      charter_version: null,
      tier: null,
      opened_spend_minor: null,
      first_response_due_at: null,
      resolution_due_at: null,
      min_first_response_due_at: null,
      min_resolution_due_at: null,
      sla_state: null,
    };
  }
  const facts = await loadCustomerFacts(tx, tenantId, customer, loaded.charter, conversation.openedAt);
  const entitlements = entitlementsFor(loaded.charter, facts, conversation.openedAt);
  const { riskFraction: _risk, ...clock } = computeClock(
    loaded,
    entitlements.tier?.id ?? null,
    conversation.channel,
    conversation.severity,
    conversation.openedAt,
    null,
    null,
    conversation.openedAt,
  );
  return {
    charter_version: loaded.version,
    tier: entitlements.tier?.id ?? null,
    opened_spend_minor: facts.spendLast12Months.amountMinor,
    ...clock,
  };
}

function computeClock(
  loaded: LoadedCharter,
  tierId: string | null,
  channel: string,
  severity: string,
  openedAt: Date,
  firstReplyAt: Date | null,
  resolvedAt: Date | null,
  now: Date,
) {
  const tier = tierId ? (loaded.charter.tiers.find((t) => t.id === tierId) ?? null) : null;
  const conversation = { channel, severity };
  const entitled = targetsFor({ targets: effectiveTargets(loaded.charter, tier) }, conversation);
  const minimum = targetsFor({ targets: effectiveTargets(loaded.charter, null) }, conversation);
  const status = slaStatus({ openedAt, firstReplyAt, resolvedAt, targets: entitled, calendar: loaded.calendar, atRisk: loaded.charter.atRisk, now });
  const minStatus = slaStatus({ openedAt, firstReplyAt, resolvedAt, targets: minimum, calendar: loaded.calendar, atRisk: loaded.charter.atRisk, now });
  return {
    first_response_due_at: status.firstResponseDueAt,
    resolution_due_at: status.resolutionDueAt,
    min_first_response_due_at: minStatus.firstResponseDueAt,
    min_resolution_due_at: minStatus.resolutionDueAt,
    sla_state: status.state,
    riskFraction: minStatus.riskFraction,
  };
}

/**
 * The conversation's clock at `now`, under the charter version and tier it opened with (a severity
 * change re-targets within that version). Null for conversations opened before any charter.
 */
export async function slaNow(tx: Tx, tenantId: string, conversation: ConversationRow, now: Date) {
  if (conversation.charter_version === null) return null;
  const loaded = await loadCharterVersion(tx, tenantId, conversation.charter_version);
  if (!loaded) return null;
  const clock = computeClock(
    loaded,
    conversation.tier,
    conversation.channel,
    conversation.severity,
    conversation.created_at,
    conversation.first_reply_at,
    conversation.resolved_at,
    now,
  );
  const firstResponseMinutes =
    conversation.first_reply_at && conversation.first_response_business_minutes === null
      ? Math.round(businessMinutesBetween(conversation.created_at, conversation.first_reply_at, loaded.calendar))
      : conversation.first_response_business_minutes;
  return { ...clock, first_response_business_minutes: firstResponseMinutes, loaded };
}

/**
 * Brings the stored clock up to date after a change (a reply, a status or severity change) or as
 * time passes; writes only when something changed. Returns the conversation as stored.
 */
export async function refreshSla(tx: Tx, tenantId: string, conversation: ConversationRow, now: Date): Promise<ConversationRow> {
  const sla = await slaNow(tx, tenantId, conversation, now);
  if (!sla) return conversation;
  const next = {
    first_response_due_at: sla.first_response_due_at,
    resolution_due_at: sla.resolution_due_at,
    min_first_response_due_at: sla.min_first_response_due_at,
    min_resolution_due_at: sla.min_resolution_due_at,
    sla_state: sla.sla_state,
    first_response_business_minutes: sla.first_response_business_minutes,
  };
  const same = (Object.keys(next) as Array<keyof typeof next>).every((k) => {
    const a = next[k];
    const b = conversation[k];
    return a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;
  });
  if (same) return conversation;
  return updateConversationRow(tx, tenantId, conversation.id, next);
}
