/**
 * Pure rules of the importers: how another system's values map onto Fairdesk's, and how a run's
 * summary adds up. No I/O; the readers and writers are in src/app/imports/.
 */
import { createHash } from 'node:crypto';

export const IMPORT_KINDS = ['zendesk', 'customers-csv', 'transcripts', 'usage', 'billing'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export type Outcome = 'imported' | 'updated' | 'skipped' | 'rejected';

/** One record's result: what happened, and why when it was not simply imported. */
export interface RecordResult {
  outcome: Outcome;
  /** What the record is (user, ticket, comment, customer …), for the counts per kind. */
  entity: string;
  reason?: string;
}

/** Where a rejected record is: its number in the run, and where in the file (`tickets[3]`, `row 5`, `line 7`). */
export interface Rejection {
  record: number;
  ref: string;
  reason: string;
}

export interface Counts {
  imported: number;
  updated: number;
  skipped: number;
  rejected: number;
}

export interface ImportSummary extends Counts {
  records: number;
  byEntity: Record<string, Counts>;
  /** Skipped records by reason ("unchanged since the last import" …). */
  skippedReasons: Record<string, number>;
  /** The first MAX_REJECTIONS rejections, in file order; `rejectionsTruncated` says whether more were cut. */
  rejections: Rejection[];
  rejectionsTruncated: boolean;
}

/** Rejections kept in the run record (the count is always exact; the rejected-rows file has them all). */
export const MAX_REJECTIONS = 1000;

const zero = (): Counts => ({ imported: 0, updated: 0, skipped: 0, rejected: 0 });

export function emptySummary(): ImportSummary {
  return { records: 0, ...zero(), byEntity: {}, skippedReasons: {}, rejections: [], rejectionsTruncated: false };
}

/** Adds one record's result to the summary (mutates and returns it). */
export function addResult(summary: ImportSummary, record: number, ref: string, result: RecordResult): ImportSummary {
  summary.records++;
  summary[result.outcome]++;
  const entity = (summary.byEntity[result.entity] ??= zero());
  entity[result.outcome]++;
  if (result.outcome === 'skipped') {
    const reason = result.reason ?? 'skipped';
    summary.skippedReasons[reason] = (summary.skippedReasons[reason] ?? 0) + 1;
  }
  if (result.outcome === 'rejected') {
    if (summary.rejections.length < MAX_REJECTIONS) summary.rejections.push({ record, ref, reason: result.reason ?? 'rejected' });
    else summary.rejectionsTruncated = true;
  }
  return summary;
}

export const UNCHANGED = 'unchanged since the last import';

/** A stable hash of what a record was mapped to: equal fingerprints mean nothing to update. */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 32);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export type ConversationStatus = 'open' | 'pending' | 'resolved' | 'closed';
export type Channel = 'email' | 'chat' | 'phone' | 'portal' | 'social';

/** Zendesk ticket status → conversation status (`hold` is waiting on a third party: pending). */
export function zendeskStatus(status: unknown): ConversationStatus | null {
  switch (status) {
    case 'new':
    case 'open':
      return 'open';
    case 'pending':
    case 'hold':
      return 'pending';
    case 'solved':
      return 'resolved';
    case 'closed':
      return 'closed';
    default:
      return null;
  }
}

/** Zendesk `via.channel` → channel; e-mail when absent or unknown (most Zendesk tickets are e-mail). */
export function zendeskChannel(via: unknown): Channel {
  const channel = via !== null && typeof via === 'object' ? (via as { channel?: unknown }).channel : undefined;
  switch (channel) {
    case 'chat':
    case 'native_messaging':
    case 'sms':
      return 'chat';
    case 'voice':
      return 'phone';
    case 'web':
    case 'api':
    case 'mobile':
    case 'help_center':
      return 'portal';
    case 'twitter':
    case 'facebook':
    case 'instagram_dm':
    case 'whatsapp':
      return 'social';
    default:
      return 'email';
  }
}

/** An id of another system as text: numbers and non-empty strings; anything else is no id. */
export function externalIdOf(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '' && value.length <= 200) return value.trim();
  return null;
}

/** "email: must be an e-mail address; name: must not be empty" — the `errors` column and the summary's reason. */
export function describeFieldErrors(errors: Array<{ field: string; problem: string }>): string {
  return errors.map((e) => `${e.field}: ${e.problem}`).join('; ');
}

/** Splits a cell holding several values (`a@x.com; b@y.com`) into trimmed, non-empty values. */
export function splitList(cell: string | undefined): string[] {
  if (cell === undefined) return [];
  return cell
    .split(/[;,]/)
    .map((v) => v.trim())
    .filter((v) => v !== '');
}
