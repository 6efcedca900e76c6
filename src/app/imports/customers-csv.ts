/**
 * `fairdesk import customers-csv FILE`: one customer per row, matched on external_id, then e-mail,
 * then phone; the match is updated, otherwise a customer is created. Rejected rows are written back
 * (all their columns, plus `errors`) to a CSV file beside the input.
 */
import { appendFile, rm, stat } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import { splitList, UNCHANGED } from '../../domain/imports.ts';
import { findCustomerByExternalId } from '../../db/repositories/customers.ts';
import { findCustomerByEmail, findCustomerByPhone } from '../../db/repositories/imports.ts';
import { RecordRejected, type ImportHandler, type SourceRecord } from '../run-import.ts';
import type { TenantScope } from '../scope.ts';
import { createImportedCustomer, updateImportedCustomer, type ImportedCustomer } from './customers.ts';
import { ByteCounter, csvRows } from './sources.ts';

/** The columns a customers CSV may have (header names, any case); `name` is needed for a new customer. */
export const CUSTOMER_COLUMNS = ['external_id', 'name', 'email', 'phone', 'kind', 'company', 'time_zone', 'locale', 'customer_since'] as const;
const NAMES = { externalId: 'external_id', emails: 'email', phones: 'phone', timeZone: 'time_zone', customerSince: 'customer_since' };

interface CsvRecord extends SourceRecord {
  columns: string[];
  value: Record<string, string>;
}

/** Reads the row into what the importer knows of a customer (empty cells say nothing). */
export function customerFromRow(row: Record<string, string>): ImportedCustomer {
  const cell = (k: string) => (row[k] !== undefined && row[k] !== '' ? row[k] : undefined);
  const problems: Array<{ field: string; problem: string }> = [];
  const kind = cell('kind')?.toLowerCase();
  if (kind !== undefined && kind !== 'person' && kind !== 'business') problems.push({ field: 'kind', problem: 'must be person or business' });
  if (!cell('external_id') && !cell('email') && !cell('phone') && !cell('name')) problems.push({ field: 'name', problem: 'the row has no external_id, email, phone or name' });
  if (problems.length) throw new RecordRejected(problems);
  return {
    name: cell('name'),
    emails: splitList(cell('email')),
    phones: splitList(cell('phone')),
    externalId: cell('external_id'),
    timeZone: cell('time_zone'),
    locale: cell('locale'),
    customerSince: cell('customer_since'),
    attributes: { ...(kind && { kind }), ...(cell('company') && { company: cell('company') }) },
  };
}

export async function customersCsvHandler(scope: TenantScope, path: string, options: { rejectedPath: string; resuming: boolean }): Promise<ImportHandler & { rejectedFile(): string | undefined }> {
  const counter = new ByteCounter();
  const total = (await stat(path)).size;
  const { tenantId } = scope;
  // A resumed run keeps the rows rejected before the crash and adds to them.
  let header: string[] | null = null;
  let wroteAny = options.resuming && (await stat(options.rejectedPath).then(() => true, () => false));
  if (!options.resuming) await rm(options.rejectedPath, { force: true });
  if (wroteAny) header = [];

  return {
    totalBytes: total,
    bytesRead: () => counter.bytes,
    rejectedFile: () => (wroteAny ? options.rejectedPath : undefined),
    async *records() {
      let seq = 0;
      for await (const r of csvRows(counter, path)) {
        if (seq === 0) {
          const unknown = r.columns.filter((c) => !(CUSTOMER_COLUMNS as readonly string[]).includes(c));
          if (unknown.length) throw new Error(`${path}: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; the columns are ${CUSTOMER_COLUMNS.join(', ')}`);
        }
        const record: CsvRecord = { seq: ++seq, ref: `row ${r.row}`, value: r.value, columns: r.columns };
        yield record;
      }
    },
    entity: () => 'customer',
    async apply(tx, record) {
      const customer = customerFromRow((record as CsvRecord).value);
      const byExternal = customer.externalId ? await findCustomerByExternalId(tx, tenantId, customer.externalId) : undefined;
      const byEmail = !byExternal && customer.emails[0] ? await findCustomerByEmail(tx, tenantId, customer.emails[0]) : undefined;
      const byPhone = !byExternal && !byEmail && customer.phones[0] ? await findCustomerByPhone(tx, tenantId, customer.phones[0]) : undefined;
      const match = byExternal ?? byEmail ?? byPhone;
      if (!match) {
        if (!customer.name) throw new RecordRejected([{ field: 'name', problem: 'is needed for a new customer (no customer matched external_id, email or phone)' }]);
        await createImportedCustomer(tx, scope, customer, NAMES);
        return { outcome: 'imported', entity: 'customer' };
      }
      const updated = await updateImportedCustomer(tx, scope, match, customer, NAMES);
      if (!updated) return { outcome: 'skipped', entity: 'customer', reason: UNCHANGED };
      const how = byExternal ? 'external_id' : byEmail ? 'email' : 'phone';
      return { outcome: 'updated', entity: 'customer', reason: `matched on ${how}` };
    },
    async afterCommit(rejected) {
      if (rejected.length === 0) return;
      const columns = (rejected[0]!.record as CsvRecord).columns;
      let out = '';
      if (header === null) {
        header = [...columns, 'errors'];
        out += stringify([header]);
      }
      out += stringify(rejected.map(({ record, reason }) => [...columns.map((c) => (record as CsvRecord).value[c] ?? ''), reason]));
      await appendFile(options.rejectedPath, out);
      wroteAny = true;
    },
  };
}
