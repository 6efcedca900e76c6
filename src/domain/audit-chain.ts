import { createHash } from 'node:crypto';

/**
 * The audit log's hash chain, per tenant: row n stores `hash = sha256(prev_hash || canonical JSON
 * of its content)` where prev_hash is row n-1's hash (64 zeros for seq 1). Editing, deleting or
 * reordering a row breaks the link at that row; signed checkpoints of (seq, hash) catch a tail
 * that was cut off or rewritten wholesale. This format is frozen: stored chains depend on it.
 */

/** The prev_hash of a tenant's first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** What one audit row says; every field is covered by its hash. */
export interface AuditRowContent {
  tenantId: string;
  seq: number;
  id: string;
  /** ISO 8601 in UTC with microseconds, e.g. `2026-11-22T10:00:00.123000Z` (see formatAuditTime). */
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  fields: readonly string[];
}

/** A row as stored: its content and its links. */
export interface StoredAuditRow extends AuditRowContent {
  prevHash: string;
  hash: string;
}

type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/**
 * JSON with object keys sorted and no white space, so equal values always give equal bytes.
 * Example: canonicalJson({ b: 1, a: [true, 'x'] }) === '{"a":[true,"x"],"b":1}'.
 */
export function canonicalJson(value: Json): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonical JSON has no NaN or Infinity');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${(value as readonly Json[]).map(canonicalJson).join(',')}]`;
  const object = value as { readonly [key: string]: Json };
  const keys = Object.keys(object).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(object[k]!)}`).join(',')}}`;
}

/**
 * The time format the chain hashes: microsecond precision, because that is what timestamptz keeps,
 * so a changed microsecond is a changed hash. The application writes whole milliseconds.
 */
export function formatAuditTime(date: Date): string {
  return `${date.toISOString().slice(0, 23)}000Z`;
}

/** The canonical bytes of a row's content (the hash input after the previous hash). */
export function auditRowJson(row: AuditRowContent): string {
  return canonicalJson({
    tenantId: row.tenantId,
    seq: row.seq,
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    fields: [...row.fields],
  });
}

/** sha256(prevHash || canonical JSON of the row), lower-case hex. */
export function chainHash(prevHash: string, row: AuditRowContent): string {
  return createHash('sha256').update(prevHash, 'utf8').update(auditRowJson(row), 'utf8').digest('hex');
}

/** What a checkpoint signs: the tenant's chain head at a moment. */
export interface CheckpointClaim {
  tenantId: string;
  seq: number;
  hash: string;
  /** ISO 8601 with milliseconds. */
  signedAt: string;
}

/** The exact message an Ed25519 checkpoint signature covers. */
export function checkpointMessage(claim: CheckpointClaim): string {
  return canonicalJson({ type: 'fairdesk.audit.checkpoint.v1', tenantId: claim.tenantId, seq: claim.seq, hash: claim.hash, signedAt: claim.signedAt });
}

/** The first place a chain is broken, and what is wrong there. `id` is null when no row is there. */
export interface BrokenLink {
  seq: number;
  id: string | null;
  problem: string;
}

/** A checkpoint whose signature was already checked, to be compared with the chain. */
export interface TrustedCheckpoint {
  seq: number;
  hash: string;
  /** Where it came from, for messages: "stored checkpoint signed 2026-…", "exported checkpoint …". */
  label: string;
}

export interface ChainVerdict {
  rows: number;
  lastSeq: number;
  lastHash: string;
  firstBroken: BrokenLink | null;
}

/**
 * Walks one tenant's chain row by row in seq order (feed it in batches; it keeps O(1) state besides
 * the checkpoints), recomputing every hash and checking seq continuity, links and checkpoints.
 * Stops judging at the first broken link but keeps counting rows.
 */
export class ChainWalker {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private lastId: string | null = null;
  private broken: BrokenLink | null = null;
  private rows = 0;
  private readonly checkpoints: Map<number, TrustedCheckpoint[]>;

  constructor(checkpoints: readonly TrustedCheckpoint[] = []) {
    this.checkpoints = new Map();
    for (const cp of checkpoints) this.checkpoints.set(cp.seq, [...(this.checkpoints.get(cp.seq) ?? []), cp]);
  }

  /** The next row by seq. */
  push(row: StoredAuditRow): void {
    this.rows++;
    if (this.broken) return;
    const expected = this.expectedSeq;
    if (row.seq !== expected) {
      this.broken =
        row.seq > expected
          ? { seq: expected, id: row.id, problem: `${row.seq - 1 > expected ? `seq ${expected}–${row.seq - 1} are` : `seq ${expected} is`} missing (deleted rows): the next row is seq ${row.seq}` }
          : { seq: row.seq, id: row.id, problem: `seq ${row.seq} appears again after seq ${expected - 1} (a duplicated or reinserted row)` };
      return;
    }
    if (row.prevHash !== this.prevHash) {
      this.broken = { seq: row.seq, id: row.id, problem: `prev_hash does not match the hash of seq ${expected - 1} (a reordered or reinserted row, or the previous row rewritten)` };
      return;
    }
    const hash = chainHash(this.prevHash, row);
    if (hash !== row.hash) {
      this.broken = { seq: row.seq, id: row.id, problem: 'the row does not match its hash (an edited row)' };
      return;
    }
    for (const cp of this.checkpoints.get(row.seq) ?? []) {
      if (cp.hash !== hash) {
        this.broken = { seq: row.seq, id: row.id, problem: `the chain differs from the ${cp.label} at this seq (the chain was rewritten)` };
        return;
      }
    }
    this.prevHash = hash;
    this.lastId = row.id;
    this.expectedSeq++;
  }

  /**
   * Ends the walk against the head (`null`: the tenant has none) and any problems found elsewhere
   * (bad checkpoint signatures, rows beyond the head); the first broken link is the lowest seq.
   */
  finish(head: { seq: number; hash: string } | null, otherProblems: readonly BrokenLink[] = []): ChainVerdict {
    const lastSeq = this.expectedSeq - 1;
    const problems: BrokenLink[] = this.broken ? [this.broken] : [];
    if (!this.broken) {
      const beyond = [...this.checkpoints.keys()].filter((seq) => seq > lastSeq).sort((a, b) => a - b)[0];
      const headSeq = head?.seq ?? 0;
      if (beyond !== undefined) {
        const cp = this.checkpoints.get(beyond)![0]!;
        problems.push({ seq: lastSeq + 1, id: null, problem: `truncated tail: the ${cp.label} covers seq ${beyond} but the chain ends at seq ${lastSeq}` });
      } else if (headSeq > lastSeq) {
        problems.push({ seq: lastSeq + 1, id: null, problem: `truncated tail: the head is at seq ${headSeq} but the rows end at seq ${lastSeq}` });
      } else if (headSeq < lastSeq) {
        problems.push({ seq: headSeq + 1, id: null, problem: `rows beyond the head (seq ${headSeq}) up to seq ${lastSeq}, appended outside the chain` });
      } else if (head && head.hash !== this.prevHash) {
        problems.push({ seq: headSeq, id: this.lastId, problem: 'the head hash differs from the hash of the last row' });
      }
    }
    problems.push(...otherProblems);
    // Row problems come first in the list, so a stable sort keeps them ahead at equal seq.
    const firstBroken = problems.sort((a, b) => a.seq - b.seq)[0] ?? null;
    return { rows: this.rows, lastSeq, lastHash: this.prevHash, firstBroken };
  }
}
