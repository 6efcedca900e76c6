import type { z } from 'zod';
import { CustomerCreate, CustomerPatch } from '../../contracts/customers.ts';
import type { CustomerRow } from '../../db/schema.ts';
import type { Tx } from '../../db/with-tenant.ts';
import { createCustomer } from '../create-customer.ts';
import { RecordRejected } from '../run-import.ts';
import type { TenantScope } from '../scope.ts';
import { updateCustomer } from '../update-customer.ts';

/** What an importer knows of a customer; absent fields are left as they are on an update. */
export interface ImportedCustomer {
  name?: string | undefined;
  emails: string[];
  phones: string[];
  externalId?: string | undefined;
  timeZone?: string | null | undefined;
  locale?: string | null | undefined;
  customerSince?: string | null | undefined;
  attributes: Record<string, unknown>;
}

/** Zod issues as the importer's field errors, through a map from the contract's field names to the file's. */
export function fieldErrors(error: z.ZodError, names: Record<string, string> = {}): Array<{ field: string; problem: string }> {
  return error.issues.map((issue) => {
    const top = String(issue.path[0] ?? 'record');
    return { field: names[top] ?? top, problem: issue.message };
  });
}

/** Checks a new customer against the API's own schema (so an import accepts exactly what POST /customers does). */
export function checkNewCustomer(c: ImportedCustomer, names: Record<string, string> = {}) {
  const parsed = CustomerCreate.safeParse({
    name: c.name ?? '',
    emails: c.emails,
    phones: c.phones,
    ...(c.externalId !== undefined && { externalId: c.externalId }),
    ...(c.timeZone !== undefined && { timeZone: c.timeZone }),
    ...(c.locale !== undefined && { locale: c.locale }),
    ...(c.customerSince !== undefined && { customerSince: c.customerSince }),
    attributes: c.attributes,
  });
  if (!parsed.success) throw new RecordRejected(fieldErrors(parsed.error, names));
  return parsed.data;
}

/** Creates the customer through the create-customer use-case, inside the import's transaction. */
export async function createImportedCustomer(tx: Tx, scope: TenantScope, c: ImportedCustomer, names: Record<string, string> = {}): Promise<CustomerRow> {
  return createCustomer({ ...scope, db: tx }, checkNewCustomer(c, names));
}

/**
 * Brings a matched customer up to date through the update-customer use-case: given fields replace
 * theirs, e-mails and phones are added to theirs, attributes merge. Returns null when nothing would change.
 */
export async function updateImportedCustomer(tx: Tx, scope: TenantScope, current: CustomerRow, c: ImportedCustomer, names: Record<string, string> = {}): Promise<CustomerRow | null> {
  const patch: Record<string, unknown> = {};
  if (c.name !== undefined && c.name !== current.name) patch.name = c.name;
  const emails = [...new Set([...current.emails, ...c.emails.map((e) => e.trim().toLowerCase())])];
  if (emails.length !== current.emails.length) patch.emails = emails;
  const phones = [...new Set([...current.phones, ...c.phones])];
  if (phones.length !== current.phones.length) patch.phones = phones;
  if (c.externalId !== undefined && c.externalId !== current.external_id) patch.externalId = c.externalId;
  if (c.timeZone !== undefined && c.timeZone !== current.time_zone) patch.timeZone = c.timeZone;
  if (c.locale !== undefined && c.locale !== current.locale) patch.locale = c.locale;
  if (c.customerSince !== undefined && c.customerSince !== current.customer_since) patch.customerSince = c.customerSince;
  const changedAttributes = Object.entries(c.attributes).filter(([k, v]) => JSON.stringify(current.attributes[k]) !== JSON.stringify(v));
  if (changedAttributes.length > 0) patch.attributes = Object.fromEntries(changedAttributes);
  if (Object.keys(patch).length === 0) return null;
  const parsed = CustomerPatch.safeParse(patch);
  if (!parsed.success) throw new RecordRejected(fieldErrors(parsed.error, names));
  return updateCustomer({ ...scope, db: tx }, current.id, parsed.data);
}
