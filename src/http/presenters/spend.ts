import type { SpendEntry } from '../../contracts/spend.ts';
import type { RecordedSpend } from '../../app/record-spend.ts';
import type { SpendEntryRow } from '../../db/schema.ts';

export function presentSpendEntry(row: SpendEntryRow): SpendEntry {
  return {
    id: row.id,
    customerId: row.customer_id,
    amountMinor: row.amount_minor,
    currency: row.currency,
    at: row.at.toISOString(),
    source: row.source,
    externalId: row.external_id,
    createdAt: row.created_at.toISOString(),
  };
}

export function presentRecordedSpend(recorded: RecordedSpend): SpendEntry {
  return presentSpendEntry(recorded.entry);
}
