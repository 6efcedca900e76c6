/**
 * `fairdesk import usage FILE` and `fairdesk import billing FILE`: CSV (by the `.csv` extension) or
 * JSON Lines of usage events and of spend (charges, refunds, credits), keyed to customers by their
 * external id. Each record goes through the same use-case as the API (record-usage, record-spend),
 * which is idempotent on the record's external_id.
 */
import { stat } from 'node:fs/promises';
import { SpendCreate } from '../../contracts/spend.ts';
import { UsageCreate } from '../../contracts/subscriptions.ts';
import { UNCHANGED } from '../../domain/imports.ts';
import { findCustomerByExternalId } from '../../db/repositories/customers.ts';
import type { Tx } from '../../db/with-tenant.ts';
import { recordSpend } from '../record-spend.ts';
import { recordUsage } from '../record-usage.ts';
import { RecordRejected, type ImportHandler, type SourceRecord } from '../run-import.ts';
import type { TenantScope } from '../scope.ts';
import { fieldErrors } from './customers.ts';
import { ByteCounter, flatRecords } from './sources.ts';

export const USAGE_COLUMNS = ['customer_external_id', 'unit', 'quantity', 'at', 'external_id'] as const;
export const BILLING_COLUMNS = ['customer_external_id', 'amount_minor', 'currency', 'at', 'external_id', 'source'] as const;

interface FlatRecord extends SourceRecord {
  error?: string;
}

type Obj = Record<string, unknown>;
const num = (v: unknown) => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v);
/** CSV cells are text, JSON values may be numbers: ids and dates as text either way. */
const text = (v: unknown) => (typeof v === 'number' ? String(v) : v);

async function customerOf(tx: Tx, tenantId: string, row: Obj): Promise<string> {
  const ext = text(row.customer_external_id);
  if (typeof ext !== 'string' || ext.trim() === '') throw new RecordRejected([{ field: 'customer_external_id', problem: 'is missing' }]);
  const customer = await findCustomerByExternalId(tx, tenantId, ext.trim());
  if (!customer) throw new RecordRejected([{ field: 'customer_external_id', problem: `no customer has external id ${ext.trim()}` }]);
  return customer.id;
}

function flatHandler(path: string, total: number, entity: string, apply: (tx: Tx, row: Obj) => Promise<{ created: boolean }>): ImportHandler {
  const counter = new ByteCounter();
  return {
    totalBytes: total,
    bytesRead: () => counter.bytes,
    async *records() {
      let seq = 0;
      for await (const r of flatRecords(counter, path)) {
        const record: FlatRecord = { seq: ++seq, ref: r.ref, value: r.value, ...(r.error ? { error: r.error } : {}) };
        yield record;
      }
    },
    entity: () => entity,
    async apply(tx, record) {
      const r = record as FlatRecord;
      if (r.error) throw new RecordRejected([{ field: 'record', problem: r.error }]);
      if (r.value === null || typeof r.value !== 'object' || Array.isArray(r.value)) throw new RecordRejected([{ field: 'record', problem: 'must be a JSON object' }]);
      const { created } = await apply(tx, r.value as Obj);
      return created ? { outcome: 'imported', entity } : { outcome: 'skipped', entity, reason: UNCHANGED };
    },
  };
}

export async function usageHandler(scope: TenantScope, path: string): Promise<ImportHandler> {
  return flatHandler(path, (await stat(path)).size, 'usage_event', async (tx, row) => {
    const parsed = UsageCreate.safeParse({ unit: row.unit, quantity: num(row.quantity), at: text(row.at), externalId: text(row.external_id) });
    if (!parsed.success) throw new RecordRejected(fieldErrors(parsed.error, { externalId: 'external_id' }));
    const customerId = await customerOf(tx, scope.tenantId, row);
    return recordUsage({ ...scope, db: tx }, customerId, parsed.data);
  });
}

export async function billingHandler(scope: TenantScope, path: string): Promise<ImportHandler> {
  return flatHandler(path, (await stat(path)).size, 'spend_entry', async (tx, row) => {
    const parsed = SpendCreate.safeParse({ amountMinor: num(row.amount_minor), currency: row.currency, at: text(row.at), source: row.source === undefined || row.source === '' ? 'import' : row.source, externalId: text(row.external_id) });
    if (!parsed.success) throw new RecordRejected(fieldErrors(parsed.error, { amountMinor: 'amount_minor', externalId: 'external_id' }));
    const customerId = await customerOf(tx, scope.tenantId, row);
    return recordSpend({ ...scope, db: tx }, customerId, parsed.data);
  });
}
