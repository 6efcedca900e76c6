/**
 * Writing to the embedded billing ledger: a charge or refund row and its mirror in the spend entries
 * (the charter's one source of a customer's spend), in the caller's transaction. Shared by the
 * billing run and the reconciliation job.
 */
import { sql } from 'kysely';
import { type CancellationState } from '../domain/cancellation/index.ts';
import { insertSpendEntry } from '../db/repositories/spend.ts';
import { newId } from '../db/ids.ts';
import type { ChargeRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';
import { reviveState } from './subscription-records.ts';

export interface LedgerWrite {
  tenantId: string;
  subscriptionId: string;
  customerId: string;
  kind: 'charge' | 'refund';
  /** Positive minor units; the spend entry carries the sign. */
  amountMinor: number;
  currency: string;
  periodStart: Date | null;
  periodEnd: Date | null;
  at: Date;
  externalId: string;
  /** The mirrored spend entry's source and externalId (default `billing`/`billing_refund` and `<kind>:<row id>`). */
  spend?: { source: string; externalId: string };
}

/**
 * Inserts the ledger row and its spend entry (`charge:<id>` / `refund:<id>`), or nothing when the
 * externalId is already in the ledger. Returns the new row and spend entry id, or undefined for a repeat.
 * Writes no audit row: callers audit last, after every other row lock of their transaction.
 */
export async function writeLedgerEntry(tx: Tx, w: LedgerWrite): Promise<{ row: ChargeRow; spendEntryId: string } | undefined> {
  const row = await tx
    .insertInto('charges')
    .values({
      tenant_id: w.tenantId,
      id: newId(),
      subscription_id: w.subscriptionId,
      customer_id: w.customerId,
      kind: w.kind,
      amount_minor: w.amountMinor,
      currency: w.currency,
      period_start: w.periodStart,
      period_end: w.periodEnd,
      at: w.at,
      external_id: w.externalId,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'external_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) return undefined;
  const spendEntryId = newId();
  await insertSpendEntry(tx, {
    tenant_id: w.tenantId,
    id: spendEntryId,
    customer_id: w.customerId,
    amount_minor: w.kind === 'charge' ? w.amountMinor : -w.amountMinor,
    currency: w.currency,
    at: w.at,
    source: w.spend?.source ?? (w.kind === 'charge' ? 'billing' : 'billing_refund'),
    external_id: w.spend?.externalId ?? `${w.kind}:${row.id}`,
  });
  return { row, spendEntryId };
}

/**
 * The subscription's latest cancellation attempt, revived into a machine state (null when none).
 * One in force wins over a later attempt that is not: billing must never restart by accident.
 */
export async function latestCancellation(tx: Tx, tenantId: string, subscriptionId: string): Promise<{ id: string; state: CancellationState } | null> {
  const row = await tx
    .selectFrom('cancellations')
    .select(['id', 'state'])
    .where('tenant_id', '=', tenantId)
    .where('subscription_id', '=', subscriptionId)
    .orderBy(sql`(status in ('confirmed', 'effective'))`, 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: row.id, state: reviveState(row.state) } : null;
}
